// Rounds: starting them (binding to a scheduled round, route resolution, refusals), every
// checkpoint verdict at the bounds of its leg, ordered, any-order and random routes, the
// leg, end and start timers, and the guard ending a round.
#include <algorithm>
#include <catch2/catch.hpp>
#include <set>

#include "patrol/core/patrol_store.h"
#include "patrol/core/patrol_test_support.h"

namespace picket::patrol {
namespace {

using namespace testing;

const Micros kT0 = Utc(2026, 6, 10, 12, 0);  // Wednesday 14:00 CEST: no schedule near

// Starts an unscheduled north round at kT0 by g-1 (REQUIREd) and returns its id.
uint64_t StartNorth(World& w, Micros at = kT0) {
  Effects fx = w.Start("gate-1", "north", at);
  auto started = Bodies<RoundStarted>(fx);
  REQUIRE(started.size() == 1);
  return started[0].round;
}

// The one rejection `fx` holds, first (a clock_skew may follow it).
CheckpointRejected Rejected(const Effects& fx) {
  auto r = Bodies<CheckpointRejected>(fx);
  REQUIRE(r.size() == 1);
  REQUIRE(fx.events.size() >= 1);
  CHECK(fx.events[0].type() == "patrol.checkpoint_rejected");
  CHECK(fx.events[0].actor == r[0].guard);
  CHECK(Bodies<CheckpointAccepted>(fx).empty());
  return r[0];
}

CheckpointAccepted Accepted(const Effects& fx) {
  auto a = Bodies<CheckpointAccepted>(fx);
  REQUIRE(a.size() == 1);
  return a[0];
}

// The noon round (yard, due Wednesday 12:00 CEST = 10:00 UTC, guard g-7), made by its
// schedule timer; returns it.
Round MakeNoonRound(World& w) {
  w.Boot(Utc(2026, 6, 10, 8, 0));
  Effects fx = w.Fire("sched/noon");
  auto made = Bodies<RoundScheduled>(fx);
  REQUIRE(made.size() == 1);
  return w.RoundById(made[0].round);
}

// The night round due Wednesday 22:00 CEST (20:00 UTC) at gate-1.
Round MakeNightRound(World& w) {
  w.Boot(Utc(2026, 6, 10, 18, 0));
  Effects fx = w.Fire("sched/night");
  auto made = Bodies<RoundScheduled>(fx);
  REQUIRE(made.size() == 1);
  return w.RoundById(made[0].round);
}

}  // namespace

TEST_CASE("rounds: an ordered round walked on time and late, then completed", "[patrol][round]") {
  World w;
  Effects start = w.Start("gate-1", "north", kT0);
  CHECK(Types(start) == std::vector<std::string>{"patrol.round_started"});
  const RoundStarted s = Bodies<RoundStarted>(start).at(0);
  CHECK(s.route == "north");
  CHECK(s.post == "gate-1");
  CHECK(s.guard == "g-1");
  CHECK(s.due == 0);
  CHECK_FALSE(s.late);
  CHECK(s.order == std::vector<std::string>{"c1", "c2", "c3"});
  CHECK(s.route_order == RouteOrder::kOrdered);
  CHECK(start.events[0].actor == "g-1");
  CHECK(start.events[0].at == kT0);
  CHECK(w.TimerDue(LegTimer(s.round)) == kT0 + 15 * kMinute);  // leg_max + grace
  CHECK(w.TimerDue(EndTimer(s.round)) == kT0 + 35 * kMinute);  // 3 x 10 + 5

  auto a1 = Accepted(w.Scan("gate-1", "c1", kT0 + 3 * kMinute));
  CHECK(a1.position == 1);
  CHECK(a1.on_time);
  CHECK(a1.leg == 3 * kMinute);
  CHECK(a1.round == s.round);
  CHECK(w.TimerDue(LegTimer(s.round)) == kT0 + 18 * kMinute);  // anchored at the scan
  auto a2 = Accepted(w.Scan("gate-1", "c2", kT0 + 8 * kMinute));
  CHECK(a2.position == 2);
  Effects last = w.Scan("gate-1", "c3", kT0 + 20 * kMinute);
  CHECK(Types(last) ==
        std::vector<std::string>{"patrol.checkpoint_accepted", "patrol.round_completed"});
  CHECK_FALSE(Accepted(last).on_time);  // a 12 min leg
  const RoundCompleted done = Bodies<RoundCompleted>(last).at(0);
  CHECK(done.on_time == 2);
  CHECK(done.late == 1);
  CHECK(done.missed == 0);
  CHECK(done.total == 20 * kMinute);
  CHECK_FALSE(done.scheduled);
  CHECK_FALSE(done.ended_early);
  CHECK(last.events[1].at == kT0 + 20 * kMinute);
  CHECK_FALSE(w.TimerDue(LegTimer(s.round)));
  CHECK_FALSE(w.TimerDue(EndTimer(s.round)));
  const Round r = w.RoundById(s.round);
  CHECK(r.status == RoundStatus::kCompleted);
  CHECK(r.ended_at == kT0 + 20 * kMinute);
  CHECK(r.checkpoints[2] == CheckpointVerdict{"c3", CheckpointState::kLate, kT0 + 20 * kMinute});
  CHECK_FALSE(PatrolStore(w.state).ActiveRound("gate-1", "g-1"));
}

TEST_CASE("rounds: leg_min, leg_max and grace are judged exactly at their bounds",
          "[patrol][round]") {
  World w;
  const uint64_t id = StartNorth(w);
  // leg_min 2 min: a microsecond short is too early (and says how long to wait).
  auto early = Rejected(w.Scan("gate-1", "c1", kT0 + 2 * kMinute - 1));
  CHECK(early.reason == RejectReason::kTooEarly);
  CHECK(early.wait == 1);
  CHECK(early.round == id);
  CHECK(w.RoundById(id).checkpoints[0].state == CheckpointState::kPending);
  CHECK(Accepted(w.Scan("gate-1", "c1", kT0 + 2 * kMinute)).on_time);
  // leg_max 10 min: exactly is on time, a microsecond more is late.
  const Micros a1 = kT0 + 2 * kMinute;
  CHECK(Accepted(w.Scan("gate-1", "c2", a1 + 10 * kMinute)).on_time);
  const Micros a2 = a1 + 10 * kMinute;
  auto late = Accepted(w.Scan("gate-1", "c3", a2 + 10 * kMinute + 1));
  CHECK_FALSE(late.on_time);
  CHECK(late.leg == 10 * kMinute + 1);
}

TEST_CASE("rounds: a checkpoint is missed exactly at anchor + leg_max + grace", "[patrol][round]") {
  World w;
  const uint64_t id = StartNorth(w);
  Accepted(w.Scan("gate-1", "c1", kT0 + 5 * kMinute));
  const Micros deadline = kT0 + 20 * kMinute;
  REQUIRE(w.TimerDue(LegTimer(id)) == deadline);
  // A scan exactly at the deadline, before the timer, still counts (late).
  World w2;
  StartNorth(w2);
  Accepted(w2.Scan("gate-1", "c1", kT0 + 5 * kMinute));
  CHECK_FALSE(Accepted(w2.Scan("gate-1", "c2", deadline)).on_time);

  Effects fx = w.Fire(LegTimer(id));
  CHECK(Types(fx) == std::vector<std::string>{"patrol.checkpoint_missed"});
  const CheckpointMissed m = Bodies<CheckpointMissed>(fx).at(0);
  CHECK(m.checkpoint == "c2");
  CHECK(m.deadline == deadline);
  CHECK(m.lateness == 0);
  CHECK_FALSE(m.round_ended);
  CHECK(m.guard == "g-1");
  CHECK(fx.events[0].actor.empty());
  CHECK(fx.events[0].at == deadline);
  // The next checkpoint is anchored at the miss's deadline.
  CHECK(w.TimerDue(LegTimer(id)) == deadline + 15 * kMinute);
  // A scan of c3 is now judged from the missed deadline.
  auto a3 = Accepted(w.Scan("gate-1", "c3", deadline + 4 * kMinute));
  CHECK(a3.leg == 4 * kMinute);
}

TEST_CASE("rounds: every checkpoint missed, round_late once, then completed", "[patrol][round]") {
  World w;
  const uint64_t id = StartNorth(w);
  auto events = w.RunTimers(kT0 + 2 * kHour);
  CHECK(Types(events) == std::vector<std::string>{"patrol.checkpoint_missed",
                                                  "patrol.checkpoint_missed", "patrol.round_late",
                                                  "patrol.checkpoint_missed",
                                                  "patrol.round_completed"});
  auto missed = Bodies<CheckpointMissed>(events);
  CHECK(missed[0].deadline == kT0 + 15 * kMinute);
  CHECK(missed[1].deadline == kT0 + 30 * kMinute);
  CHECK(missed[2].deadline == kT0 + 45 * kMinute);
  const RoundLate late = Bodies<RoundLate>(events).at(0);
  CHECK(late.deadline == kT0 + 35 * kMinute);
  CHECK(late.pending == 1);
  CHECK(late.lateness == 0);
  const RoundCompleted done = Bodies<RoundCompleted>(events).at(0);
  CHECK(done.missed == 3);
  CHECK(done.total == 45 * kMinute);
  const Round r = w.RoundById(id);
  CHECK(r.late_reported);
  CHECK(r.status == RoundStatus::kCompleted);
  CHECK(w.timers.empty());
}

TEST_CASE("rounds: round_late is emitted once, however often the end timer fires",
          "[patrol][round]") {
  World w;
  const uint64_t id = StartNorth(w);
  w.Scan("gate-1", "c1", kT0 + 3 * kMinute);
  const TimerSet end = w.timers.at(EndTimer(id));
  Effects first = w.Fire(EndTimer(id));
  CHECK(Types(first) == std::vector<std::string>{"patrol.round_late"});
  CHECK(Bodies<RoundLate>(first).at(0).pending == 2);
  CHECK(first.set.empty());  // nothing more to say at the end deadline
  Effects again = w.patrol.OnTimer(TimerFired{end.id, end.due, end.payload}, w.state, end.due);
  CHECK(again.events.empty());
  CHECK(w.RoundById(id).status == RoundStatus::kInProgress);
  // After round_late an extension moves the leg deadline but sets no end timer again.
  auto r = w.Run(ExtendDeadline{id, 5 * kMinute, "incident"});
  REQUIRE(r.reply.ok());
  REQUIRE(r.effects.set.size() == 1);
  CHECK(r.effects.set[0].id == LegTimer(id));
}

TEST_CASE("rounds: the reasons a scan is rejected, in their order", "[patrol][round]") {
  World w;
  // No round yet.
  auto none = Rejected(w.Scan("gate-1", "c1", kT0));
  CHECK(none.reason == RejectReason::kNoRound);
  CHECK(none.round == 0);
  CHECK(none.route.empty());
  CHECK(none.post == "gate-1");
  CHECK(none.checkpoint == "c1");
  // An unknown tag comes before a future time; a future time before no round.
  CHECK(Rejected(w.Scan("gate-1", "zz", kT0 + kHour, "g-1", kT0)).reason ==
        RejectReason::kUnknownTag);
  CHECK(Rejected(w.Scan("gate-1", "c1", kT0 + 2 * kMinute + 1, "g-1", kT0)).reason ==
        RejectReason::kFutureTime);
  const uint64_t id = StartNorth(w);
  // Exactly skew_limit ahead is not the future.
  auto at_limit = w.Scan("gate-1", "c1", kT0 + 2 * kMinute, "g-1", kT0);
  CHECK(Bodies<CheckpointAccepted>(at_limit).size() == 1);
  auto other = Rejected(w.Scan("gate-1", "x9", kT0 + 3 * kMinute));
  CHECK(other.reason == RejectReason::kNotOnRoute);
  CHECK(other.round == id);
  CHECK(other.route == "north");
  auto seq = Rejected(w.Scan("gate-1", "c3", kT0 + 5 * kMinute));
  CHECK(seq.reason == RejectReason::kOutOfSequence);
  CHECK(seq.expected == "c2");
  auto dup = Rejected(w.Scan("gate-1", "c1", kT0 + 6 * kMinute));
  CHECK(dup.reason == RejectReason::kDuplicate);
  // Another guard at the post has no round; the guard at another post neither.
  CHECK(Rejected(w.Scan("gate-1", "c2", kT0 + 6 * kMinute, "g-2")).reason ==
        RejectReason::kNoRound);
  CHECK(Rejected(w.Scan("yard", "c2", kT0 + 6 * kMinute)).reason == RejectReason::kNoRound);
  // Names.
  CHECK(RejectReasonName(RejectReason::kUnknownTag) == "unknown_tag");
  CHECK(RejectReasonName(RejectReason::kOutOfSequence) == "out_of_sequence");
  CHECK(RejectReasonName(RejectReason::kTooEarly) == "too_early");
  CHECK(RejectReasonName(RejectReason::kNotOnRoute) == "not_on_route");
}

TEST_CASE("rounds: a rescan never counts twice", "[patrol][round]") {
  World w;
  const uint64_t id = StartNorth(w);
  Accepted(w.Scan("gate-1", "c1", kT0 + 3 * kMinute));
  const Round before = w.RoundById(id);
  for (int i = 1; i <= 3; ++i)
    CHECK(Rejected(w.Scan("gate-1", "c1", kT0 + (3 + i) * kMinute)).reason ==
          RejectReason::kDuplicate);
  CHECK(w.RoundById(id) == before);
  CHECK(w.RoundById(id).count(CheckpointState::kOnTime) == 1);
}

TEST_CASE("rounds: any-order routes take any pending checkpoint, legs from the last scan",
          "[patrol][round]") {
  World w;
  Effects start = w.Start("yard", "yard", kT0);
  const uint64_t id = Bodies<RoundStarted>(start).at(0).round;
  CHECK_FALSE(w.TimerDue(LegTimer(id)));  // no leg timer
  CHECK(w.TimerDue(EndTimer(id)) == kT0 + 35 * kMinute);
  auto a = Accepted(w.Scan("yard", "c6", kT0 + 2 * kMinute));
  CHECK(a.position == 3);
  CHECK(a.leg == 2 * kMinute);
  auto early = Rejected(w.Scan("yard", "c4", kT0 + 2 * kMinute + 30 * kSecond));
  CHECK(early.reason == RejectReason::kTooEarly);
  CHECK(early.wait == 30 * kSecond);
  auto b = Accepted(w.Scan("yard", "c4", kT0 + 14 * kMinute));
  CHECK(b.leg == 12 * kMinute);
  CHECK_FALSE(b.on_time);
  // The end deadline misses what is left, and completes the round; no round_late.
  Effects end = w.Fire(EndTimer(id), kT0 + 40 * kMinute);
  CHECK(Types(end) ==
        std::vector<std::string>{"patrol.checkpoint_missed", "patrol.round_completed"});
  const CheckpointMissed m = Bodies<CheckpointMissed>(end).at(0);
  CHECK(m.checkpoint == "c5");
  CHECK(m.deadline == kT0 + 35 * kMinute);
  CHECK(m.lateness == 5 * kMinute);
  const RoundCompleted done = Bodies<RoundCompleted>(end).at(0);
  CHECK(done.on_time == 1);
  CHECK(done.late == 1);
  CHECK(done.missed == 1);
  CHECK(done.total == 35 * kMinute);
  CHECK_FALSE(w.RoundById(id).late_reported);
}

TEST_CASE("rounds: random routes walk the order drawn from the entropy", "[patrol][round]") {
  const std::vector<std::string> tags{"c1", "c2", "c3", "c4", "c5"};
  std::set<std::vector<std::string>> orders;
  for (uint64_t entropy = 1; entropy <= 20; ++entropy) {
    World w;
    Effects fx = w.Start("yard", "fence", kT0, "g-1", entropy);
    const RoundStarted s = Bodies<RoundStarted>(fx).at(0);
    CHECK(s.route_order == RouteOrder::kRandom);
    std::vector<std::string> sorted = s.order;
    std::sort(sorted.begin(), sorted.end());
    CHECK(sorted == tags);  // a permutation
    // The same entropy draws the same order.
    World again;
    CHECK(Bodies<RoundStarted>(again.Start("yard", "fence", kT0, "g-9", entropy)).at(0).order ==
          s.order);
    orders.insert(s.order);
  }
  CHECK(orders.size() > 10);  // and the entropy matters

  World w;
  const RoundStarted s = Bodies<RoundStarted>(w.Start("yard", "fence", kT0, "g-1", 7)).at(0);
  const Round r = w.RoundById(s.round);
  for (size_t i = 0; i < s.order.size(); ++i) CHECK(r.checkpoints[i].tag == s.order[i]);
  auto seq = Rejected(w.Scan("yard", s.order[1], kT0 + kMinute));
  CHECK(seq.reason == RejectReason::kOutOfSequence);
  CHECK(seq.expected == s.order[0]);
  Micros at = kT0;
  for (const auto& tag : s.order) {
    at += 3 * kMinute;
    Effects fx = w.Scan("yard", tag, at);
    CHECK(Bodies<CheckpointAccepted>(fx).size() == 1);
  }
  CHECK(w.RoundById(s.round).status == RoundStatus::kCompleted);
}

TEST_CASE("rounds: a start binds the earliest startable scheduled round of the route",
          "[patrol][round]") {
  World w;
  const Round night = MakeNightRound(w);
  CHECK(night.due == Utc(2026, 6, 10, 20, 0));
  // A microsecond before due - early is too early for it: an unscheduled round.
  World w2;
  MakeNightRound(w2);
  auto early = Bodies<RoundStarted>(w2.Start("gate-1", "north", night.due - 15 * kMinute - 1));
  REQUIRE(early.size() == 1);
  CHECK(early[0].round != night.id);
  CHECK(early[0].due == 0);
  CHECK(w2.RoundById(early[0].round).schedule.empty());

  Effects fx = w.Start("gate-1", "", night.due - 15 * kMinute);  // route resolved: the only one
  const RoundStarted s = Bodies<RoundStarted>(fx).at(0);
  CHECK(s.round == night.id);
  CHECK(s.due == night.due);
  CHECK_FALSE(s.late);
  CHECK(fx.cancel == std::vector<std::string>{StartTimer(night.id)});
  CHECK_FALSE(w.TimerDue(StartTimer(night.id)));
  const Round r = w.RoundById(night.id);
  CHECK(r.status == RoundStatus::kInProgress);
  CHECK(r.schedule == "night");
  CHECK(r.guard == "g-1");
  CHECK(PatrolStore(w.state).OpenRounds("gate-1").empty());
  // Its completion says it was scheduled.
  Accepted(w.Scan("gate-1", "c1", night.due - 10 * kMinute));
  Accepted(w.Scan("gate-1", "c2", night.due - 5 * kMinute));
  CHECK(Bodies<RoundCompleted>(w.Scan("gate-1", "c3", night.due)).at(0).scheduled);
}

TEST_CASE("rounds: a start after due + grace is late, and not started comes first",
          "[patrol][round]") {
  SECTION("exactly at due + grace is not late") {
    World w;
    const Round night = MakeNightRound(w);
    auto s = Bodies<RoundStarted>(w.Start("gate-1", "north", night.due + 5 * kMinute));
    CHECK(s.at(0).round == night.id);
    CHECK_FALSE(s.at(0).late);
  }
  SECTION("after it, before its start timer was handled") {
    World w;
    const Round night = MakeNightRound(w);
    const Micros at = night.due + 5 * kMinute + 1;
    Effects fx = w.Start("gate-1", "north", at, "g-1", 0, at + 20 * kSecond);
    CHECK(Types(fx) ==
          std::vector<std::string>{"patrol.round_not_started", "patrol.round_started"});
    const RoundNotStarted ns = Bodies<RoundNotStarted>(fx).at(0);
    CHECK(ns.deadline == night.due + 5 * kMinute);
    CHECK(ns.lateness == 20 * kSecond + 1);
    CHECK(Bodies<RoundStarted>(fx).at(0).late);
    CHECK(w.RoundById(night.id).started_late);
  }
  SECTION("after the start timer said not started, until its end deadline") {
    World w;
    const Round night = MakeNightRound(w);
    Effects ns = w.Fire(StartTimer(night.id));
    CHECK(Types(ns) == std::vector<std::string>{"patrol.round_not_started"});
    CHECK(w.RoundById(night.id).status == RoundStatus::kNotStarted);
    const Micros until = night.due + 35 * kMinute;  // due + grace + planned length
    CHECK(w.TimerDue(StartTimer(night.id)) == until);
    Effects fx = w.Start("gate-1", "north", until);
    CHECK(Types(fx) == std::vector<std::string>{"patrol.round_started"});
    CHECK(Bodies<RoundStarted>(fx).at(0).round == night.id);
    CHECK(Bodies<RoundStarted>(fx).at(0).late);
  }
  SECTION("after its end deadline a start is an unscheduled round") {
    World w;
    const Round night = MakeNightRound(w);
    w.Fire(StartTimer(night.id));
    Effects expire = w.Fire(StartTimer(night.id));  // the startable window closes
    CHECK(expire.events.empty());
    CHECK(PatrolStore(w.state).OpenRounds("gate-1").empty());
    CHECK(w.RoundById(night.id).status == RoundStatus::kNotStarted);
    auto s = Bodies<RoundStarted>(w.Start("gate-1", "north", night.due + 35 * kMinute + 1));
    CHECK(s.at(0).round != night.id);
    CHECK(s.at(0).due == 0);
  }
}

TEST_CASE("rounds: the route of a start, and the starts refused", "[patrol][round]") {
  World w;
  auto refused = [&](Effects fx) {
    auto r = Bodies<RoundRefused>(fx);
    REQUIRE(r.size() == 1);
    CHECK(fx.events[0].type() == "patrol.round_refused");  // a clock_skew may follow
    CHECK(Bodies<RoundStarted>(fx).empty());
    CHECK(fx.events[0].actor == "g-1");
    return r[0];
  };
  auto unknown = refused(w.Start("gate-1", "south", kT0));
  CHECK(unknown.reason == StartRefusal::kUnknownRoute);
  CHECK(unknown.route == "south");
  CHECK(unknown.post == "gate-1");
  CHECK(refused(w.Start("gate-1", "yard", kT0)).reason == StartRefusal::kOtherPost);
  // yard has two routes and nothing startable now.
  CHECK(refused(w.Start("yard", "", kT0)).reason == StartRefusal::kRouteRequired);
  CHECK(refused(w.Start("nowhere", "", kT0)).reason == StartRefusal::kUnknownRoute);
  CHECK(refused(w.Start("gate-1", "north", kT0 + 3 * kMinute, "g-1", 0, kT0)).reason ==
        StartRefusal::kFutureTime);
  CHECK(StartRefusalName(StartRefusal::kRouteRequired) == "route_required");
  CHECK(StartRefusalName(StartRefusal::kOtherPost) == "other_post");
  CHECK(PatrolStore(w.state).ActiveRounds("").empty());

  // With the noon round startable, an empty route at yard means it.
  World noon;
  const Round r = MakeNoonRound(noon);
  auto s = Bodies<RoundStarted>(noon.Start("yard", "", r.due));
  CHECK(s.at(0).round == r.id);
  CHECK(s.at(0).route == "yard");
}

TEST_CASE("rounds: a schedule's post walks its route there", "[patrol][round]") {
  PatrolConfig c = SiteConfig();
  c.schedules[0].post = "gate-2";
  World w(c);
  const Round night = MakeNightRound(w);
  CHECK(night.post == "gate-2");
  auto s = Bodies<RoundStarted>(w.Start("gate-2", "north", night.due));
  CHECK(s.at(0).round == night.id);
  CHECK(s.at(0).post == "gate-2");
  // The route's own post still walks it (unscheduled there).
  CHECK(Bodies<RoundStarted>(w.Start("gate-1", "north", night.due)).at(0).round != night.id);
}

TEST_CASE("rounds: the same start again is ignored, another route ends the first",
          "[patrol][round]") {
  World w;
  Effects first = w.Start("yard", "yard", kT0);
  const uint64_t id = Bodies<RoundStarted>(first).at(0).round;
  Accepted(w.Scan("yard", "c4", kT0 + 2 * kMinute));
  const Snapshot before = w.Rows();
  CHECK(w.Start("yard", "yard", kT0 + 3 * kMinute).events.empty());
  CHECK(w.Start("yard", "", kT0 + 3 * kMinute).events.empty());
  CHECK(w.Rows().at("rounds") == before.at("rounds"));

  Effects fx = w.Start("yard", "fence", kT0 + 4 * kMinute, "g-1", 3);
  CHECK(Types(fx) == std::vector<std::string>{"patrol.checkpoint_missed",
                                              "patrol.checkpoint_missed", "patrol.round_completed",
                                              "patrol.round_started"});
  for (const auto& m : Bodies<CheckpointMissed>(fx)) {
    CHECK(m.round == id);
    CHECK(m.round_ended);
    CHECK(m.deadline == kT0 + 4 * kMinute);
  }
  CHECK(Bodies<RoundCompleted>(fx).at(0).ended_early);
  const uint64_t second = Bodies<RoundStarted>(fx).at(0).round;
  CHECK(PatrolStore(w.state).ActiveRound("yard", "g-1") == second);
  CHECK_FALSE(w.TimerDue(EndTimer(id)));
  // Two guards at one post walk their own rounds.
  CHECK(Bodies<RoundStarted>(w.Start("yard", "yard", kT0 + 5 * kMinute, "g-2")).size() == 1);
  CHECK(PatrolStore(w.state).ActiveRounds("yard").size() == 2);
}

TEST_CASE("rounds: the guard ends a round, pending checkpoints are missed", "[patrol][round]") {
  World w;
  const uint64_t id = StartNorth(w);
  Accepted(w.Scan("gate-1", "c1", kT0 + 3 * kMinute));
  const Micros end_at = kT0 + 6 * kMinute;
  Effects fx = w.End("gate-1", end_at);
  CHECK(Types(fx) == std::vector<std::string>{"patrol.checkpoint_missed",
                                              "patrol.checkpoint_missed",
                                              "patrol.round_completed"});
  for (const auto& m : Bodies<CheckpointMissed>(fx)) {
    CHECK(m.round_ended);
    CHECK(m.deadline == end_at);
    CHECK(m.lateness == 0);
  }
  CHECK(fx.events[0].actor == "g-1");
  const RoundCompleted done = Bodies<RoundCompleted>(fx).at(0);
  CHECK(done.ended_early);
  CHECK(done.on_time == 1);
  CHECK(done.missed == 2);
  CHECK(done.total == 6 * kMinute);
  CHECK(w.timers.empty());
  CHECK(w.RoundById(id).ended_early);
  // No round: nothing.
  CHECK(w.End("gate-1", end_at + kMinute).events.empty());
  CHECK(w.End("yard", end_at + kMinute, "g-5").events.empty());
}

TEST_CASE("rounds: timers that no longer match change nothing", "[patrol][round]") {
  World w;
  const uint64_t id = StartNorth(w);
  const TimerSet leg = w.timers.at(LegTimer(id));
  const TimerSet end = w.timers.at(EndTimer(id));
  Accepted(w.Scan("gate-1", "c1", kT0 + 3 * kMinute));
  Accepted(w.Scan("gate-1", "c2", kT0 + 6 * kMinute));
  Accepted(w.Scan("gate-1", "c3", kT0 + 9 * kMinute));
  const Snapshot before = w.Rows();
  for (const TimerSet& t : {leg, end}) {
    Effects fx = w.patrol.OnTimer(TimerFired{t.id, t.due, t.payload}, w.state, t.due + kHour);
    CHECK(fx.events.empty());
    CHECK(fx.set.empty());
  }
  Effects other = w.patrol.OnTimer(TimerFired{"ovs/whatever", kT0, ""}, w.state, kT0);
  CHECK(other.events.empty());
  Effects gone = w.patrol.OnTimer(TimerFired{StartTimer(999), kT0, ""}, w.state, kT0);
  CHECK(gone.events.empty());
  CHECK(w.Rows() == before);
}

TEST_CASE("rounds: a leg timer that fires early (a moved deadline) waits for it",
          "[patrol][round]") {
  World w;
  const uint64_t id = StartNorth(w);
  Accepted(w.Scan("gate-1", "c1", kT0 + 5 * kMinute));
  // An old row for the first leg's deadline: c2's deadline is later now.
  Effects fx = w.patrol.OnTimer(TimerFired{LegTimer(id), kT0 + 15 * kMinute, ""}, w.state,
                                kT0 + 15 * kMinute);
  CHECK(fx.events.empty());
  REQUIRE(fx.set.size() == 1);
  CHECK(fx.set[0] == TimerSet{LegTimer(id), kT0 + 20 * kMinute, ""});
}

TEST_CASE("rounds: deadlines that fell during a downtime fire once each, with lateness",
          "[patrol][round]") {
  World w;
  const uint64_t id = StartNorth(w);
  const Micros back = kT0 + 3 * kHour;
  auto events = w.RunTimers(back, back);
  auto missed = Bodies<CheckpointMissed>(events);
  REQUIRE(missed.size() == 3);
  for (const auto& m : missed) CHECK(m.lateness == back - m.deadline);
  CHECK(missed[0].deadline == kT0 + 15 * kMinute);
  CHECK(missed[2].deadline == kT0 + 45 * kMinute);
  auto late = Bodies<RoundLate>(events);
  REQUIRE(late.size() == 1);
  CHECK(late[0].lateness == back - (kT0 + 35 * kMinute));
  CHECK(Bodies<RoundCompleted>(events).size() == 1);
  CHECK(w.RoundById(id).status == RoundStatus::kCompleted);
  // The events are at their deadlines, not when they were handled.
  for (const auto& e : events)
    if (auto* m = std::get_if<CheckpointMissed>(&e.body)) CHECK(e.at == m->deadline);
}

TEST_CASE("rounds: status and event names", "[patrol][round]") {
  CHECK(RoundStatusName(RoundStatus::kScheduled) == "scheduled");
  CHECK(RoundStatusName(RoundStatus::kInProgress) == "in_progress");
  CHECK(RoundStatusName(RoundStatus::kCompleted) == "completed");
  CHECK(RoundStatusName(RoundStatus::kNotStarted) == "not_started");
  CHECK(RoundStatusName(RoundStatus::kCancelled) == "cancelled");
  CHECK(CheckpointStateName(CheckpointState::kPending) == "pending");
  CHECK(CheckpointStateName(CheckpointState::kOnTime) == "on_time");
  CHECK(CheckpointStateName(CheckpointState::kExcused) == "excused");
  CHECK(EventTypeName(RoundScheduled{}) == "patrol.round_scheduled");
  CHECK(EventTypeName(CheckpointRejected{}) == "patrol.checkpoint_rejected");
  MissedReviewed review;
  review.withdrawn = true;
  CHECK(EventTypeName(review) == "patrol.missed_withdrawn");
  review.withdrawn = false;
  CHECK(EventTypeName(review) == "patrol.missed_confirmed");
  CHECK(EventTypeName(RoundNotStarted{}) == "patrol.round_not_started");
  CHECK(EventTypeName(DeadlineExtended{}) == "patrol.deadline_extended");
  CHECK(EventTypeName(CheckpointExcused{}) == "patrol.checkpoint_excused");
  CHECK(EventTypeName(RoundCancelled{}) == "patrol.round_cancelled");
  CHECK(EventTypeName(ClockSkew{}) == "patrol.clock_skew");
  CHECK(OutgoingEvent{"", 0, RoundLate{}}.type() == "patrol.round_late");
}

}  // namespace picket::patrol
