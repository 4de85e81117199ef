// PatrolStore: typed reads and writes of picket-patrol's tables through the handler's Txn
// (formats: patrol_keys.h, patrol_types.h, schedule.h).
//
// Holds a reference: `txn` must outlive it. Writes go to the Txn only, so they commit (or
// not) with everything else the handler did. A row that does not decode, or an index row
// naming a missing round, is broken storage, not an expected outcome: it throws StoreError
// (base/txn.h), which the runtime turns into an abandoned apply. Not thread-safe.
//
// The indexes are written by explicit calls (the flow decides when a round enters or
// leaves them); SaveRound writes the record only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/txn.h"
#include "patrol/core/patrol_keys.h"
#include "patrol/core/patrol_types.h"
#include "patrol/core/schedule.h"

namespace picket::patrol {

class PatrolStore {
 public:
  explicit PatrolStore(Txn& txn) : txn_(txn) {}

  std::optional<Round> LoadRound(uint64_t id);
  // The round an index names: missing is broken storage.
  Round IndexedRound(uint64_t id);
  void SaveRound(const Round& r);
  // Takes the next round id (1, 2, ...).
  uint64_t TakeRoundId();

  // rounds_by_time: a round's time is its due, or (unscheduled) its start.
  static Micros TimeOf(const Round& r) { return r.due != 0 ? r.due : r.started_at; }
  void AddToTimeIndex(const Round& r);
  // Ids of the rounds whose time is in [from, to), ascending by time then id.
  std::vector<uint64_t> RoundsBetween(Micros from, Micros to);

  // open_rounds: scheduled and not started rounds that may still be started.
  void AddOpen(const Round& r);
  void RemoveOpen(const Round& r);
  // The open rounds of a post (of one route of it, if `route` is not empty), ascending by
  // route, due, id.
  std::vector<Round> OpenRounds(std::string_view post, std::string_view route = {});

  // active_rounds: the round a guard has in progress at a post.
  std::optional<uint64_t> ActiveRound(std::string_view post, std::string_view guard);
  void SetActive(const Round& r);
  // Clears the row of r's post and guard if it names r.
  void ClearActive(const Round& r);
  // Every active round (of one post, or all if `post` is empty), by post then guard.
  std::vector<uint64_t> ActiveRounds(std::string_view post);

  // guard_rounds: every round started, by post, guard and start time.
  void AddGuardRound(const Round& r);
  // The rounds `guard` started at `post` on UTC day `day` (keys::DayOf), ascending.
  std::vector<keys::TimedRound> GuardRoundsOnDay(std::string_view post, std::string_view guard,
                                                 uint32_t day);

  std::optional<ScheduleState> LoadSchedule(std::string_view id);
  void SaveSchedule(const ScheduleState& s);
  void DeleteSchedule(std::string_view id);
  std::vector<ScheduleState> AllSchedules();

  std::optional<TerminalClock> LoadClock(std::string_view terminal);
  void SaveClock(const TerminalClock& c);

 private:
  Txn& txn_;
};

}  // namespace picket::patrol
