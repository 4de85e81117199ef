// The small site the picket-patrol harnesses run the core on (patrol/core/patrol.h): like
// access_world.h, the core tests' World (patrol_test_support.h) without Catch2. Built
// once per process by running facts, timers and commands through the core, as the
// service would have; each input then runs on a copy of its state, so a run does not
// depend on the inputs before it and a crash reproduces from its one input.
//
// Zone CET/CEST. Checkpoints c1..c5 and x9 (on no route).
//   route north: post gate-1, ordered c1 c2 c3, legs 2..10 min, grace 5, early 15
//   route yard:  post yard, any order c4 c5, legs 1..10 min, grace 5, early 15
//   route fence: post yard, random c1 c2 c5, legs 0..10 min, grace 5, early 15
//   schedule night: route north, every 2 h from 22:00 to 06:00, every day
//   schedule noon:  route yard, 12:00 on weekdays, guard g-7
// Terminals t-1 (gate-1) and t-2 (yard); supervisor sup-1.
//
// The state at kNow (Wednesday 2026-06-10 21:50 CEST), rounds by id (the ids and
// statuses are checked when the world is built; tests/fuzz_corpus/patrol_* seeds name
// them):
//   1 night, Tue 22:00: g-1, c1 c2 on time, c3 missed: completed (excusable)
//   2 night, Wed 00:00: nobody started it: not_started, out of open_rounds
//   3 night, Wed 02:00: g-1, all on time; c3's miss withdrawn by a late offline scan
//   4 night, Wed 04:00: cancelled by sup-1 before it started
//   5 night, Wed 06:00: g-2 started it late, scanned c1, ended it: completed early
//   6 noon,  Wed 12:00: g-7, c5 then c4: completed
//   7 fence, unscheduled: g-3 started it at 21:40 and scanned its first checkpoint:
//     in progress
//   8 night, Wed 22:00: scheduled (startable since 21:45), extended by 10 min
#pragma once

#include <algorithm>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include <capnp/message.h>

#include "fuzz/fuzz_support.h"
#include "patrol/core/patrol.h"
#include "patrol/core/patrol_keys.h"
#include "patrol/core/patrol_store.h"
#include "patrol/core/schedule.h"
#include "patrol/wire_convert.h"
#include "testing/memory_txn.h"

namespace picket::fuzz {

class PatrolWorld {
 public:
  static constexpr Micros kMinute = patrol::kMinute;
  static constexpr Micros kHour = 60 * kMinute;
  static constexpr Micros kDay0 = 1'781'049'600'000'000;  // 2026-06-10 00:00 UTC, a Wednesday
  static constexpr Micros kNow = kDay0 + 19 * kHour + 50 * kMinute;  // 21:50 CEST

  // The rounds of the state (see above).
  static constexpr uint64_t kMissedRound = 1;      // completed, c3 missed
  static constexpr uint64_t kNotStartedRound = 2;  // not_started
  static constexpr uint64_t kWithdrawnRound = 3;   // completed, c3's miss withdrawn
  static constexpr uint64_t kCancelledRound = 4;   // cancelled
  static constexpr uint64_t kEndedEarlyRound = 5;  // completed, ended early
  static constexpr uint64_t kNoonRound = 6;        // completed
  static constexpr uint64_t kInProgressRound = 7;  // fence, in progress
  static constexpr uint64_t kScheduledRound = 8;   // scheduled, extended

  static const PatrolWorld& Get() {
    static const PatrolWorld world;
    return world;
  }

  patrol::PatrolConfig config;
  mutable patrol::Patrol core;  // holds only the config; its handlers are not const
  MemoryTxn state;              // copy it per input

  // Whether `s` has the same rows as the world's state in every table.
  bool Unchanged(const MemoryTxn& s) const {
    for (const auto& t : patrol::Patrol::Tables())
      if (s.Rows(t) != state.Rows(t)) return false;
    return true;
  }

  PatrolWorld(const PatrolWorld&) = delete;
  PatrolWorld& operator=(const PatrolWorld&) = delete;

