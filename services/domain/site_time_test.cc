#include "domain/site_time.h"

#include <catch2/catch.hpp>

#include "testing/utc.h"

namespace picket {
namespace {

using testing::Utc;

TimeZoneRule MustParse(std::string_view text) {
  std::string error;
  auto z = TimeZoneRule::Parse(text, &error);
  INFO(error);
  REQUIRE(z);
  return *z;
}

std::string ParseError(std::string_view text) {
  std::string error;
  auto z = TimeZoneRule::Parse(text, &error);
  CHECK_FALSE(z);
  return error;
}

}  // namespace

TEST_CASE("site time: parses a European rule into offsets east of UTC", "[site_time]") {
  auto z = MustParse("CET-1CEST,M3.5.0,M10.5.0/3");
  CHECK(z.std_name == "CET");
  CHECK(z.std_offset_seconds == 3600);
  CHECK(z.has_dst);
  CHECK(z.dst_name == "CEST");
  CHECK(z.dst_offset_seconds == 7200);                      // no dst offset given: one hour ahead
  CHECK(z.dst_start == TransitionRule{3, 5, 0, 2 * 3600});  // default time 02:00
  CHECK(z.dst_end == TransitionRule{10, 5, 0, 3 * 3600});
}

TEST_CASE("site time: parses fixed zones, quoted names, explicit offsets and clock times",
          "[site_time]") {
  auto utc = MustParse("UTC0");
  CHECK_FALSE(utc.has_dst);
  CHECK(utc.std_offset_seconds == 0);
  auto gulf = MustParse("<+04>-4");
  CHECK(gulf.std_name == "+04");
  CHECK(gulf.std_offset_seconds == 4 * 3600);
  auto india = MustParse("IST-5:30");
  CHECK(india.std_offset_seconds == 5 * 3600 + 30 * 60);
  auto us = MustParse("EST5EDT4,M3.2.0/2:00:00,M11.1.0/-1");
  CHECK(us.std_offset_seconds == -5 * 3600);
  CHECK(us.dst_offset_seconds == -4 * 3600);
  CHECK(us.dst_end.time_seconds == -3600);
}

TEST_CASE("site time: refuses what it does not support, saying why", "[site_time]") {
  CHECK_THAT(ParseError(""), Catch::Contains("at least 3 characters"));
  CHECK_THAT(ParseError("CE-1"), Catch::Contains("at least 3 characters"));
  CHECK_THAT(ParseError("CET"), Catch::Contains("expected hours"));
  CHECK_THAT(ParseError("CET-25"), Catch::Contains("expected hours"));
  CHECK_THAT(ParseError("CET-1CEST"), Catch::Contains("needs its start and end rules"));
  CHECK_THAT(ParseError("CET-1CEST,J60,M10.5.0"), Catch::Contains("Mm.w.d"));
  CHECK_THAT(ParseError("CET-1CEST,M13.5.0,M10.5.0"), Catch::Contains("month"));
  CHECK_THAT(ParseError("CET-1CEST,M3.6.0,M10.5.0"), Catch::Contains("week"));
  CHECK_THAT(ParseError("CET-1CEST,M3.5.7,M10.5.0"), Catch::Contains("weekday"));
  CHECK_THAT(ParseError("CET-1CEST,M3.5.0,M10.5.0/3x"), Catch::Contains("unexpected text"));
  CHECK_THAT(ParseError("<+04-4"), Catch::Contains("closing"));
  CHECK_THAT(ParseError("CET-1:60"), Catch::Contains("minutes"));
}

TEST_CASE("site time: European daylight time starts and ends at 01:00 UTC, inclusive start",
          "[site_time]") {
  auto z = MustParse("CET-1CEST,M3.5.0,M10.5.0/3");
  // 2026: last Sunday of March is the 29th, of October the 25th.
  CHECK_FALSE(z.IsDst(Utc(2026, 3, 29, 0, 59, 59)));
  CHECK(z.IsDst(Utc(2026, 3, 29, 1, 0)));
  CHECK(z.IsDst(Utc(2026, 10, 25, 0, 59, 59)));
  CHECK_FALSE(z.IsDst(Utc(2026, 10, 25, 1, 0)));
  CHECK(z.OffsetAt(Utc(2026, 1, 15, 12, 0)) == 3600);
  CHECK(z.OffsetAt(Utc(2026, 7, 15, 12, 0)) == 7200);
  // 2027: March 28 and October 31 (a fifth Sunday: "5" means the last).
  CHECK_FALSE(z.IsDst(Utc(2027, 3, 28, 0, 59)));
  CHECK(z.IsDst(Utc(2027, 3, 28, 1, 0)));
  CHECK(z.IsDst(Utc(2027, 10, 31, 0, 59)));
  CHECK_FALSE(z.IsDst(Utc(2027, 10, 31, 1, 0)));
}

TEST_CASE("site time: a North American rule (second and first Sundays)", "[site_time]") {
  auto z = MustParse("EST5EDT,M3.2.0,M11.1.0");
  // 2026: March 8 at 02:00 EST = 07:00 UTC; November 1 at 02:00 EDT = 06:00 UTC.
  CHECK_FALSE(z.IsDst(Utc(2026, 3, 8, 6, 59)));
  CHECK(z.IsDst(Utc(2026, 3, 8, 7, 0)));
  CHECK(z.IsDst(Utc(2026, 11, 1, 5, 59)));
  CHECK_FALSE(z.IsDst(Utc(2026, 11, 1, 6, 0)));
}

TEST_CASE("site time: a southern rule has daylight time across the new year", "[site_time]") {
  auto z = MustParse("AEST-10AEDT,M10.1.0,M4.1.0/3");
  CHECK(z.OffsetAt(Utc(2026, 1, 10, 0, 0)) == 11 * 3600);
  CHECK(z.OffsetAt(Utc(2026, 7, 10, 0, 0)) == 10 * 3600);
  // Ends Sunday April 5 2026 at 03:00 AEDT = April 4 16:00 UTC.
  CHECK(z.IsDst(Utc(2026, 4, 4, 15, 59)));
  CHECK_FALSE(z.IsDst(Utc(2026, 4, 4, 16, 0)));
  // Starts Sunday October 4 2026 at 02:00 AEST = October 3 16:00 UTC.
  CHECK_FALSE(z.IsDst(Utc(2026, 10, 3, 15, 59)));
  CHECK(z.IsDst(Utc(2026, 10, 3, 16, 0)));
}

TEST_CASE("site time: local wall clock on both sides of a change and before 1970", "[site_time]") {
  auto z = MustParse("CET-1CEST,M3.5.0,M10.5.0/3");
  LocalTime before = ToLocal(z, Utc(2026, 3, 29, 0, 30));
  CHECK(before.second_of_day == 1 * 3600 + 30 * 60);  // 01:30 CET
  LocalTime after = ToLocal(z, Utc(2026, 3, 29, 1, 30));
  CHECK(after.second_of_day == 3 * 3600 + 30 * 60);  // 03:30 CEST: 02:xx never happens
  CHECK(after.weekday == 0);
  CHECK((after.year == 2026 && after.month == 3 && after.day == 29));
  LocalTime late = ToLocal(z, Utc(2026, 12, 31, 23, 30));  // 00:30 next day, local
  CHECK((late.year == 2027 && late.month == 1 && late.day == 1 && late.minute_of_day() == 30));
  LocalTime old = ToLocal(TimeZoneRule::Utc(), Utc(1969, 12, 31, 23, 0, 1));
  CHECK((old.year == 1969 && old.month == 12 && old.day == 31));
  CHECK(old.second_of_day == 23 * 3600 + 1);
  CHECK(old.weekday == 3);  // a Wednesday
}

TEST_CASE("site time: daily hours parse, format and contain half-open minutes", "[site_time]") {
  std::string error;
  auto day = DailyHours::Parse("06:00-22:00", &error);
  REQUIRE(day);
  CHECK(day->Format() == "06:00-22:00");
  CHECK_FALSE(day->Contains(5 * 60 + 59));
  CHECK(day->Contains(6 * 60));
  CHECK(day->Contains(21 * 60 + 59));
  CHECK_FALSE(day->Contains(22 * 60));
  auto night = DailyHours::Parse("22:00-06:00", &error);
  REQUIRE(night);
  CHECK(night->Contains(23 * 60));
  CHECK(night->Contains(0));
  CHECK_FALSE(night->Contains(6 * 60));
  CHECK_FALSE(night->Contains(12 * 60));
  auto to_midnight = DailyHours::Parse("18:00-24:00", &error);
  REQUIRE(to_midnight);
  CHECK(to_midnight->Contains(23 * 60 + 59));
  CHECK_FALSE(to_midnight->Contains(0));
  for (const char* bad : {"6:00-22:00", "06:00-06:00", "00:00-24:00", "25:00-01:00", "06:60-07:00",
                          "06:00", "06:00-22:0x", "24:00-06:00"}) {
    error.clear();
    INFO(bad);
    CHECK_FALSE(DailyHours::Parse(bad, &error));
    CHECK_FALSE(error.empty());
  }
}

TEST_CASE("site time: FromLocal inverts ToLocal across a year of Berlin hours", "[site_time]") {
  auto z = MustParse("CET-1CEST,M3.5.0,M10.5.0/3");
  // Every hour of 2026, except the repeated hour of the fall-back night, comes back.
  const Micros fall_back_repeat = Utc(2026, 10, 25, 1, 0);  // 02:00..02:59 CET, the 2nd time
  for (Micros t = Utc(2026, 1, 1, 0, 30); t < Utc(2027, 1, 1, 0, 0); t += 3600 * kMicrosPerSecond) {
    if (t >= fall_back_repeat && t < fall_back_repeat + 3600 * kMicrosPerSecond) continue;
    INFO(t);
    CHECK(FromLocal(z, ToLocal(z, t)) == t);
  }
}

TEST_CASE("site time: a skipped reading moves past the change, a repeated one is the first",
          "[site_time]") {
  auto z = MustParse("CET-1CEST,M3.5.0,M10.5.0/3");
  LocalTime spring{.year = 2026, .month = 3, .day = 29, .second_of_day = 2 * 3600 + 30 * 60};
  CHECK(FromLocal(z, spring) == Utc(2026, 3, 29, 1, 30));  // = 03:30 CEST
  LocalTime fall{.year = 2026, .month = 10, .day = 25, .second_of_day = 2 * 3600 + 30 * 60};
  CHECK(FromLocal(z, fall) == Utc(2026, 10, 25, 0, 30));  // 02:30 CEST, not CET
  LocalTime fixed{.year = 2026, .month = 3, .day = 29, .second_of_day = 2 * 3600 + 30 * 60};
  CHECK(FromLocal(TimeZoneRule::Utc(), fixed) == Utc(2026, 3, 29, 2, 30));
}

TEST_CASE("site time: AddDays crosses months, years and leap days", "[site_time]") {
  LocalTime d{.year = 2028, .month = 2, .day = 28, .second_of_day = 5};
  auto next = AddDays(d, 1);
  CHECK((next.year == 2028 && next.month == 2 && next.day == 29 && next.second_of_day == 5));
  CHECK(next.weekday == 2);  // 2028-02-29 is a Tuesday
  auto back = AddDays(LocalTime{.year = 2027, .month = 1, .day = 1}, -1);
  CHECK((back.year == 2026 && back.month == 12 && back.day == 31));
}

}  // namespace picket
