#include "console/escalation_client.h"

#include <capnp/message.h>

#include "picket/schemas/escalation.capnp.h"
#include "wire/codec.h"
#include "wire/event_id.h"

namespace picket::console {
namespace {

struct ErrorMapping {
  wire::EscalationError error;
  int status;
  const char* code;
};

constexpr ErrorMapping kErrors[] = {
    {wire::EscalationError::UNKNOWN_INCIDENT, 404, "unknown_incident"},
    {wire::EscalationError::ALREADY_RESOLVED, 409, "already_resolved"},
    {wire::EscalationError::ALREADY_ACKNOWLEDGED, 409, "already_acknowledged"},
    {wire::EscalationError::NOT_ACKNOWLEDGED, 409, "not_acknowledged"},
    {wire::EscalationError::UNKNOWN_STEP, 404, "unknown_step"},
    {wire::EscalationError::STEP_ALREADY_DONE, 409, "step_already_done"},
    {wire::EscalationError::MANDATORY_STEPS, 409, "mandatory_steps_missing"},
    {wire::EscalationError::CANCEL_WINDOW_PASSED, 409, "cancel_window_passed"},
    {wire::EscalationError::CANCELLED, 409, "cancelled"},
    {wire::EscalationError::INVALID_ARGUMENT, 400, "invalid_argument"},
    {wire::EscalationError::WRONG_STATE, 409, "wrong_state"},
    {wire::EscalationError::MALFORMED, 502, "bad_gateway"},
    {wire::EscalationError::UNAUTHORIZED, 403, "unauthorized"},
    {wire::EscalationError::UNAVAILABLE, 503, "unavailable"},
};

ApiResult Error(int status, const std::string& code, const std::string& message) {
  return {status, {{"error", {{"code", code}, {"message", message}}}}};
}

nlohmann::json DetailJson(wire::IncidentDetail::Reader d) {
  nlohmann::json procedure = nlohmann::json::array();
  for (auto s : d.getProcedure())
    procedure.push_back({{"step", s.getStep().cStr()},
                         {"text", s.getText().cStr()},
                         {"mandatory", s.getMandatory()},
                         {"phrase", s.getPhrase().cStr()},
                         {"done", s.getDone()},
                         {"done_by", s.getDoneBy().cStr()},
                         {"done_at", s.getDoneAt()}});
  nlohmann::json history = nlohmann::json::array();
  for (auto h : d.getHistory())
    history.push_back({{"at", h.getAt()},
                       {"type", h.getType().cStr()},
                       {"actor", h.getActor().cStr()},
                       {"text", h.getText().cStr()},
                       {"version", h.getVersion()}});
  return {{"procedure", procedure},
          {"history", history},
          {"next_step_at", d.getNextStepAt()},
          {"ack_deadline", d.getAckDeadline()},
          {"cancel_window_until", d.getCancelWindowUntil()}};
}

// escalation's reply as an ApiResult; `describe`: a getIncident reply.
ApiResult FromReply(wire::EscalationReply::Reader r, bool describe) {
  if (r.getError() != wire::EscalationError::NONE) {
    ApiResult out = Error(502, "bad_gateway", r.getMessage().cStr());
    for (const auto& m : kErrors)
      if (m.error == r.getError()) out = Error(m.status, m.code, r.getMessage().cStr());
    if (r.getError() == wire::EscalationError::MANDATORY_STEPS) {
      nlohmann::json missing = nlohmann::json::array();
      for (auto s : r.getMissingSteps()) missing.push_back(s.cStr());
      out.body["error"]["missing_steps"] = missing;
    }
    return out;
  }
  if (describe) return {200, r.hasDetail() ? DetailJson(r.getDetail()) : nlohmann::json::object()};
  return {200,
          {{"incident", r.getIncident()},
           {"version", r.getVersion()},
           {"unpublished", r.getUnpublished()}}};
}

bool Unavailable(wire::EscalationReply::Reader r) {
  return r.getError() == wire::EscalationError::UNAVAILABLE;
}

const char* StateText(wire::IncidentState s) {
  switch (s) {
    case wire::IncidentState::PENDING:
      return "pending";
    case wire::IncidentState::OPEN:
      return "open";
    case wire::IncidentState::ACKNOWLEDGED:
      return "acknowledged";
    case wire::IncidentState::RESOLVED:
      return "resolved";
    case wire::IncidentState::CANCELLED:
      return "cancelled";
    default:
      return "unknown";
  }
}

const char* SeverityText(wire::Severity s) {
  switch (s) {
    case wire::Severity::LOW:
      return "low";
    case wire::Severity::MEDIUM:
      return "medium";
    case wire::Severity::HIGH:
      return "high";
    case wire::Severity::CRITICAL:
      return "critical";
    default:
      return "unknown";
  }
}

// A listIncidents reply as {"incidents": [...], "truncated"}.
ApiResult IncidentList(wire::EscalationReply::Reader r) {
  if (r.getError() != wire::EscalationError::NONE) return FromReply(r, false);
  nlohmann::json list = nlohmann::json::array();
  for (auto s : r.getIncidents())
    list.push_back({{"id", s.getIncident()},
                    {"version", s.getVersion()},
                    {"type", s.getIncidentType().cStr()},
                    {"severity", SeverityText(s.getSeverity())},
                    {"state", StateText(s.getState())},
                    {"post", s.getPost().cStr()},
                    {"count", s.getCount()},
                    {"opened_at", s.getOpenedAt()},
                    {"first_opened_at", s.getFirstOpenedAt()},
                    {"acknowledged_by", s.getAcknowledgedBy().cStr()},
                    {"acknowledged_at", s.getAcknowledgedAt()},
                    {"resolved_by", s.getResolvedBy().cStr()},
                    {"resolved_at", s.getResolvedAt()},
                    {"assignee", s.getAssignee().cStr()}});
  return {200, {{"incidents", list}, {"truncated", r.getTruncated()}}};
}

ApiResult Command(wire::EscalationReply::Reader r) { return FromReply(r, false); }
ApiResult Detail(wire::EscalationReply::Reader r) { return FromReply(r, true); }

}  // namespace

ApiResult EscalationClient::Act(const std::string& actor, const IncidentAction& a) const {
  capnp::MallocMessageBuilder message;
  auto req = message.initRoot<wire::EscalationRequest>();
  req.setActor(actor);
  EventId id = EventId::Random();
  req.setCommandId(
      capnp::Data::Reader(reinterpret_cast<const capnp::byte*>(id.Bytes().data()), EventId::kSize));
  switch (a.kind) {
    case IncidentAction::Kind::kAcknowledge:
      req.initAcknowledge().setIncident(a.incident);
      break;
    case IncidentAction::Kind::kNote: {
      auto n = req.initAddNote();
      n.setIncident(a.incident);
      n.setText(a.text);
      break;
    }
    case IncidentAction::Kind::kStepDone: {
      auto s = req.initMarkStepDone();
      s.setIncident(a.incident);
      s.setStep(a.step);
      break;
    }
    case IncidentAction::Kind::kResolve: {
      auto r = req.initResolve();
      r.setIncident(a.incident);
      r.setOverrideReason(a.override_reason);
      break;
    }
  }
  return CallService<wire::EscalationReply>(target_, Encode(message), 3, &Unavailable, &Command);
}

ApiResult EscalationClient::Describe(uint64_t incident) const {
  capnp::MallocMessageBuilder message;
  message.initRoot<wire::EscalationRequest>().initGetIncident().setIncident(incident);
  return CallService<wire::EscalationReply>(target_, Encode(message), 2, &Unavailable, &Detail);
}

ApiResult EscalationClient::Incidents(Micros from, Micros to, const std::string& post) const {
  capnp::MallocMessageBuilder message;
  auto q = message.initRoot<wire::EscalationRequest>().initListIncidents();
  q.setFrom(from);
  q.setTo(to);
  q.setPost(post);
  return CallService<wire::EscalationReply>(target_, Encode(message), 2, &Unavailable,
                                            &IncidentList);
}

}  // namespace picket::console
