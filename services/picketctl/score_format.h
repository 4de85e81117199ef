// What `picketctl score ...` prints: one line per command result, the leaderboard (a table
// or RFC 4180 CSV), a subject's entries (explain), one entry, and the awards; from the
// request sent and picket-scoring's reply (schemas/scoring.capnp readers). Times as RFC
// 3339 UTC (access_time.h), as `picketctl patrol` prints them; periods by their kind and
// the service's label ("day 2026-11-28", "week 2026-W48"); enums by their schema names.
// Pure: nothing reads a clock or a socket.
//
// The readers may throw kj::Exception on a malformed reply: call these inside ReadSafely.
#pragma once

#include <capnp/list.h>

#include <string>

#include "base/clock.h"
#include "picket/schemas/scoring.capnp.h"

namespace picket {

// The one line for a successful command, without a newline, e.g.
//   inspection 7 recorded (2 findings)
//   commendation 3 recorded for guard ann at post yard: calm at the riot
//   entry 42 (-3 inspection_fault) voided: the call was the control room
// The void's points and rule come from the entry in the reply ("entry 42 voided: ..."
// without one).
std::string FormatScoreResult(wire::ScoringRequest::Reader request,
                              wire::ScoringReply::Reader reply);

// The refusal for stderr (after "picketctl score <verb>: "), with a newline:
//   alreadyVoided: entry 42 is voided already
std::string FormatScoreRefusal(wire::ScoringReply::Reader reply);

// A query's answer for stdout (`request` is a query), ending in a newline. `csv` applies
// to the leaderboard.
std::string FormatScoreQuery(wire::ScoringRequest::Reader request, wire::ScoringReply::Reader reply,
                             bool csv);

// A heading naming the subjects and the period answered, then the standings best first;
// "no entries in that period" when there are none:
//   leaderboard by guard, day 2026-11-28
//   RANK  GUARD  POINTS  REWARDS  PENALTIES  ENTRIES
//   1     ben    12      12       0          3
//   2     ann    -2      1        -3         2
std::string FormatLeaderboard(wire::LeaderboardQuery::Reader asked,
                              wire::ScoringReply::Reader reply);

// The same as CSV: the header "rank,guard" (or post, squad) ",points,rewards,penalties,
// entries" and a record per standing, lines ending in CRLF; always the header.
std::string FormatLeaderboardCsv(wire::LeaderboardQuery::Reader asked,
                                 capnp::List<wire::Standing>::Reader standings);

// The subject's total in the period, then each of its entries by time (voided ones too,
// marked); "no entries in that period" when there are none:
//   guard ann, day 2026-11-28: -2 points (rewards +1, penalties -3, 2 entries)
//   ENTRY  TIME                  POINTS  RULE               LABEL
//   1      2026-11-28T14:00:00Z  +1      inspection_passed  Uniform passed
//   2      2026-11-28T14:00:00Z  -3      inspection_fault   Phone faulted  VOIDED by chief: x
std::string FormatExplain(wire::ExplainQuery::Reader asked, wire::ScoringReply::Reader reply);

// One entry in full: points and rule, then its label, the event that earned it, its time,
// subjects, and whether (by whom, when, why) it was voided.
std::string FormatEntry(wire::LedgerEntry::Reader entry);

// The awards of one period kind, latest first; the first line names the current holder,
// or says there is none yet:
//   current week award: gate-1 (2026-W48, 12 points)
//   PERIOD    POST    POINTS  REWARDS  PENALTIES  ENTRIES  PREVIOUS
//   2026-W48  gate-1  12      14       -2         5        gate-2
std::string FormatAwards(wire::AwardsQuery::Reader asked,
                         capnp::List<wire::AwardGranted>::Reader awards);

// A period as "day 2026-11-28" (its kind's schema name, then the service's label).
std::string FormatPeriod(wire::PeriodInfo::Reader period);

// Entry points with their sign: "+1", "-3", "0".
std::string SignedPoints(int64_t points);

}  // namespace picket
