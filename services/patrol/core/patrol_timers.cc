// Patrol::OnStart and Patrol::OnTimer: the schedule timers that make rounds, and the
// deadlines of a round (its start, its next checkpoint, its end).
//
// A schedule has one timer, "sched/<id>", for its next occurrence (schedule.h) at its due
// minus the route's `early`; firing it makes the round of that occurrence and moves the
// timer to the occurrence after it (after its due, not after now: after a downtime each
// missed occurrence is still made once, and each start deadline then fires late with its
// lateness). The schedules table records the occurrence each timer stands for and the
// last one made (schedule.h, ScheduleState), so a changed configuration is re-armed
// without making an occurrence twice.
#include "patrol/core/patrol.h"
#include "patrol/core/patrol_keys.h"
#include "patrol/core/round_flow.h"
#include "patrol/core/schedule.h"

namespace picket::patrol {
namespace {

const Route* RouteOf(const PatrolConfig& config, const Schedule& s) {
  return config.FindRoute(s.route);
}

// Records `next` as the schedule's pending occurrence and sets its timer.
void Arm(PatrolStore& store, const Schedule& s, const Route& route, const Occurrence& next,
         Micros made_until, Effects& fx) {
  ScheduleState state{s.id, next, next.due - route.early, made_until};
  store.SaveSchedule(state);
  fx.set.push_back({keys::ScheduleTimerId(s.id), state.timer_due, EncodeOccurrence(next)});
}

// True if `state` is what the current configuration would arm: the first occurrence after
// those done with, and its timer at due - early.
bool StillArmed(const TimeZoneRule& zone, const ScheduleState& state, const Schedule& s,
                const Route& route) {
  auto expected = NextOccurrence(s, zone, state.made_until);
  return expected && *expected == state.next && state.timer_due == state.next.due - route.early;
}

// The round of occurrence `o`, scheduled: startable from due - early, not started at its
// start deadline.
void MakeRound(PatrolStore& store, const Schedule& s, const Route& route, const Occurrence& o,
               Micros at, Effects& fx) {
  Round r;
  r.id = store.TakeRoundId();
  r.route = route.id;
  r.post = s.post.empty() ? route.post : s.post;
  r.schedule = s.id;
  r.assigned = s.guard;
  r.due = o.due;
  r.status = RoundStatus::kScheduled;
  for (const auto& tag : route.checkpoints) r.checkpoints.push_back({tag});
  store.SaveRound(r);
  store.AddToTimeIndex(r);
  store.AddOpen(r);
  fx.events.push_back({"", at, RoundScheduled{r.id, r.route, r.post, s.id, s.guard, r.due}});
  fx.set.push_back(
      {keys::RoundTimerId(keys::RoundTimer::kStart, r.id), StartDeadline(r, route), ""});
}

// A schedule's timer: the round of the occurrence it stands for, and the next one armed.
Effects ScheduleTimerFired(const PatrolConfig& config, const TimeZoneRule& zone,
                           const std::string& id, const TimerFired& t, PatrolStore& store) {
  Effects fx;
  const Schedule* s = config.FindSchedule(id);
  const Route* route = s ? RouteOf(config, *s) : nullptr;
  if (!route) return fx;  // removed from the configuration: OnStart forgets it
  auto fired = DecodeOccurrence(t.payload);
  auto armed = store.LoadSchedule(id);
  if (!armed) {
    // A row never recorded (the state was lost, or OnStart forgot it): start afresh.
    if (auto next = NextOccurrence(*s, zone, t.due)) Arm(store, *s, *route, *next, t.due, fx);
    return fx;
  }
  if (!fired || armed->next != *fired) {
    Arm(store, *s, *route, armed->next, armed->made_until, fx);  // stale row: the recorded one
    return fx;
  }
  auto expected = NextOccurrence(*s, zone, armed->made_until);
  if (!expected) return fx;
  if (*expected != *fired) {
    // The configuration changed since it was armed: its first occurrence not done with.
    Arm(store, *s, *route, *expected, armed->made_until, fx);
    return fx;
  }
  MakeRound(store, *s, *route, *fired, t.due, fx);
  if (auto next = NextOccurrence(*s, zone, fired->due))
    Arm(store, *s, *route, *next, fired->due, fx);
  return fx;
}

// A scheduled round's start deadline: not started. Then, at the end of its startable
// window, it leaves open_rounds (a later start is an unscheduled round).
void StartDeadlineFired(Flow& flow, Round& r, const Route& route, Micros now) {
  using keys::RoundTimer;
  if (r.status == RoundStatus::kScheduled) {
    const Micros deadline = StartDeadline(r, route);
    if (deadline > now) return flow.SetTimer(RoundTimer::kStart, r.id, deadline);
    r.status = RoundStatus::kNotStarted;
    flow.store.SaveRound(r);
    RoundNotStarted ev{r.id, r.route, r.post, r.assigned, r.due, deadline, now - deadline};
    flow.fx.events.push_back({"", deadline, std::move(ev)});
    flow.SetTimer(RoundTimer::kStart, r.id, StartableUntil(r, route));
  } else if (r.status == RoundStatus::kNotStarted) {
    const Micros until = StartableUntil(r, route);
    if (until > now) return flow.SetTimer(RoundTimer::kStart, r.id, until);
    flow.store.RemoveOpen(r);
  }
}

// Ordered and random routes: the next pending checkpoint is missed; the one after it is
// anchored at this deadline.
void LegDeadlineFired(Flow& flow, Round& r, const Route& route, Micros now) {
  if (r.status != RoundStatus::kInProgress || !HasLegTimer(route)) return;
  const auto next = NextPending(r);
  if (!next) return;
  const Micros deadline = DeadlineOf(r, route, *next);
  if (deadline > now) return flow.SetTimer(keys::RoundTimer::kLeg, r.id, deadline);
  MissCheckpoint(flow, r, *next, deadline, now - deadline, /*round_ended=*/false, "", deadline);
  AfterVerdict(flow, r, route, "");
}

// The end deadline: any-order rounds miss what is pending and complete; the others get
// round_late (once) and go on.
void EndDeadlineFired(Flow& flow, Round& r, const Route& route, Micros now) {
  if (r.status != RoundStatus::kInProgress) return;
  const Micros deadline = EndDeadline(r, route);
  if (deadline > now) return flow.SetTimer(keys::RoundTimer::kEnd, r.id, deadline);
  if (route.order == RouteOrder::kAnyOrder) {
    for (size_t i = 0; i < r.checkpoints.size(); ++i)
      if (r.checkpoints[i].state == CheckpointState::kPending)
        MissCheckpoint(flow, r, i, deadline, now - deadline, /*round_ended=*/false, "", deadline);
    return CompleteRound(flow, r, "");
  }
  if (r.late_reported) return;
  r.late_reported = true;
  flow.store.SaveRound(r);
  RoundLate ev{
      r.id, r.route, r.post, r.guard, deadline, now - deadline, r.count(CheckpointState::kPending)};
  flow.fx.events.push_back({"", deadline, std::move(ev)});
}

}  // namespace

Effects Patrol::OnStart(Txn& state, Micros now) {
  Effects fx;
  PatrolStore store(state);
  for (const ScheduleState& s : store.AllSchedules()) {
    if (config_.FindSchedule(s.schedule)) continue;
    store.DeleteSchedule(s.schedule);  // gone from the configuration: forgotten
    fx.cancel.push_back(keys::ScheduleTimerId(s.schedule));
  }
  for (const Schedule& s : config_.schedules) {
    const Route* route = RouteOf(config_, s);
    if (!route) continue;  // refused by validation
    auto armed = store.LoadSchedule(s.id);
    if (armed && StillArmed(zone_, *armed, s, *route)) continue;
    // New: its first occurrence after now. Changed since it was armed: the first of the
    // new pattern after those done with, so none already made is made again.
    const Micros after = armed ? armed->made_until : now;
    if (auto next = NextOccurrence(s, zone_, after)) Arm(store, s, *route, *next, after, fx);
  }
  return fx;
}

Effects Patrol::OnTimer(const TimerFired& t, Txn& state, Micros now) {
  PatrolStore store(state);
  if (auto schedule = keys::DecodeScheduleTimerId(t.id))
    return ScheduleTimerFired(config_, zone_, *schedule, t, store);
  Effects fx;
  auto ref = keys::DecodeRoundTimerId(t.id);
  auto r = ref ? store.LoadRound(ref->round) : std::nullopt;
  const Route* route = r ? config_.FindRoute(r->route) : nullptr;
  if (!route) return fx;  // not ours, no such round, or its route is gone
  Flow flow{config_, store, fx};
  switch (ref->kind) {
    case keys::RoundTimer::kStart:
      StartDeadlineFired(flow, *r, *route, now);
      break;
    case keys::RoundTimer::kLeg:
      LegDeadlineFired(flow, *r, *route, now);
      break;
    case keys::RoundTimer::kEnd:
      EndDeadlineFired(flow, *r, *route, now);
      break;
  }
  return fx;
}

}  // namespace picket::patrol
