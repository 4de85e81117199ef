// Scoring: the pure core of picket-scoring (issue 12). Recorded events in; ledger entries,
// voids, totals, awards and their events out.
//
//   a recorded event ──► for each rule of its type whose conditions hold (config order):
//        a reversing rule: every live entry of rule `reverses` with the same `match`
//                          values is voided ──► scoring.entry_voided {reversal}
//        else, unless its `once` values already earned from this rule, and unless it
//        names no guard, no post and no squad: a new entry ──► scoring.points_awarded
//   scoring.entry_voided (its own, back from the bus) ──► the void, if not applied yet
//   inspect / commend ──► scoring.finding_recorded ×n / scoring.commendation_recorded (the
//                         rules score them when they come back, like any event)
//   void  ──► the entry stops counting ──► scoring.entry_voided
//   award timer (period end + award_delay) ──► scoring.award_granted for the best post;
//                                              the timer moves to the next period's end
//
// Totals. Each live entry counts in the four periods containing its `at` (shift, day,
// week, month), for each of its subjects (guard, post, squad). A void takes it out of
// all of them, also of a period already closed (an award given is not taken back).
//
// Ranking (leaderboards and the award): more points first; on equal points, fewer
// penalty points (penalties closer to 0); then more reward points; then the subject's
// name in byte order. The award goes to the first post of the period's post ranking,
// among posts with at least one live entry in it; no post with an entry: no award.
//
// Exactly once. The adapter hands each bus event to OnEvent once (in seq order) and
// commits the writes with it; entry ids come from a counter in the state, so a rebuild
// from the same events gives the same entries and ids. The adapter must pass
// scoring.entry_voided only when the scoring service itself produced it (a void from
// anyone else is ignored and counted there).
//
// The core never reads a clock; not thread-safe.
#pragma once

#include <string>
#include <vector>

#include "base/txn.h"
#include "scoring/core/commands.h"
#include "scoring/core/scoring_config.h"

namespace picket::scoring {

struct TimerFired {
  std::string id;
  Micros due = 0;
  std::string payload;
};

// Orders standings by the ranking above (true if a ranks before b).
bool RanksBefore(const std::string& a_subject, const Totals& a, const std::string& b_subject,
                 const Totals& b);

class Scoring {
 public:
  // `config` must outlive this and must have passed ValidateScoringConfig.
  explicit Scoring(const ScoringConfig& config);

  static std::vector<std::string> Tables();

  // Every award kind without a timer gets one at the end of the period containing `now`,
  // + award_delay. Idempotent. A kind no longer configured loses its timer.
  Effects OnStart(Txn& state, Micros now);
  Effects OnEvent(const Fact& fact, Txn& state);
  Effects OnTimer(const TimerFired& t, Txn& state, Micros now);
  CommandResult OnCommand(const Command& command, Txn& state, Micros now);

 private:
  const ScoringConfig& config_;
  PeriodCalendar calendar_;
  std::map<std::string, std::vector<size_t>, std::less<>> rules_by_event_;  // -> rule indexes
};

}  // namespace picket::scoring
