// The bus's sequencing decision for one group-commit batch, as a pure function.
//
// Given the log's head, the ids offered in one batch (each with what the dedup table knows
// about it) and the receive time, it decides per event: record it with the next sequence
// number, or answer it as a duplicate with the original's seq and recordedAt. It touches no
// storage and reads no clock; the ingest adapter looks the ids up, calls PlanBatch, writes
// what the plan says in one WriteBatch and only then acknowledges.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "runtime/clock.h"
#include "wire/event_id.h"

namespace picket {

// Where an id was already recorded.
struct RecordedAt {
  uint64_t seq = 0;
  Micros recorded_at = 0;
  friend bool operator==(const RecordedAt&, const RecordedAt&) = default;
};

// The log position the next batch continues from.
struct LogHead {
  uint64_t seq = 0;             // last assigned sequence number, 0 for an empty log
  Micros last_recorded_at = 0;  // recordedAt of `seq` (0 for an empty log)
  friend bool operator==(const LogHead&, const LogHead&) = default;
};

struct OfferedEvent {
  EventId id;
  std::optional<RecordedAt> stored;  // the dedup table's row for `id`, if any
};

struct Assignment {
  RecordedAt at;           // the seq and recordedAt to acknowledge
  bool duplicate = false;  // true: `at` is the original's; nothing is written for it
  // For a duplicate: true if the original is in this same batch (so it is durable only
  // once the batch is); false if it was already in the log.
  bool original_in_batch = false;
};

struct BatchPlan {
  std::vector<Assignment> assignments;  // one per offered event, in the same order
  LogHead new_head;                     // the head after the batch is written
  size_t recorded = 0;                  // how many assignments are new (not duplicates)
};

// Plans one batch. New events get consecutive sequence numbers after `head.seq`, in the
// order offered; all of them get the same recordedAt = max(now, head.last_recorded_at), so
// recordedAt never decreases along the log even if the wall clock steps back (retention
// relies on that). The second and later copies of one id in the batch are duplicates of
// the first.
BatchPlan PlanBatch(const LogHead& head, Micros now, const std::vector<OfferedEvent>& offered);

}  // namespace picket
