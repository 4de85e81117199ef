#include "notify/wire_convert.h"

#include "picket/schemas/notify.capnp.h"
#include "wire/enum_names.h"
#include "wire/text_check.h"

namespace picket::notify {
namespace {

// The severity's schema name ("high"), or "" for `unknown` or a number this build lacks.
std::string SeverityName(wire::Severity s) {
  if (s == wire::Severity::UNKNOWN) return "";
  return wire::EnumerantName<wire::Severity>(static_cast<uint16_t>(s)).value_or("");
}

// Sets the fields DeliveryAttempt and DeliveryStopped share (same names, same order) and
// returns the body for the rest.
template <typename Body>
typename Body::Builder InitDelivery(wire::Event::Builder event, std::string_view type, Micros at,
                                    const DeliveryFields& f) {
  event.setType(std::string(type));
  event.setObservedAt(at);
  auto b = event.getBody().initAs<Body>();
  b.setIncident(f.incident);
  b.setPerson(f.person);
  b.setChannel(f.channel);
  b.setAlertSeq(f.alert_seq);
  b.setIdempotencyKey(f.idempotency_key);
  return b;
}

}  // namespace

std::optional<Alert> AlertFromWire(wire::Event::Reader event, wire::AlertRaised::Reader body,
                                   std::string* why) {
  Alert a;
  auto id = event.getId();
  a.event_id.assign(reinterpret_cast<const char*>(id.begin()), id.size());
  a.seq = event.getSeq();
  a.recorded_at = event.getRecordedAt();
  a.incident = body.getIncident();
  a.version = body.getVersion();
  a.person = body.getPerson();
  a.level = body.getLevel();
  a.pass = body.getPass();
  a.fallback = body.getFallback();
  a.target = body.getTarget();
  a.reason = body.getReason();
  a.lateness = body.getLateness();
  a.respond_by = body.getRespondBy();
  // What happened: shown by the pager, never a reason to drop the alert (cut if long).
  a.incident_type = TruncateUtf8(body.getIncidentType().cStr(), kMaxAlertTextBytes);
  a.post = TruncateUtf8(body.getPost().cStr(), kMaxAlertTextBytes);
  a.severity = SeverityName(body.getSeverity());
  a.note = TruncateUtf8(body.getNote().cStr(), kMaxAlertNoteBytes);
  if (a.event_id.size() != 16 || a.person.empty() || a.person.size() > kMaxAlertTextBytes ||
      a.target.size() > kMaxAlertTextBytes || a.reason.size() > kMaxAlertTextBytes) {
    *why = "bad id, empty person or text too long";
    return std::nullopt;
  }
  return a;
}

void ToWire(const AttemptEvent& e, wire::Event::Builder event) {
  auto b = InitDelivery<wire::DeliveryAttempt>(event, e.type(), e.at, e);
  b.setAttempt(e.attempt);
  b.setSucceeded(e.succeeded);
  b.setHttpStatus(e.http_status);
  b.setError(e.error);
  b.setWillRetry(e.will_retry);
  b.setNextAttemptAt(e.next_attempt_at);
  b.setLatency(e.latency);
}

void ToWire(const StopEvent& e, wire::Event::Builder event) {
  auto b = InitDelivery<wire::DeliveryStopped>(event, StopEvent::kType, e.at, e);
  b.setAttempts(e.attempts);
  b.setReason(e.reason);
  b.setCauseSeq(e.cause_seq);
}

}  // namespace picket::notify
