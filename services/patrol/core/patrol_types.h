// The patrol core's state as values: rounds, the verdict on each checkpoint of a round,
// and what is known of each terminal's clock. Their stored records (EncodeRound /
// DecodeRound ...) use domain/record_codec.h; the formats are frozen (DO NOT CHANGE the
// numbered enums, only add fields at the end) and round-trip tested.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "patrol/core/patrol_config.h"

namespace picket::patrol {

// DO NOT CHANGE the numbers: stored.
enum class RoundStatus : uint8_t {
  kScheduled = 0,   // due soon, not started yet (startable from due - early)
  kInProgress = 1,  // started, not every checkpoint has a verdict
  kCompleted = 2,   // every checkpoint has a verdict (or the guard ended it)
  kNotStarted = 3,  // due + grace passed without a start; may still be started (late)
  kCancelled = 4,   // by a supervisor
};
std::string_view RoundStatusName(RoundStatus s);  // "scheduled", "in_progress", ...

// The verdict on one checkpoint of a round. DO NOT CHANGE the numbers: stored.
enum class CheckpointState : uint8_t {
  kPending = 0,  // no verdict yet
  kOnTime = 1,   // scanned within leg_max of its anchor (+ extensions)
  kLate = 2,     // scanned after leg_max but within leg_max + grace
  kMissed = 3,   // its deadline passed without a scan (or the round was ended)
  kExcused = 4,  // missed, then excused by a supervisor (counts as neither)
};
std::string_view CheckpointStateName(CheckpointState s);  // "pending", "on_time", ...

struct CheckpointVerdict {
  std::string tag;
  CheckpointState state = CheckpointState::kPending;
  Micros scanned_at = 0;   // the scan's observed time (on time / late), else 0
  Micros deadline = 0;     // missed: the deadline it was declared missed at
  bool withdrawn = false;  // a missed verdict withdrawn by a late-arriving scan
  friend bool operator==(const CheckpointVerdict&, const CheckpointVerdict&) = default;
};

struct Round {
  uint64_t id = 0;          // 1, 2, ... in the order rounds are created
  std::string route, post;  // the route and the post whose round it is
  std::string schedule;     // the schedule that made it; "" = started without one
  std::string assigned;     // the schedule's guard, or ""
  Micros due = 0;           // scheduled start (local wall clock made UTC); 0 = unscheduled
  RoundStatus status = RoundStatus::kScheduled;
  std::string guard;           // who started it
  Micros started_at = 0;       // observed time of the start fact
  Micros ended_at = 0;         // time of the last verdict / the end fact
  bool started_late = false;   // started after due + grace
  bool late_reported = false;  // patrol.round_late was emitted
  bool ended_early = false;    // the guard ended it with checkpoints pending
  Micros extension = 0;        // supervisor extensions, added to every pending deadline
  // In the order they are expected (ordered: the route's; random: the drawn order; any:
  // the route's, for display). Filled at start; for a scheduled round not yet started,
  // the route's order with every state pending.
  std::vector<CheckpointVerdict> checkpoints;
  friend bool operator==(const Round&, const Round&) = default;

  uint32_t count(CheckpointState s) const;
};

// What is known of one terminal's clock (producer of terminal facts).
struct TerminalClock {
  std::string terminal;     // the envelope producer
  std::string post;         // of its latest fact
  Micros window_start = 0;  // bus time the current window began
  Micros window_max = 0;    // max over the window of observed - recorded
  uint32_t window_samples = 0;
  Micros estimate = 0;     // the last closed window's max (+ = terminal clock ahead)
  Micros last_offset = 0;  // the latest sample
  Micros reported_at = 0;  // bus time of the last clock_skew event, 0 = never
  friend bool operator==(const TerminalClock&, const TerminalClock&) = default;
};

std::string EncodeRound(const Round& r);
std::optional<Round> DecodeRound(std::string_view bytes);
std::string EncodeTerminalClock(const TerminalClock& c);
std::optional<TerminalClock> DecodeTerminalClock(std::string_view bytes);

}  // namespace picket::patrol
