// What `picketctl patrol ...` prints: one line per command result, the page of one round,
// and the tables (or RFC 4180 CSV) of rounds, rounds in progress and completion rates;
// from the request sent and picket-patrol's reply (schemas/patrol.capnp readers). Times
// as RFC 3339 UTC (access_time.h), states and statuses by their schema names ("on_time",
// "in_progress"). Pure: nothing reads a clock or a socket.
//
// The readers may throw kj::Exception on a malformed reply: call these inside ReadSafely.
#pragma once

#include <capnp/list.h>

#include <string>

#include "base/clock.h"
#include "picket/schemas/patrol.capnp.h"

namespace picket {

// The one line for a successful command, without a newline, e.g.
//   round 4 (perimeter at gate-1): deadlines extended by 10m (20m in all): gate jammed
//   round 4 (perimeter at gate-1): checkpoint B excused: fence under repair
//   round 4 (perimeter at gate-1) cancelled: drill
// The route and post come from the round in the reply ("round 4" alone without one).
std::string FormatPatrolResult(wire::PatrolRequest::Reader request,
                               wire::PatrolReply::Reader reply);

// The refusal for stderr (after "picketctl patrol <verb>: "), with a newline:
//   unknownRound: no round 999
std::string FormatPatrolRefusal(wire::PatrolReply::Reader reply);

// A query's answer for stdout (`request` is a query), ending in a newline. `csv` applies
// to listRounds and getCompletion.
std::string FormatPatrolQuery(wire::PatrolRequest::Reader request, wire::PatrolReply::Reader reply,
                              bool csv);

// Rounds by due time, with a header; "no rounds in that period" when empty:
//   ROUND  ROUTE      POST    DUE                   STARTED               STATUS       GUARD
//   ON TIME  LATE  MISSED  EXCUSED  NOTE
// GUARD is who started it, else the schedule's guard with " (assigned)", else "-".
std::string FormatRounds(capnp::List<wire::RoundInfo>::Reader rounds);

// The same as CSV: the header
// "round,route,post,schedule,due,started,ended,status,guard,assigned,on_time,late,missed,
// excused,pending,notes" (one line), a record per round, lines ending in CRLF, an unset
// time empty; always the header.
std::string FormatRoundsCsv(capnp::List<wire::RoundInfo>::Reader rounds);

// One round in full: route, post, status, guard, schedule, due, start, end, extension,
// notes; then each checkpoint in the round's order with its state, scan time, deadline
// (for a missed one: the deadline it was declared missed at) and whether a missed verdict
// was withdrawn by a late scan.
std::string FormatRound(wire::RoundInfo::Reader round);

// The rounds in progress, with a header; "no rounds in progress" (" at POST") when empty:
//   ROUND  ROUTE      POST    GUARD    STARTED               PROGRESS  NEXT  NOTE
//   1      perimeter  gate-1  guard-7  2026-11-28T14:00:00Z  1 of 3    B     -
std::string FormatCurrentRounds(capnp::List<wire::RoundInfo>::Reader rounds,
                                const std::string& post);

// Completion per guard (or post) over the request's [from, to): a heading line, then a
// table; "no rounds in that period" when empty. LATE counts rounds that ran over their
// time, NOT STARTED those not started by their deadline (started late included); the CP
// columns count checkpoints; RATE is PatrolRate.
std::string FormatCompletion(wire::CompletionQuery::Reader asked,
                             capnp::List<wire::CompletionInfo>::Reader completion);

// The same as CSV: the header "guard" (or "post") ",rounds,completed,not_started,late,
// checkpoints_on_time,checkpoints_late,checkpoints_missed,checkpoints_excused,rate_percent",
// a record per subject, CRLF; always the header.
std::string FormatCompletionCsv(wire::CompletionQuery::Reader asked,
                                capnp::List<wire::CompletionInfo>::Reader completion);

// Checkpoints with a verdict (on time, late, missed or excused) of all: "1 of 3".
std::string PatrolProgress(wire::RoundInfo::Reader round);

// The first checkpoint without a verdict in the round's order, "-" if none. (For a route
// walked in any order any pending one may come next; the reply does not say which kind of
// route it is.)
std::string NextCheckpoint(wire::RoundInfo::Reader round);

// Checkpoints on time or late per thousand expected, as a percentage with one decimal,
// rounded down: 666 -> "66.6%", 1000 -> "100.0%".
std::string PatrolRate(uint32_t permille);

// A duration in its largest whole units: 600 s -> "10m", 5400 s -> "1h30m", 90 s ->
// "1m30s", "0s" for 0 (sub-second parts dropped).
std::string FormatSpan(Micros span);

}  // namespace picket