 private:
  static patrol::PatrolConfig SiteConfig() {
    using namespace patrol;
    PatrolConfig c;
    c.time_zone = "CET-1CEST,M3.5.0,M10.5.0/3";
    for (const char* tag : {"c1", "c2", "c3", "c4", "c5", "x9"})
      c.checkpoints.push_back({tag, std::string("Checkpoint ") + tag, ""});
    Route north;
    north.id = "north";
    north.post = "gate-1";
    north.checkpoints = {"c1", "c2", "c3"};
    north.leg_min = 2 * kMinute;
    north.leg_max = 10 * kMinute;
    north.grace = 5 * kMinute;
    north.early = 15 * kMinute;
    Route yard = north;
    yard.id = "yard";
    yard.post = "yard";
    yard.order = RouteOrder::kAnyOrder;
    yard.checkpoints = {"c4", "c5"};
    yard.leg_min = kMinute;
    Route fence = yard;
    fence.id = "fence";
    fence.order = RouteOrder::kRandom;
    fence.checkpoints = {"c1", "c2", "c5"};
    fence.leg_min = 0;
    c.routes = {north, yard, fence};
    Schedule night;
    night.id = "night";
    night.route = "north";
    std::string why;
    auto every = ExpandEvery(120, 22 * 60, 6 * 60, &why);
    Require(every.has_value(), "the harness's night schedule expands");
    night.start_minutes = *every;
    Schedule noon;
    noon.id = "noon";
    noon.route = "yard";
    noon.start_minutes = {12 * 60};
    noon.days = {false, true, true, true, true, true, false};
    noon.guard = "g-7";
    c.schedules = {night, noon};
    Require(ValidatePatrolConfig(c).empty(), "the harness's site config is valid");
    return c;
  }

  // The runtime's timer table while the world is built: keyed, cancelled before set.
  std::map<std::string, patrol::TimerSet> timers_;

  patrol::Effects Apply(patrol::Effects fx) {
    for (const auto& id : fx.cancel) timers_.erase(id);
    for (const auto& t : fx.set) timers_[t.id] = t;
    return fx;
  }

  // Fires every timer due at or before `until`, earliest first, each with the clock at its
  // due (the service was running).
  void RunTimers(Micros until) {
    for (;;) {
      auto next = timers_.end();
      for (auto it = timers_.begin(); it != timers_.end(); ++it)
        if (it->second.due <= until && (next == timers_.end() || it->second.due < next->second.due))
          next = it;
      if (next == timers_.end()) return;
      const patrol::TimerSet t = next->second;
      timers_.erase(next);  // the runtime deletes the row in the same write
      Apply(core.OnTimer(patrol::TimerFired{t.id, t.due, t.payload}, state, t.due));
    }
  }

  // A fact observed at `at` and recorded by the bus at `recorded` (0: a second later):
  // the timers due by then fire first.
  patrol::FactSource Source(const std::string& terminal, const std::string& guard, Micros at,
                            Micros recorded = 0) {
    if (recorded == 0) recorded = at + kMicrosPerSecond;
    RunTimers(recorded);
    return patrol::FactSource{terminal, guard, at, recorded};
  }
  patrol::Effects Start(const std::string& post, const std::string& route, const std::string& guard,
                        Micros at, uint64_t entropy = 0) {
    const std::string terminal = post == "yard" ? "t-2" : "t-1";
    return Apply(core.OnRoundStarted(
        patrol::RoundStart{post, route, Source(terminal, guard, at), entropy}, state));
  }
  patrol::Effects Scan(const std::string& post, const std::string& tag, const std::string& guard,
                       Micros at, Micros recorded = 0) {
    const std::string terminal = post == "yard" ? "t-2" : "t-1";
    return Apply(core.OnCheckpointScanned(
        patrol::CheckpointScan{post, tag, Source(terminal, guard, at, recorded)}, state));
  }
  void End(const std::string& post, const std::string& guard, Micros at) {
    Apply(core.OnRoundEnded(patrol::RoundEnd{post, Source("t-1", guard, at)}, state));
  }
  void Run(patrol::CommandBody body, Micros at) {
    RunTimers(at);
    auto r = core.OnCommand(patrol::Command{"sup-1", std::move(body)}, state, at);
    Require(r.reply.ok(), "the harness's supervisor command is applied");
    Apply(r.effects);
  }

  patrol::Round Load(uint64_t id) {
    auto r = patrol::PatrolStore(state).LoadRound(id);
    Require(r.has_value(), "the harness's round exists");
    return *r;
  }

