#include "patrol/core/patrol_test_support.h"

#include <catch2/catch.hpp>

#include "patrol/core/patrol_keys.h"
#include "patrol/core/patrol_store.h"

namespace picket::patrol::testing {

PatrolConfig SiteConfig() {
  PatrolConfig c;
  c.time_zone = "CET-1CEST,M3.5.0,M10.5.0/3";
  for (const char* tag : {"c1", "c2", "c3", "c4", "c5", "c6", "x9"})
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
  yard.checkpoints = {"c4", "c5", "c6"};
  yard.leg_min = kMinute;
  Route fence = yard;
  fence.id = "fence";
  fence.order = RouteOrder::kRandom;
  fence.checkpoints = {"c1", "c2", "c3", "c4", "c5"};
  fence.leg_min = 0;
  c.routes = {north, yard, fence};
  Schedule night;
  night.id = "night";
  night.route = "north";
  std::string why;
  night.start_minutes = ExpandEvery(120, 22 * 60, 6 * 60, &why).value();
  Schedule noon;
  noon.id = "noon";
  noon.route = "yard";
  noon.start_minutes = {12 * 60};
  noon.days = {false, true, true, true, true, true, false};
  noon.guard = "g-7";
  c.schedules = {night, noon};
  auto errors = ValidatePatrolConfig(c);
  INFO((errors.empty() ? "" : errors[0]));
  REQUIRE(errors.empty());
  return c;
}

World::World(PatrolConfig c) : config(std::move(c)), patrol(config), state(Patrol::Tables()) {}

Effects World::Apply(Effects fx) {
  for (const auto& id : fx.cancel) timers.erase(id);
  for (const auto& t : fx.set) timers[t.id] = t;
  return fx;
}

Effects World::Start(const std::string& post, const std::string& route, Micros at,
                     const std::string& guard, uint64_t entropy, Micros recorded) {
  RoundStart fact{post, route, {"t-1", guard, at, recorded ? recorded : at}, entropy};
  return Apply(patrol.OnRoundStarted(fact, state));
}

Effects World::Scan(const std::string& post, const std::string& tag, Micros at,
                    const std::string& guard, Micros recorded, const std::string& terminal) {
  CheckpointScan fact{post, tag, {terminal, guard, at, recorded ? recorded : at}};
  return Apply(patrol.OnCheckpointScanned(fact, state));
}

Effects World::End(const std::string& post, Micros at, const std::string& guard) {
  return Apply(patrol.OnRoundEnded(RoundEnd{post, {"t-1", guard, at, at}}, state));
}

Effects World::Boot(Micros at) { return Apply(patrol.OnStart(state, at)); }

Effects World::Fire(const std::string& id, Micros clock) {
  auto it = timers.find(id);
  REQUIRE(it != timers.end());
  const TimerSet t = it->second;
  timers.erase(it);  // the runtime deletes the row in the same write
  return Apply(patrol.OnTimer(TimerFired{t.id, t.due, t.payload}, state, clock ? clock : t.due));
}

std::vector<OutgoingEvent> World::RunTimers(Micros until, Micros clock) {
  std::vector<OutgoingEvent> events;
  for (int step = 0; step < 100000; ++step) {
    const TimerSet* next = nullptr;
    for (const auto& [id, t] : timers)
      if (t.due <= until && (!next || t.due < next->due)) next = &t;
    if (!next) return events;
    Effects fx = Fire(next->id, clock ? std::max(clock, next->due) : next->due);
    events.insert(events.end(), fx.events.begin(), fx.events.end());
  }
  FAIL("timers keep firing");
  return events;
}

CommandResult World::Run(CommandBody body, std::string actor) {
  CommandResult r = patrol.OnCommand(Command{std::move(actor), std::move(body)}, state, now);
  Apply(r.effects);
  return r;
}

Round World::RoundById(uint64_t id) {
  auto r = PatrolStore(state).LoadRound(id);
  REQUIRE(r);
  return *r;
}

std::optional<Micros> World::TimerDue(const std::string& id) const {
  auto it = timers.find(id);
  if (it == timers.end()) return std::nullopt;
  return it->second.due;
}

Snapshot World::Rows() const {
  Snapshot s;
  for (const auto& t : Patrol::Tables()) s[t] = state.Rows(t);
  return s;
}

std::vector<std::string> Types(const std::vector<OutgoingEvent>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.emplace_back(e.type());
  return out;
}

std::vector<std::string> Types(const Effects& fx) { return Types(fx.events); }

std::string StartTimer(uint64_t round) {
  return keys::RoundTimerId(keys::RoundTimer::kStart, round);
}
std::string LegTimer(uint64_t round) { return keys::RoundTimerId(keys::RoundTimer::kLeg, round); }
std::string EndTimer(uint64_t round) { return keys::RoundTimerId(keys::RoundTimer::kEnd, round); }

}  // namespace picket::patrol::testing
