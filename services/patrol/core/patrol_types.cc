#include "patrol/core/patrol_types.h"

#include "domain/record_codec.h"

namespace picket::patrol {
namespace {

using record::RecordReader;
using record::RecordWriter;

// The first byte of every record. DO NOT CHANGE: stored.
constexpr uint8_t kFormat = 1;

bool KnownStatus(uint8_t b) { return b <= static_cast<uint8_t>(RoundStatus::kCancelled); }
bool KnownState(uint8_t b) { return b <= static_cast<uint8_t>(CheckpointState::kExcused); }

void WriteVerdict(RecordWriter& w, const CheckpointVerdict& v) {
  w.String(v.tag).U8(static_cast<uint8_t>(v.state)).I64(v.scanned_at).I64(v.deadline);
  w.Bool(v.withdrawn);
}

CheckpointVerdict ReadVerdict(RecordReader& r, bool* ok) {
  CheckpointVerdict v;
  v.tag = r.String();
  const uint8_t state = r.U8();
  v.scanned_at = r.I64();
  v.deadline = r.I64();
  v.withdrawn = r.Bool();
  if (!KnownState(state)) *ok = false;
  v.state = static_cast<CheckpointState>(state);
  return v;
}

// A route has at most 100 checkpoints (patrol_config.h); a count far above that is garbage,
// refused before it is looped over.
constexpr uint32_t kMaxVerdicts = 10000;

}  // namespace

std::string_view RoundStatusName(RoundStatus s) {
  switch (s) {
    case RoundStatus::kScheduled:
      return "scheduled";
    case RoundStatus::kInProgress:
      return "in_progress";
    case RoundStatus::kCompleted:
      return "completed";
    case RoundStatus::kNotStarted:
      return "not_started";
    case RoundStatus::kCancelled:
      return "cancelled";
  }
  return "?";
}

std::string_view CheckpointStateName(CheckpointState s) {
  switch (s) {
    case CheckpointState::kPending:
      return "pending";
    case CheckpointState::kOnTime:
      return "on_time";
    case CheckpointState::kLate:
      return "late";
    case CheckpointState::kMissed:
      return "missed";
    case CheckpointState::kExcused:
      return "excused";
  }
  return "?";
}

uint32_t Round::count(CheckpointState s) const {
  uint32_t n = 0;
  for (const auto& c : checkpoints)
    if (c.state == s) ++n;
  return n;
}

std::string EncodeRound(const Round& r) {
  RecordWriter w;
  w.U8(kFormat).U64(r.id).String(r.route).String(r.post).String(r.schedule).String(r.assigned);
  w.I64(r.due).U8(static_cast<uint8_t>(r.status)).String(r.guard).I64(r.started_at);
  w.I64(r.ended_at).Bool(r.started_late).Bool(r.late_reported).Bool(r.ended_early);
  w.I64(r.extension).U32(static_cast<uint32_t>(r.checkpoints.size()));
  for (const auto& v : r.checkpoints) WriteVerdict(w, v);
  return w.Take();
}

std::optional<Round> DecodeRound(std::string_view bytes) {
  RecordReader r(bytes);
  Round out;
  bool ok = r.U8() == kFormat;
  out.id = r.U64();
  out.route = r.String();
  out.post = r.String();
  out.schedule = r.String();
  out.assigned = r.String();
  out.due = r.I64();
  const uint8_t status = r.U8();
  out.guard = r.String();
  out.started_at = r.I64();
  out.ended_at = r.I64();
  out.started_late = r.Bool();
  out.late_reported = r.Bool();
  out.ended_early = r.Bool();
  out.extension = r.I64();
  const uint32_t n = r.U32();
  if (!ok || !r.ok() || n > kMaxVerdicts || !KnownStatus(status)) return std::nullopt;
  out.status = static_cast<RoundStatus>(status);
  for (uint32_t i = 0; i < n && ok && r.ok(); ++i) out.checkpoints.push_back(ReadVerdict(r, &ok));
  if (!ok || !r.ok()) return std::nullopt;
  return out;
}

std::string EncodeTerminalClock(const TerminalClock& c) {
  RecordWriter w;
  w.U8(kFormat).String(c.terminal).String(c.post).I64(c.window_start).I64(c.window_max);
  w.U32(c.window_samples).I64(c.estimate).I64(c.last_offset).I64(c.reported_at);
  return w.Take();
}

std::optional<TerminalClock> DecodeTerminalClock(std::string_view bytes) {
  RecordReader r(bytes);
  TerminalClock c;
  bool ok = r.U8() == kFormat;
  c.terminal = r.String();
  c.post = r.String();
  c.window_start = r.I64();
  c.window_max = r.I64();
  c.window_samples = r.U32();
  c.estimate = r.I64();
  c.last_offset = r.I64();
  c.reported_at = r.I64();
  if (!ok || !r.ok()) return std::nullopt;
  return c;
}

}  // namespace picket::patrol