  PatrolWorld() : config(SiteConfig()), core(config), state(patrol::Patrol::Tables()) {
    using namespace patrol;
    const Micros tue = kDay0 - 24 * kHour;
    const Micros m = kMinute;
    Apply(core.OnStart(state, tue + 19 * kHour));  // Tuesday 21:00 CEST
    // 1: Tuesday 22:00 CEST (20:00 UTC); c3 is missed at c2 + leg_max + grace.
    Start("gate-1", "", "g-1", tue + 19 * kHour + 58 * m);
    Scan("gate-1", "c1", "g-1", tue + 20 * kHour + 1 * m);
    Scan("gate-1", "c2", "g-1", tue + 20 * kHour + 5 * m);
    // 2: Wednesday 00:00 CEST, never started. 3: 02:00 CEST; the terminal was offline for
    // c3, whose scan reaches the bus after its miss.
    Start("gate-1", "", "g-1", kDay0);
    Scan("gate-1", "c1", "g-1", kDay0 + 3 * m);
    Scan("gate-1", "c2", "g-1", kDay0 + 6 * m);
    Scan("gate-1", "c3", "g-1", kDay0 + 9 * m, kDay0 + 30 * m);
    // 4: 04:00 CEST, cancelled once it is scheduled.
    Run(CancelRound{kCancelledRound, "drill"}, kDay0 + 1 * kHour + 50 * m);
    // 5: 06:00 CEST, started after its start deadline, ended early.
    Start("gate-1", "", "g-2", kDay0 + 4 * kHour + 10 * m);
    Scan("gate-1", "c1", "g-2", kDay0 + 4 * kHour + 13 * m);
    End("gate-1", "g-2", kDay0 + 4 * kHour + 20 * m);
    // 6: noon (10:00 UTC), any order.
    Start("yard", "", "g-7", kDay0 + 9 * kHour + 55 * m);
    Scan("yard", "c5", "g-7", kDay0 + 9 * kHour + 58 * m);
    Scan("yard", "c4", "g-7", kDay0 + 10 * kHour + 2 * m);
    // 7: an unscheduled random round, its first checkpoint scanned.
    Effects started = Start("yard", "fence", "g-3", kDay0 + 19 * kHour + 40 * m, 7);
    Require(!started.events.empty() && std::holds_alternative<RoundStarted>(started.events[0].body),
            "the harness's fence round started");
    const auto& order = std::get<RoundStarted>(started.events[0].body).order;
    Require(!order.empty(), "the fence round has an order");
    Scan("yard", order[0], "g-3", kDay0 + 19 * kHour + 43 * m);
    // 8: Wednesday 22:00 CEST, scheduled at 21:45, extended.
    Run(ExtendDeadline{kScheduledRound, 10 * m, "gate duty"}, kDay0 + 19 * kHour + 48 * m);
    RunTimers(kNow);

    auto is = [&](uint64_t id, RoundStatus s) { return Load(id).status == s; };
    Require(is(kMissedRound, RoundStatus::kCompleted) &&
                Load(kMissedRound).checkpoints[2].state == CheckpointState::kMissed,
            "round 1: completed, c3 missed");
    Require(is(kNotStartedRound, RoundStatus::kNotStarted), "round 2: not started");
    Require(is(kWithdrawnRound, RoundStatus::kCompleted) &&
                Load(kWithdrawnRound).checkpoints[2].withdrawn,
            "round 3: completed, c3's miss withdrawn");
    Require(is(kCancelledRound, RoundStatus::kCancelled), "round 4: cancelled");
    Require(is(kEndedEarlyRound, RoundStatus::kCompleted) && Load(kEndedEarlyRound).ended_early &&
                Load(kEndedEarlyRound).started_late,
            "round 5: started late, ended early");
    Require(is(kNoonRound, RoundStatus::kCompleted), "round 6: completed");
    Require(
        is(kInProgressRound, RoundStatus::kInProgress) && Load(kInProgressRound).route == "fence",
        "round 7: fence, in progress");
    Require(
        is(kScheduledRound, RoundStatus::kScheduled) && Load(kScheduledRound).extension == 10 * m,
        "round 8: scheduled, extended");
  }
};

// What the core's Effects promise the adapter, checked for every harness run: each event
// has a patrol.* type and fills a wire event (FillEvent), each timer id set or cancelled
// is one the core's timer handler reads (patrol_keys.h), and a schedule timer's payload
// is its occurrence.
inline void CheckEffects(const patrol::Effects& fx) {
  using namespace patrol;
  for (const auto& e : fx.events) {
    Require(e.type().starts_with("patrol."), "an event has a patrol.* type");
    capnp::MallocMessageBuilder out;
    FillEvent(out.initRoot<wire::Event>(), e);
  }
  auto known = [](std::string_view id) {
    return keys::DecodeScheduleTimerId(id).has_value() || keys::DecodeRoundTimerId(id).has_value();
  };
  for (const auto& id : fx.cancel) Require(known(id), "a cancelled timer id is the core's");
  for (const auto& t : fx.set) {
    Require(known(t.id), "a timer id set is the core's");
    if (keys::DecodeScheduleTimerId(t.id))
      Require(DecodeOccurrence(t.payload).has_value(), "a schedule timer carries its occurrence");
  }
}

}  // namespace picket::fuzz
