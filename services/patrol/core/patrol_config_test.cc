// The configuration: names, `every` expansion, and every validation error with its place.
#include "patrol/core/patrol_config.h"

#include <catch2/catch.hpp>

#include "patrol/core/patrol_test_support.h"

namespace picket::patrol {
namespace {

using namespace testing;

// The errors of `c`, one string, for matching.
std::string ErrorsOf(const PatrolConfig& c) {
  std::string all;
  for (const auto& e : ValidatePatrolConfig(c)) all += e + "\n";
  return all;
}

Schedule At(std::string id, std::string route, std::vector<int> minutes,
            std::array<bool, 7> days = {true, true, true, true, true, true, true}) {
  Schedule s;
  s.id = std::move(id);
  s.route = std::move(route);
  s.start_minutes = std::move(minutes);
  s.days = days;
  return s;
}

constexpr std::array<bool, 7> kSaturday = {false, false, false, false, false, false, true};
constexpr std::array<bool, 7> kSunday = {true, false, false, false, false, false, false};

}  // namespace

TEST_CASE("patrol config: route order names round-trip", "[patrol][config]") {
  for (RouteOrder o : {RouteOrder::kOrdered, RouteOrder::kAnyOrder, RouteOrder::kRandom})
    CHECK(ParseRouteOrder(RouteOrderName(o)) == o);
  CHECK(RouteOrderName(RouteOrder::kAnyOrder) == "any");
  CHECK_FALSE(ParseRouteOrder("Ordered"));
  CHECK_FALSE(ParseRouteOrder(""));
}

TEST_CASE("patrol config: every/from/to expands to start minutes", "[patrol][config]") {
  std::string why;
  CHECK(ExpandEvery(120, 22 * 60, 6 * 60, &why) == std::vector<int>{1320, 1440, 1560, 1680, 1800});
  CHECK(ExpandEvery(60, 8 * 60, 10 * 60, &why) == std::vector<int>{480, 540, 600});
  CHECK(ExpandEvery(45, 8 * 60, 9 * 60, &why) == std::vector<int>{480, 525});  // 09:00 not hit
  // A whole day (to == from): the next day's first start is not repeated.
  auto day = ExpandEvery(6 * 60, 0, 0, &why);
  CHECK(day == std::vector<int>{0, 360, 720, 1080});
  CHECK(ExpandEvery(1440, 600, 600, &why) == std::vector<int>{600});

  CHECK_FALSE(ExpandEvery(4, 0, 60, &why));
  CHECK(why.find("every") != std::string::npos);
  CHECK_FALSE(ExpandEvery(1441, 0, 60, &why));
  CHECK_FALSE(ExpandEvery(60, -1, 60, &why));
  CHECK_FALSE(ExpandEvery(60, 0, 1440, &why));
  CHECK(why.find("from and to") != std::string::npos);
}

TEST_CASE("patrol config: the test site is valid and finds what it names", "[patrol][config]") {
  const PatrolConfig c = SiteConfig();
  CHECK(ValidatePatrolConfig(c).empty());
  REQUIRE(c.FindRoute("north"));
  CHECK(c.FindRoute("north")->planned_length() == 30 * kMinute);
  CHECK(c.FindCheckpoint("c3")->name == "Checkpoint c3");
  CHECK(c.FindSchedule("noon")->guard == "g-7");
  CHECK_FALSE(c.FindRoute("nope"));
  CHECK_FALSE(c.FindCheckpoint("c7"));
  CHECK_FALSE(c.FindSchedule(""));
}

TEST_CASE("patrol config: checkpoints, routes and their bounds", "[patrol][config]") {
  PatrolConfig c = SiteConfig();
  c.checkpoints.push_back({"c1", "again", ""});
  c.checkpoints.push_back({"bad\ttag", "x", ""});
  c.routes[0].checkpoints = {"c1", "c9", "c1"};
  c.routes[0].leg_min = 10 * kMinute;  // == leg_max
  c.routes[1].id = "Yard!";
  c.routes[1].post = "";
  c.routes[1].grace = -1;
  c.routes[2].early = 25 * kHour;
  c.routes[2].leg_max = 25 * kHour;
  c.time_zone = "Mars";
  c.skew_limit = 0;
  const std::string errors = ErrorsOf(c);
  INFO(errors);
  CHECK(errors.find("time_zone: ") != std::string::npos);
  CHECK(errors.find("skew_limit: ") != std::string::npos);
  CHECK(errors.find("checkpoints[7] 'c1': duplicate tag") != std::string::npos);
  CHECK(errors.find("checkpoints[8] 'bad\ttag': a tag is 1..64 bytes") != std::string::npos);
  CHECK(errors.find("routes[0] 'north': checkpoint 'c9' is not configured") != std::string::npos);
  CHECK(errors.find("routes[0] 'north': checkpoint 'c1' is listed twice") != std::string::npos);
  CHECK(errors.find("routes[0] 'north': leg_min must be less than leg_max") != std::string::npos);
  CHECK(errors.find("routes[1] 'Yard!': an id is 1..64 of [a-z0-9_-]") != std::string::npos);
  CHECK(errors.find("routes[1] 'Yard!': post is required") != std::string::npos);
  CHECK(errors.find("routes[1] 'Yard!': grace must be between 0 and 24 h") != std::string::npos);
  CHECK(errors.find("routes[2] 'fence': early must be") != std::string::npos);
  CHECK(errors.find("routes[2] 'fence': leg_max must be") != std::string::npos);
  // The schedule of the renamed route now names an unknown route.
  CHECK(errors.find("schedules[1] 'noon': route 'yard' is not configured") != std::string::npos);
}

TEST_CASE("patrol config: schedules need times, days and a known route", "[patrol][config]") {
  PatrolConfig c = SiteConfig();
  c.schedules.push_back(At("empty", "north", {}));
  c.schedules.push_back(At("noday", "yard", {300}, {}));
  c.schedules.push_back(At("unsorted", "fence", {700, 600, 3000}));
  c.schedules.push_back(At("night", "nowhere", {100}));
  c.schedules.back().guard = "g\x01";
  const std::string errors = ErrorsOf(c);
  INFO(errors);
  CHECK(errors.find("schedules[2] 'empty': no start time") != std::string::npos);
  CHECK(errors.find("schedules[3] 'noday': no day of the week") != std::string::npos);
  CHECK(errors.find("schedules[4] 'unsorted': start times must be sorted") != std::string::npos);
  CHECK(errors.find("schedules[4] 'unsorted': start minute 3000 is not in 0..2879") !=
        std::string::npos);
  CHECK(errors.find("schedules[5] 'night': duplicate id") != std::string::npos);
  CHECK(errors.find("schedules[5] 'night': route 'nowhere' is not configured") !=
        std::string::npos);
  CHECK(errors.find("schedules[5] 'night': guard must be") != std::string::npos);
}

TEST_CASE("patrol config: two schedules of one route may not overlap", "[patrol][config]") {
  // north needs 35 min between starts (3 legs x 10 min + 5 min grace).
  PatrolConfig c = SiteConfig();
  c.schedules.push_back(At("evening", "north", {20 * 60 + 30}));    // 20:30
  c.schedules.push_back(At("late", "north", {22 * 60 + 30}));       // 22:30, 30 min after night
  c.schedules.push_back(At("other-route", "yard", {22 * 60 + 5}));  // another route: fine
  const std::string errors = ErrorsOf(c);
  INFO(errors);
  CHECK(errors.find("schedules[3] 'late': starts at Sun 22:30, 30 min after schedule 'night' "
                    "(Sun 22:00); rounds of route 'north' need 35 min (planned length + grace)") !=
        std::string::npos);
  CHECK(errors.find("evening") == std::string::npos);  // 90 min before night: fine
  CHECK(errors.find("other-route") == std::string::npos);
  CHECK(ValidatePatrolConfig(c).size() == 1);  // once per pair, not once per day

  // Exactly planned length + grace apart is allowed.
  PatrolConfig edge = SiteConfig();
  edge.schedules.push_back(At("edge", "north", {21 * 60 + 25}));  // 35 min before 22:00
  CHECK(ValidatePatrolConfig(edge).empty());
  edge.schedules.back().start_minutes = {21 * 60 + 26};
  CHECK(ValidatePatrolConfig(edge).size() == 1);
}

TEST_CASE("patrol config: a schedule's every must leave room for a round", "[patrol][config]") {
  PatrolConfig c = SiteConfig();
  std::string why;
  c.schedules[0].start_minutes = ExpandEvery(30, 22 * 60, 23 * 60, &why).value();
  const std::string errors = ErrorsOf(c);
  INFO(errors);
  CHECK(errors.find("schedules[0] 'night': starts at Sun 22:30, 30 min after its own start at "
                    "Sun 22:00") != std::string::npos);
}

TEST_CASE("patrol config: overlaps are checked on the week, past midnight and round it",
          "[patrol][config]") {
  // A Saturday window's 01:00 start is Sunday 01:00: 10 min before a Sunday 01:10 start.
  PatrolConfig c = SiteConfig();
  c.schedules = {At("sat-night", "north", {1440 + 60}, kSaturday),
                 At("sun-early", "north", {70}, kSunday)};
  std::string errors = ErrorsOf(c);
  INFO(errors);
  CHECK(errors.find("'sun-early': starts at Sun 01:10, 10 min after schedule 'sat-night' "
                    "(Sun 01:00)") != std::string::npos);
  // Saturday 23:50 and Sunday 00:10 are 20 min apart across the end of the week.
  c.schedules = {At("sat", "north", {23 * 60 + 50}, kSaturday), At("sun", "north", {10}, kSunday)};
  errors = ErrorsOf(c);
  CHECK(errors.find("'sun': starts at Sun 00:10, 20 min after schedule 'sat' (Sat 23:50)") !=
        std::string::npos);
  // The same times on days far apart do not overlap.
  c.schedules = {At("sat", "north", {23 * 60 + 50}, kSaturday),
                 At("sun", "north", {23 * 60 + 50}, kSunday)};
  CHECK(ValidatePatrolConfig(c).empty());
}

}  // namespace picket::patrol
