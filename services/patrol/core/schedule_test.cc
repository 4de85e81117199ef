// Schedules: start times across DST, the schedule timers that make rounds (driven through
// OnTimer), OnStart, and a downtime.
#include "patrol/core/schedule.h"

#include <catch2/catch.hpp>

#include "patrol/core/patrol_keys.h"
#include "patrol/core/patrol_store.h"
#include "patrol/core/patrol_test_support.h"

namespace picket::patrol {
namespace {

using namespace testing;

TimeZoneRule Berlin() { return *TimeZoneRule::Parse("CET-1CEST,M3.5.0,M10.5.0/3", nullptr); }

// Every occurrence of `s` with due in (from, to], in order.
std::vector<Occurrence> Walk(const Schedule& s, Micros from, Micros to) {
  std::vector<Occurrence> out;
  for (auto o = NextOccurrence(s, Berlin(), from); o && o->due <= to;
       o = NextOccurrence(s, Berlin(), o->due))
    out.push_back(*o);
  return out;
}

std::vector<Micros> Dues(const std::vector<RoundScheduled>& rounds) {
  std::vector<Micros> out;
  for (const auto& r : rounds) out.push_back(r.due);
  return out;
}

std::vector<RoundScheduled> OfSchedule(const std::vector<OutgoingEvent>& events,
                                       const std::string& schedule) {
  std::vector<RoundScheduled> out;
  for (const auto& r : Bodies<RoundScheduled>(events))
    if (r.schedule == schedule) out.push_back(r);
  return out;
}

const std::string kNightTimer = "sched/night";

}  // namespace

TEST_CASE("schedule: the spring-forward night has each start once, 02:00 at 03:00 CEST",
          "[patrol][schedule]") {
  const Schedule night = *SiteConfig().FindSchedule("night");
  auto occ = Walk(night, Utc(2026, 3, 28, 12, 0), Utc(2026, 3, 29, 12, 0));
  REQUIRE(occ.size() == 5);
  CHECK(occ[0] == Occurrence{{2026, 3, 28}, 1320, Utc(2026, 3, 28, 21, 0)});  // 22:00 CET
  CHECK(occ[1] == Occurrence{{2026, 3, 28}, 1440, Utc(2026, 3, 28, 23, 0)});  // 00:00 CET
  CHECK(occ[2] == Occurrence{{2026, 3, 28}, 1560, Utc(2026, 3, 29, 1, 0)});   // 03:00 CEST
  CHECK(occ[3] == Occurrence{{2026, 3, 28}, 1680, Utc(2026, 3, 29, 2, 0)});   // 04:00 CEST
  CHECK(occ[4] == Occurrence{{2026, 3, 28}, 1800, Utc(2026, 3, 29, 4, 0)});   // 06:00 CEST
  // The next evening's window runs on Sunday's date, in CEST.
  CHECK(NextOccurrence(night, Berlin(), occ[4].due)->due == Utc(2026, 3, 29, 20, 0));
}

TEST_CASE("schedule: the fall-back night has 02:00 once, at its first occurrence (CEST)",
          "[patrol][schedule]") {
  const Schedule night = *SiteConfig().FindSchedule("night");
  auto occ = Walk(night, Utc(2026, 10, 24, 12, 0), Utc(2026, 10, 25, 12, 0));
  std::vector<Micros> dues;
  for (const auto& o : occ) dues.push_back(o.due);
  CHECK(dues == std::vector<Micros>{Utc(2026, 10, 24, 20, 0), Utc(2026, 10, 24, 22, 0),
                                    Utc(2026, 10, 25, 0, 0), Utc(2026, 10, 25, 3, 0),
                                    Utc(2026, 10, 25, 5, 0)});
  CHECK(occ[2].start_minute == 1560);
}

TEST_CASE("schedule: starts that fall on one instant in the skipped hour are one round",
          "[patrol][schedule]") {
  Schedule hourly;
  hourly.id = "hourly";
  hourly.route = "north";
  hourly.start_minutes = {60, 120, 180, 240};  // 01:00 .. 04:00
  auto occ = Walk(hourly, Utc(2026, 3, 28, 23, 0), Utc(2026, 3, 29, 3, 0));
  // 02:00 does not exist: it is due at 03:00 CEST, like 03:00 itself; named by the earlier.
  REQUIRE(occ.size() == 3);
  CHECK(occ[0].due == Utc(2026, 3, 29, 0, 0));
  CHECK(occ[1] == Occurrence{{2026, 3, 29}, 120, Utc(2026, 3, 29, 1, 0)});
  CHECK(occ[2].due == Utc(2026, 3, 29, 2, 0));
  // A skipped half hour: 02:30 is due at 03:30 CEST.
  CHECK(DueOf(Berlin(), {2026, 3, 29}, 150) == Utc(2026, 3, 29, 1, 30));
}

TEST_CASE("schedule: days are the window's first day, and nothing is found without one",
          "[patrol][schedule]") {
  const Schedule noon = *SiteConfig().FindSchedule("noon");  // Mon..Fri 12:00
  // From Friday afternoon the next is Monday noon (CEST).
  auto next = NextOccurrence(noon, Berlin(), Utc(2026, 6, 12, 12, 0));
  REQUIRE(next);
  CHECK(next->due == Utc(2026, 6, 15, 10, 0));
  CHECK(next->date == LocalDate{2026, 6, 15});
  Schedule sat_window = *SiteConfig().FindSchedule("night");
  sat_window.days = {false, false, false, false, false, false, true};
  // Sunday 02:00 belongs to Saturday's window.
  auto occ = Walk(sat_window, Utc(2026, 6, 13, 0, 0), Utc(2026, 6, 15, 0, 0));
  REQUIRE(occ.size() == 5);
  CHECK(occ[2].due == Utc(2026, 6, 14, 0, 0));
  CHECK(occ[2].date == LocalDate{2026, 6, 13});
  Schedule none = sat_window;
  none.days = {};
  CHECK_FALSE(NextOccurrence(none, Berlin(), Utc(2026, 6, 13, 0, 0)));
}

TEST_CASE("schedule timers: rounds across the spring-forward night, each due once",
          "[patrol][schedule]") {
  World w;
  Effects boot = w.Boot(Utc(2026, 3, 28, 18, 0));
  REQUIRE(w.TimerDue(kNightTimer) == Utc(2026, 3, 28, 20, 45));  // 22:00 CET - 15 min
  CHECK(boot.events.empty());
  auto events = w.RunTimers(Utc(2026, 3, 29, 12, 0));
  auto rounds = OfSchedule(events, "night");
  CHECK(Dues(rounds) == std::vector<Micros>{Utc(2026, 3, 28, 21, 0), Utc(2026, 3, 28, 23, 0),
                                            Utc(2026, 3, 29, 1, 0), Utc(2026, 3, 29, 2, 0),
                                            Utc(2026, 3, 29, 4, 0)});
  // Each became startable at due - early, with round_scheduled at that time.
  for (const auto& e : events)
    if (auto* r = std::get_if<RoundScheduled>(&e.body)) {
      CHECK(e.at == r->due - 15 * kMinute);
      CHECK(e.actor.empty());
      CHECK(r->post == "gate-1");
      CHECK(r->route == "north");
    }
  // Nobody started them: each is not started once, at due + grace.
  auto missed = Bodies<RoundNotStarted>(events);
  REQUIRE(missed.size() == 5);
  for (size_t i = 0; i < missed.size(); ++i) {
    CHECK(missed[i].round == rounds[i].round);
    CHECK(missed[i].deadline == rounds[i].due + 5 * kMinute);
    CHECK(missed[i].lateness == 0);
  }
  CHECK(w.TimerDue(kNightTimer) == Utc(2026, 3, 29, 19, 45));  // 22:00 CEST - 15 min
}

TEST_CASE("schedule timers: rounds across the fall-back night, 02:00 once", "[patrol][schedule]") {
  World w;
  w.Boot(Utc(2026, 10, 24, 18, 0));
  auto rounds = OfSchedule(w.RunTimers(Utc(2026, 10, 25, 12, 0)), "night");
  CHECK(Dues(rounds) == std::vector<Micros>{Utc(2026, 10, 24, 20, 0), Utc(2026, 10, 24, 22, 0),
                                            Utc(2026, 10, 25, 0, 0), Utc(2026, 10, 25, 3, 0),
                                            Utc(2026, 10, 25, 5, 0)});
}

TEST_CASE("schedule timers: after a downtime every missed start is made once, late",
          "[patrol][schedule]") {
  World w;
  w.Boot(Utc(2026, 6, 10, 18, 0));             // Wednesday 20:00 CEST
  const Micros back = Utc(2026, 6, 11, 5, 0);  // down until Thursday 07:00 CEST
  auto events = w.RunTimers(back, back);
  auto rounds = OfSchedule(events, "night");
  REQUIRE(rounds.size() == 5);
  CHECK(rounds[0].due == Utc(2026, 6, 10, 20, 0));
  CHECK(rounds[4].due == Utc(2026, 6, 11, 4, 0));
  auto missed = Bodies<RoundNotStarted>(events);
  REQUIRE(missed.size() == 5);
  for (size_t i = 0; i < 5; ++i) {
    CHECK(missed[i].deadline == rounds[i].due + 5 * kMinute);
    CHECK(missed[i].lateness == back - missed[i].deadline);
  }
  for (const auto& e : events)
    if (std::holds_alternative<RoundNotStarted>(e.body)) CHECK(e.at < back);  // at the deadline
  CHECK(w.TimerDue(kNightTimer) == Utc(2026, 6, 11, 19, 45));
  // The service keeps running: the next evening's first round, on time.
  auto later = OfSchedule(w.RunTimers(Utc(2026, 6, 11, 20, 0)), "night");
  REQUIRE(later.size() == 1);
  CHECK(later[0].due == Utc(2026, 6, 11, 20, 0));
}

TEST_CASE("schedule timers: OnStart arms each schedule once and is idempotent",
          "[patrol][schedule]") {
  World w;
  const Micros t = Utc(2026, 6, 10, 21, 0);  // Wednesday 23:00 CEST
  Effects first = w.Boot(t);
  REQUIRE(first.set.size() == 2);
  CHECK(w.TimerDue(kNightTimer) == Utc(2026, 6, 10, 21, 45));  // 00:00 CEST - 15 min
  CHECK(w.TimerDue("sched/noon") == Utc(2026, 6, 11, 9, 45));
  auto payload = DecodeOccurrence(w.timers.at(kNightTimer).payload);
  REQUIRE(payload);
  CHECK(*payload == Occurrence{{2026, 6, 10}, 1440, Utc(2026, 6, 10, 22, 0)});
  auto state = PatrolStore(w.state).LoadSchedule("night");
  REQUIRE(state);
  CHECK(state->next == *payload);

  const Snapshot before = w.Rows();
  const int writes = w.state.writes();
  Effects again = w.Boot(t + 3 * kHour);
  CHECK(again.set.empty());
  CHECK(again.cancel.empty());
  CHECK(again.events.empty());
  CHECK(w.state.writes() == writes);
  CHECK(w.Rows() == before);
}

TEST_CASE("schedule timers: a schedule removed from the configuration is forgotten",
          "[patrol][schedule]") {
  World w;
  w.Boot(Utc(2026, 6, 10, 12, 0));
  const TimerSet noon = w.timers.at("sched/noon");
  w.config.schedules.pop_back();  // noon
  Effects fx = w.Boot(Utc(2026, 6, 10, 13, 0));
  CHECK(fx.cancel == std::vector<std::string>{"sched/noon"});
  CHECK(fx.set.empty());
  CHECK_FALSE(PatrolStore(w.state).LoadSchedule("noon"));
  // Its row firing anyway (cancelled too late) makes nothing.
  const Snapshot before = w.Rows();
  Effects stale = w.patrol.OnTimer(TimerFired{noon.id, noon.due, noon.payload}, w.state, noon.due);
  CHECK(stale.events.empty());
  CHECK(stale.set.empty());
  CHECK(w.Rows() == before);
}

TEST_CASE("schedule timers: a changed schedule is re-armed, no occurrence made twice",
          "[patrol][schedule]") {
  World w;
  w.Boot(Utc(2026, 6, 10, 12, 0));
  CHECK(w.TimerDue(kNightTimer) == Utc(2026, 6, 10, 19, 45));
  // Changed while the service runs (no OnStart): the timer finds its occurrence gone and
  // moves to the new pattern's first at or after it, making nothing.
  w.config.schedules[0].start_minutes = {23 * 60};
  Effects fx = w.Fire(kNightTimer);
  CHECK(fx.events.empty());
  CHECK(w.TimerDue(kNightTimer) == Utc(2026, 6, 10, 20, 45));
  auto rounds = OfSchedule(w.RunTimers(Utc(2026, 6, 11, 12, 0)), "night");
  REQUIRE(rounds.size() == 1);
  CHECK(rounds[0].due == Utc(2026, 6, 10, 21, 0));
  // Changed before a restart: OnStart re-arms at once.
  w.config.schedules[0].start_minutes = {22 * 60};
  Effects boot = w.Boot(Utc(2026, 6, 11, 12, 0));
  REQUIRE(boot.set.size() == 1);
  CHECK(boot.set[0].id == kNightTimer);
  CHECK(boot.set[0].due == Utc(2026, 6, 11, 19, 45));
}

TEST_CASE("schedule timers: a schedule changed during a downtime still makes what it missed",
          "[patrol][schedule]") {
  World w;
  w.Boot(Utc(2026, 6, 10, 12, 0));  // night armed for 22:00 CEST
  // Down from before 21:45 CEST until 05:00 CEST; meanwhile night became 23:00 only.
  w.config.schedules[0].start_minutes = {23 * 60};
  const Micros back = Utc(2026, 6, 11, 3, 0);
  Effects boot = w.Boot(back);
  REQUIRE(boot.set.size() == 1);
  CHECK(boot.set[0].due == Utc(2026, 6, 10, 20, 45));  // 23:00 CEST - 15 min: in the past
  auto events = w.RunTimers(back, back);
  auto rounds = OfSchedule(events, "night");
  REQUIRE(rounds.size() == 1);
  CHECK(rounds[0].due == Utc(2026, 6, 10, 21, 0));
  CHECK(Bodies<RoundNotStarted>(events).at(0).lateness == back - rounds[0].due - 5 * kMinute);
}

TEST_CASE("schedule timers: the round made is scheduled, open and has its start timer",
          "[patrol][schedule]") {
  World w;
  w.Boot(Utc(2026, 6, 10, 9, 0));
  Effects fx = w.Fire("sched/noon");
  auto made = Bodies<RoundScheduled>(fx);
  REQUIRE(made.size() == 1);
  CHECK(made[0].guard == "g-7");
  CHECK(made[0].post == "yard");
  CHECK(made[0].schedule == "noon");
  CHECK(made[0].due == Utc(2026, 6, 10, 10, 0));
  const Round r = w.RoundById(made[0].round);
  CHECK(r.status == RoundStatus::kScheduled);
  CHECK(r.assigned == "g-7");
  CHECK(r.guard.empty());
  CHECK(r.checkpoints == std::vector<CheckpointVerdict>{{"c4"}, {"c5"}, {"c6"}});
  CHECK(w.TimerDue(StartTimer(r.id)) == r.due + 5 * kMinute);
  CHECK(w.TimerDue("sched/noon") == Utc(2026, 6, 11, 9, 45));
  CHECK(PatrolStore(w.state).OpenRounds("yard").size() == 1);
}

}  // namespace picket::patrol
