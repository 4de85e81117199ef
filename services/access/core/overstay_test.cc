// Overstay timers: set at check-in (expiry + grace), raised and repeated, moved by an
// extension, cancelled at check-out, late firing.
#include <catch2/catch.hpp>

#include "access/access_test_support.h"
#include "access/core/access_keys.h"
#include "access/core/access_store.h"

namespace picket::access {
namespace {

using namespace testing;

const Micros kFrom = Utc(2026, 6, 10, 6, 0);
const Micros kUntil = Utc(2026, 6, 10, 16, 0);
const Micros kT = Utc(2026, 6, 10, 8, 0);

// A visitor checked in at kT; returns the overstay timer the check-in set.
TimerSet CheckedIn(World& w) {
  w.AddVisitorWithPass("v-1", "Ivan Petrov", "P1", kFrom, kUntil);
  Effects fx = w.Scan("P1", "north", Direction::kIn, kT);
  REQUIRE(fx.set.size() == 1);
  return fx.set[0];
}

Effects Fire(World& w, const TimerSet& t, Micros now) {
  return w.access.OnTimer(TimerFired{t.id, t.due, t.payload}, w.state, now);
}

}  // namespace

TEST_CASE("overstay: raised at expiry plus grace, repeated until the visitor checks out",
          "[access][overstay]") {
  World w;
  TimerSet first = CheckedIn(w);
  CHECK(first.due == kUntil + 15 * kMinute);
  const uint64_t visit = *keys::DecodeOverstayTimerId(first.id);

  Effects fx = Fire(w, first, first.due);
  auto o = Bodies<Overstay>(fx);
  REQUIRE(o.size() == 1);
  CHECK(o[0].person == "v-1");
  CHECK(o[0].pass_code == "P1");
  CHECK(o[0].post == "post-1");
  CHECK(o[0].visit == visit);
  CHECK(o[0].expired_at == kUntil);
  CHECK(o[0].number == 1);
  CHECK(o[0].lateness == 0);
  CHECK(fx.events[0].actor.empty());
  REQUIRE(fx.set.size() == 1);
  TimerSet second = fx.set[0];
  CHECK(second == TimerSet{first.id, first.due + 30 * kMinute, keys::OverstayPayload(2)});

  Effects fx2 = Fire(w, second, second.due + 2 * kMinute);
  REQUIRE(Bodies<Overstay>(fx2).size() == 1);
  CHECK(Bodies<Overstay>(fx2)[0].number == 2);
  CHECK(Bodies<Overstay>(fx2)[0].lateness == 2 * kMinute);
  REQUIRE(fx2.set.size() == 1);
  CHECK(fx2.set[0].due == first.due + 60 * kMinute);  // on the grid, not now + repeat

  // Leaving (even with the pass long expired) cancels the timer...
  Effects out = w.Scan("P1", "north", Direction::kOut, second.due + 10 * kMinute);
  CHECK(out.cancel == std::vector<std::string>{first.id});
  // ...and a row that fires anyway (cancelled too late) raises nothing.
  Effects stale = Fire(w, fx2.set[0], fx2.set[0].due);
  CHECK(stale.events.empty());
  CHECK(stale.set.empty());
}

TEST_CASE("overstay: a timer handled late reports how late and skips the missed repeats",
          "[access][overstay]") {
  World w;
  TimerSet first = CheckedIn(w);
  Effects fx = Fire(w, first, first.due + 95 * kMinute);
  auto o = Bodies<Overstay>(fx);
  REQUIRE(o.size() == 1);  // one event, not four
  CHECK(o[0].lateness == 95 * kMinute);
  CHECK(o[0].number == 1);
  REQUIRE(fx.set.size() == 1);
  CHECK(fx.set[0].due == first.due + 120 * kMinute);
  CHECK(fx.set[0].payload == keys::OverstayPayload(2));
}

TEST_CASE("overstay: extending the pass moves the timer, and an old row only re-arms it",
          "[access][overstay]") {
  World w;
  TimerSet first = CheckedIn(w);
  const Micros new_until = kUntil + 2 * kHour;
  auto extended = w.Run(ExtendPass{"P1", new_until});
  REQUIRE(extended.reply.ok());
  REQUIRE(extended.effects.set.size() == 1);
  CHECK(extended.effects.set[0] ==
        TimerSet{first.id, new_until + 15 * kMinute, keys::OverstayPayload(1)});
  // The runtime replaces a row by id, but a row already taken when the extension landed
  // may still fire at the old time: it raises nothing and re-arms the new due time.
  Effects early = Fire(w, first, first.due);
  CHECK(early.events.empty());
  REQUIRE(early.set.size() == 1);
  CHECK(early.set[0] == extended.effects.set[0]);
}

TEST_CASE("overstay: a check-out by command cancels the timer", "[access][overstay]") {
  World w;
  TimerSet first = CheckedIn(w);
  auto out = w.Run(CheckOut{"v-1", "south"}, "guard-7");
  REQUIRE(out.reply.ok());
  CHECK(out.effects.cancel == std::vector<std::string>{first.id});
  auto ev = Bodies<VisitorCheckedOut>(out.effects);
  REQUIRE(ev.size() == 1);
  CHECK(ev[0].by_command);
  CHECK(ev[0].gate == "south");
  CHECK(Fire(w, first, first.due).events.empty());
}

TEST_CASE("overstay: staff passes set no timer, and a repeat of 0 raises once only",
          "[access][overstay]") {
  SECTION("staff") {
    World w;
    REQUIRE(w.Run(RegisterPerson{"s-1", "Sam Staff", {}, PassKind::kStaff, ""}).reply.ok());
    REQUIRE(w.Run(IssuePass{"S1", "s-1", kFrom, kUntil, {}, {}}).reply.ok());
    Effects fx = w.Scan("S1", "north", Direction::kIn, kT);
    CHECK(Types(fx) == std::vector<std::string>{"access.granted"});
    CHECK(fx.set.empty());
  }
  SECTION("no repeat") {
    AccessConfig c = SiteConfig();
    c.overstay_repeat = 0;
    World w(c);
    TimerSet first = CheckedIn(w);
    Effects fx = Fire(w, first, first.due);
    CHECK(Bodies<Overstay>(fx).size() == 1);
    CHECK(fx.set.empty());
  }
  SECTION("timers of other services or with a broken payload are ignored") {
    World w;
    TimerSet first = CheckedIn(w);
    CHECK(w.access.OnTimer(TimerFired{"esc/12345678", first.due, ""}, w.state, first.due)
              .events.empty());
    CHECK(
        w.access.OnTimer(TimerFired{first.id, first.due, "x"}, w.state, first.due).events.empty());
  }
}

}  // namespace picket::access
