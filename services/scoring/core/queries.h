// The queries of Scoring::OnCommand (leaderboard, explain, entry, awards). Internal to the
// core. They read the state and change nothing.
#pragma once

#include "scoring/core/commands.h"
#include "scoring/core/ledger.h"

namespace picket::scoring {

// Refusals the commands and queries share.
CommandResult Refuse(CommandError e, std::string message);

class QueryRun {
 public:
  QueryRun(const PeriodCalendar& calendar, Ledger& ledger, Micros now)
      : calendar_(calendar), ledger_(ledger), now_(now) {}

  CommandResult Run(const LeaderboardQuery& q);
  CommandResult Run(const ExplainQuery& q);
  CommandResult Run(const EntryQuery& q);
  CommandResult Run(const AwardsQuery& q);

 private:
  // The period of `kind` containing `at` (0: now); nullopt and *refused if either is not
  // one the calendar knows.
  std::optional<Period> PeriodOf(PeriodKind kind, Micros at, CommandResult* refused) const;

  const PeriodCalendar& calendar_;
  Ledger& ledger_;
  const Micros now_;
};

}  // namespace picket::scoring
