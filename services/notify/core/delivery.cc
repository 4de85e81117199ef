#include "notify/core/delivery.h"

#include "domain/record_codec.h"

namespace picket::notify {

// Version byte first, so a future layout can be told apart.
std::string EncodeDelivery(const Delivery& d) {
  record::RecordWriter w;
  w.U8(1)
      .String(d.id)
      .String(d.channel)
      .U8(static_cast<uint8_t>(d.state))
      .U32(d.attempts)
      .I64(d.next_attempt_at)
      .I64(d.created_at);
  const Alert& a = d.alert;
  w.String(a.event_id)
      .U64(a.seq)
      .I64(a.recorded_at)
      .U64(a.incident)
      .U64(a.version)
      .String(a.person)
      .U32(a.level)
      .U32(a.pass)
      .Bool(a.fallback)
      .String(a.target)
      .String(a.reason)
      .I64(a.lateness)
      .I64(a.respond_by);
  w.String(d.stopped).U64(d.stopped_by);  // appended later: absent in older rows
  w.String(a.incident_type).String(a.post).String(a.severity).String(a.note);  // later still
  return w.Take();
}

std::optional<Delivery> DecodeDelivery(std::string_view bytes) {
  record::RecordReader r(bytes);
  if (r.U8() != 1) return std::nullopt;
  Delivery d;
  d.id = r.String();
  d.channel = r.String();
  uint8_t state = r.U8();
  d.attempts = r.U32();
  d.next_attempt_at = r.I64();
  d.created_at = r.I64();
  Alert& a = d.alert;
  a.event_id = r.String();
  a.seq = r.U64();
  a.recorded_at = r.I64();
  a.incident = r.U64();
  a.version = r.U64();
  a.person = r.String();
  a.level = r.U32();
  a.pass = r.U32();
  a.fallback = r.Bool();
  a.target = r.String();
  a.reason = r.String();
  a.lateness = r.I64();
  a.respond_by = r.I64();
  if (!r.AtEnd()) {
    d.stopped = r.String();
    d.stopped_by = r.U64();
  }
  if (!r.AtEnd()) {
    a.incident_type = r.String();
    a.post = r.String();
    a.severity = r.String();
    a.note = r.String();
  }
  if (!r.ok()) return std::nullopt;
  if (state != static_cast<uint8_t>(DeliveryState::kScheduled) &&
      state != static_cast<uint8_t>(DeliveryState::kInFlight))
    return std::nullopt;
  d.state = static_cast<DeliveryState>(state);
  return d;
}

}  // namespace picket::notify
