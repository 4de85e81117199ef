#include "escalation/core/incident.h"

#include <algorithm>

#include "domain/record_codec.h"

namespace picket::escalation {
namespace {

// DO NOT CHANGE: the first byte of every stored incident and history row.
constexpr uint8_t kIncidentFormat = 1;
constexpr uint8_t kHistoryFormat = 1;

Micros EarliestSet(Micros a, Micros b) {
  if (a == 0) return b;
  if (b == 0) return a;
  return std::min(a, b);
}

}  // namespace

std::string_view StateName(IncidentState s) {
  switch (s) {
    case IncidentState::kPending:
      return "pending";
    case IncidentState::kOpen:
      return "open";
    case IncidentState::kAcknowledged:
      return "acknowledged";
    case IncidentState::kResolved:
      return "resolved";
    case IncidentState::kCancelled:
      return "cancelled";
  }
  return "?";
}

std::optional<IncidentState> ParseState(std::string_view name) {
  for (auto s : {IncidentState::kPending, IncidentState::kOpen, IncidentState::kAcknowledged,
                 IncidentState::kResolved, IncidentState::kCancelled}) {
    if (StateName(s) == name) return s;
  }
  return std::nullopt;
}

bool IsActive(IncidentState s) {
  return s == IncidentState::kPending || s == IncidentState::kOpen ||
         s == IncidentState::kAcknowledged;
}

bool Incident::StepDone(std::string_view step) const {
  return std::any_of(steps_done.begin(), steps_done.end(),
                     [&](const StepRecord& r) { return r.step == step; });
}

Micros NextDeadline(const Incident& inc) {
  switch (inc.state) {
    case IncidentState::kPending:
      return inc.cancel_window_until;
    case IncidentState::kOpen:
      return inc.silenced_until > 0 ? inc.silenced_until : inc.next_step_at;
    case IncidentState::kAcknowledged:
      return EarliestSet(inc.ack_deadline, inc.silenced_until);
    case IncidentState::kResolved:
    case IncidentState::kCancelled:
      return 0;
  }
  return 0;
}

bool AnnouncesGrouped(uint32_t count, Micros trigger_at, Micros announced_trigger_at) {
  if (count <= 10) return true;
  uint32_t magnitude = 1;  // the largest power of ten <= count
  while (count / magnitude >= 10) magnitude *= 10;
  if (count % magnitude == 0) return true;
  return trigger_at - announced_trigger_at >= kGroupedEventInterval;
}

std::string EncodeIncident(const Incident& inc) {
  record::RecordWriter w;
  w.U8(kIncidentFormat).U64(inc.id).U64(inc.version).String(inc.type);
  w.U8(static_cast<uint8_t>(inc.severity)).String(inc.group_key).String(inc.post);
  w.String(inc.policy).U8(static_cast<uint8_t>(inc.state)).U32(inc.count);
  w.U64(inc.first_trigger_seq).I64(inc.opened_at).I64(inc.last_trigger_at);
  w.U32(inc.level).U32(inc.pass).Bool(inc.on_fallback);
  w.I64(inc.next_step_at).I64(inc.cancel_window_until).I64(inc.ack_deadline);
  w.I64(inc.silenced_until).String(inc.acknowledged_by).I64(inc.acknowledged_at);
  w.String(inc.assignee).U32(static_cast<uint32_t>(inc.steps_done.size()));
  for (const auto& s : inc.steps_done) w.String(s.step).String(s.by).I64(s.at);
  w.I64(inc.resolved_at).String(inc.resolved_by).String(inc.override_reason);
  w.I64(inc.timer_due).U32(inc.history_size);
  w.String(inc.note);               // appended later: absent in older rows
  w.I64(inc.announced_trigger_at);  // appended later: absent in older rows
  return w.Take();
}

std::optional<Incident> DecodeIncident(std::string_view bytes) {
  record::RecordReader r(bytes);
  if (r.U8() != kIncidentFormat) return std::nullopt;
  Incident inc;
  inc.id = r.U64();
  inc.version = r.U64();
  inc.type = r.String();
  inc.severity = static_cast<Severity>(r.U8());
  inc.group_key = r.String();
  inc.post = r.String();
  inc.policy = r.String();
  uint8_t state = r.U8();
  inc.state = static_cast<IncidentState>(state);
  inc.count = r.U32();
  inc.first_trigger_seq = r.U64();
  inc.opened_at = r.I64();
  inc.last_trigger_at = r.I64();
  inc.level = r.U32();
  inc.pass = r.U32();
  inc.on_fallback = r.Bool();
  inc.next_step_at = r.I64();
  inc.cancel_window_until = r.I64();
  inc.ack_deadline = r.I64();
  inc.silenced_until = r.I64();
  inc.acknowledged_by = r.String();
  inc.acknowledged_at = r.I64();
  inc.assignee = r.String();
  uint32_t steps = r.U32();
  for (uint32_t i = 0; i < steps && r.ok(); ++i) {
    StepRecord s;
    s.step = r.String();
    s.by = r.String();
    s.at = r.I64();
    inc.steps_done.push_back(std::move(s));
  }
  inc.resolved_at = r.I64();
  inc.resolved_by = r.String();
  inc.override_reason = r.String();
  inc.timer_due = r.I64();
  inc.history_size = r.U32();
  if (!r.AtEnd()) inc.note = r.String();
  if (!r.AtEnd()) inc.announced_trigger_at = r.I64();
  if (!r.ok() || state < 1 || state > 5) return std::nullopt;
  return inc;
}

std::string EncodeHistoryEntry(const HistoryEntry& h) {
  record::RecordWriter w;
  w.U8(kHistoryFormat).I64(h.at).String(h.type).String(h.actor).String(h.text).U64(h.version);
  return w.Take();
}

std::optional<HistoryEntry> DecodeHistoryEntry(std::string_view bytes) {
  record::RecordReader r(bytes);
  if (r.U8() != kHistoryFormat) return std::nullopt;
  HistoryEntry h;
  h.at = r.I64();
  h.type = r.String();
  h.actor = r.String();
  h.text = r.String();
  h.version = r.U64();
  if (!r.ok()) return std::nullopt;
  return h;
}

}  // namespace picket::escalation
