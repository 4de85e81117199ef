// What the patrol core emits: one OutgoingEvent per verdict or change, as plain values.
// The adapter (patrol/wire_convert.h) copies them into schemas/patrol.capnp's bodies.
// Escalation's rules read patrol.checkpoint_missed {post route round checkpoint},
// patrol.round_not_started {post route round} and patrol.round_late {post route round}
// (escalation/core/trigger_catalog.cc): those bodies carry exactly these names.
//
// The envelope's actor is the guard (a fact's verdict) or the supervisor (a command);
// empty for a timer. `at` is the envelope's observed time: a verdict on a scan is at the
// scan's observed time; a deadline's verdict at the deadline itself (not when the timer
// was handled: `lateness` says how much later that was); a command's at `now`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/clock.h"
#include "patrol/core/patrol_types.h"

namespace picket::patrol {

// Why a checkpoint scan was not counted, in the order they are checked: the first that
// applies is reported. DO NOT CHANGE the names: on the bus (checkpoint_rejected.reason)
// and matched by scoring and escalation rules.
enum class RejectReason : uint8_t {
  kUnknownTag = 1,     // "unknown_tag": no configured checkpoint has it
  kFutureTime = 2,     // "future_time": observed more than skew_limit after the bus got it
  kNoRound = 3,        // "no_round": the guard has no round in progress at this post
  kNotOnRoute = 4,     // "not_on_route": a checkpoint, but not of this round's route
  kDuplicate = 5,      // "duplicate": this round already counted it (a rescan)
  kOutOfSequence = 6,  // "out_of_sequence": ordered/random route, not the next expected
  kTooEarly = 7,       // "too_early": less than leg_min after the previous one
};
std::string_view RejectReasonName(RejectReason r);

// patrol.round_scheduled: a scheduled round became startable (at due - early).
struct RoundScheduled {
  uint64_t round = 0;
  std::string route, post, schedule, guard;  // guard: the schedule's assigned guard or ""
  Micros due = 0;
};
// patrol.round_started. `order` is the expected order (random routes: the drawn one).
struct RoundStarted {
  uint64_t round = 0;
  std::string route, post, guard;
  Micros due = 0;     // 0 = unscheduled
  bool late = false;  // started after due + grace (round_not_started already out)
  std::vector<std::string> order;
  RouteOrder route_order = RouteOrder::kOrdered;
};
// patrol.round_refused: a round start the core cannot take. DO NOT CHANGE the names.
enum class StartRefusal : uint8_t {
  kUnknownRoute = 1,   // "unknown_route": no route with that id
  kOtherPost = 2,      // "other_post": the route is walked by another post
  kRouteRequired = 3,  // "route_required": the post has several routes and none is due
  kFutureTime = 4,     // "future_time": as RejectReason::kFutureTime
};
std::string_view StartRefusalName(StartRefusal r);
struct RoundRefused {
  std::string route, post, guard;
  StartRefusal reason = StartRefusal::kUnknownRoute;
};
// patrol.checkpoint_accepted
struct CheckpointAccepted {
  uint64_t round = 0;
  std::string route, post, guard, checkpoint;
  uint32_t position = 0;  // 1-based place in the round's order
  bool on_time = true;    // false: late (after leg_max, within grace)
  Micros leg = 0;         // scanned - anchor (the previous verdict, or the start)
};
// patrol.checkpoint_rejected (round 0 / route "" when there is no round)
struct CheckpointRejected {
  uint64_t round = 0;
  std::string route, post, guard, checkpoint;
  RejectReason reason = RejectReason::kUnknownTag;
  std::string expected;  // out_of_sequence: the tag expected next
  Micros wait = 0;       // too_early: how much longer the guard had to take
};
// patrol.checkpoint_missed: its deadline passed (or the guard ended the round).
struct CheckpointMissed {
  uint64_t round = 0;
  std::string route, post, guard, checkpoint;
  Micros deadline = 0;
  Micros lateness = 0;       // timer handled - deadline (> 0 after a downtime)
  bool round_ended = false;  // declared by the guard's "round ended", not by a deadline
};
// patrol.missed_withdrawn / patrol.missed_confirmed: a scan of a missed checkpoint arrived
// late (an offline terminal). Observed in time (at or before the deadline recomputed from
// the round's current verdicts) withdraws the missed verdict, and the checkpoint counts as
// on time or late; observed after it confirms the verdict. Both reference the missed
// verdict by (round, checkpoint, missed_deadline).
struct MissedReviewed {
  uint64_t round = 0;
  std::string route, post, guard, checkpoint;
  Micros missed_deadline = 0;  // the deadline of the verdict reviewed
  Micros deadline = 0;         // the deadline it was reviewed against
  Micros scanned_at = 0;       // the late scan's observed time
  bool withdrawn = false;      // true: patrol.missed_withdrawn; false: missed_confirmed
  bool on_time = false;        // withdrawn: counted on time (else late)
};
// patrol.round_not_started: due + grace (+ extensions) passed and no start.
struct RoundNotStarted {
  uint64_t round = 0;
  std::string route, post, guard;  // guard: the schedule's assigned guard or ""
  Micros due = 0, deadline = 0, lateness = 0;
};
// patrol.round_late: start + planned_length + grace (+ extensions) passed and the round is
// not completed. Once per round.
struct RoundLate {
  uint64_t round = 0;
  std::string route, post, guard;
  Micros deadline = 0, lateness = 0;
  uint32_t pending = 0;  // checkpoints without a verdict then
};
// patrol.round_completed: every checkpoint has a verdict, or the guard ended the round.
struct RoundCompleted {
  uint64_t round = 0;
  std::string route, post, guard;
  uint32_t on_time = 0, late = 0, missed = 0, excused = 0;
  Micros total = 0;  // last verdict (or end) - start
  bool ended_early = false;
  bool scheduled = false;
};
// Supervisor decisions (commands). patrol.deadline_extended
struct DeadlineExtended {
  uint64_t round = 0;
  std::string route, post, reason;
  Micros by = 0, extension = 0;  // this extension, and the round's total now
};
// patrol.checkpoint_excused
struct CheckpointExcused {
  uint64_t round = 0;
  std::string route, post, checkpoint, reason, guard;
};
// patrol.round_cancelled
struct RoundCancelled {
  uint64_t round = 0;
  std::string route, post, reason;
  RoundStatus was = RoundStatus::kScheduled;
};
// patrol.clock_skew: a terminal's clock is off by more than skew_limit.
struct ClockSkew {
  std::string terminal, post;
  Micros offset = 0;  // + = the terminal's clock is ahead of the bus
  uint32_t samples = 0;
};

using EventBody =
    std::variant<RoundScheduled, RoundStarted, RoundRefused, CheckpointAccepted, CheckpointRejected,
                 CheckpointMissed, MissedReviewed, RoundNotStarted, RoundLate, RoundCompleted,
                 DeadlineExtended, CheckpointExcused, RoundCancelled, ClockSkew>;

struct OutgoingEvent {
  std::string actor;
  Micros at = 0;
  EventBody body;
  // The bus type, e.g. "patrol.checkpoint_missed". DO NOT CHANGE the names: on the bus.
  std::string_view type() const;
};
std::string_view EventTypeName(const EventBody& body);

// A keyed timer effect (ServiceStore::SetTimer): setting an id again moves it.
struct TimerSet {
  std::string id;
  Micros due = 0;
  std::string payload;
  friend bool operator==(const TimerSet&, const TimerSet&) = default;
};

struct Effects {
  std::vector<OutgoingEvent> events;  // in order; to the outbox, then the bus
  std::vector<std::string> cancel;    // timer ids to cancel; applied before `set`
  std::vector<TimerSet> set;
};

}  // namespace picket::patrol
