// What the scoring core emits, as plain values; the adapter (scoring/wire_convert.h) copies
// them into schemas/scoring.capnp's bodies. The envelope's actor is the supervisor for a
// command's events, empty otherwise; `at` is the cause's observed time (an entry's event,
// a command's `now`, an award's period end).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "scoring/core/periods.h"
#include "scoring/core/scoring_types.h"

namespace picket::scoring {

// scoring.points_awarded: a new ledger entry (the whole entry, voided == false).
struct PointsAwarded {
  Entry entry;
};
// scoring.entry_voided: an entry stopped counting (the whole entry after the void).
// `reversal`: voided by a reversing rule's event rather than by a supervisor.
struct EntryVoided {
  Entry entry;
  bool reversal = false;
};
// scoring.finding_recorded: one finding of an inspection (InspectCommand), scored by the
// rules when it comes back from the bus.
struct FindingRecorded {
  uint64_t inspection = 0;  // 1, 2, ...: the findings of one inspection share it
  std::string post, guard, category;
  bool passed = false;
  std::string note;
};
// scoring.commendation_recorded (CommendCommand).
struct CommendationRecorded {
  uint64_t commendation = 0;  // 1, 2, ...
  std::string post, guard, reason;
};
// scoring.award_granted: the best post of a closed period (ranking in scoring.h).
struct AwardGranted {
  Period period;
  std::string post;
  Totals totals;
  std::string previous;  // the post that held the award of the period before ("" if none)
  friend bool operator==(const AwardGranted&, const AwardGranted&) = default;
};

using EventBody =
    std::variant<PointsAwarded, EntryVoided, FindingRecorded, CommendationRecorded, AwardGranted>;

struct OutgoingEvent {
  std::string actor;
  Micros at = 0;
  EventBody body;
  // DO NOT CHANGE the names: on the bus.
  std::string_view type() const;
};

struct TimerSet {
  std::string id;
  Micros due = 0;
  std::string payload;
  friend bool operator==(const TimerSet&, const TimerSet&) = default;
};

struct Effects {
  std::vector<OutgoingEvent> events;  // in order; to the outbox, then the bus
  std::vector<std::string> cancel;    // applied before `set`
  std::vector<TimerSet> set;
};

}  // namespace picket::scoring
