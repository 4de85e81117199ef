// Periods in the site's zone: shift, day, week and month bounds, DST nights, ISO week
// labels, month and year boundaries, and Next().
#include "scoring/core/periods.h"

#include <catch2/catch.hpp>

#include "scoring/core/scoring_test_support.h"

namespace picket::scoring {
namespace {

using namespace testing;

PeriodCalendar Berlin(std::vector<int> shifts = {6 * 60, 14 * 60, 22 * 60}) {
  PeriodCalendar c;
  std::string why;
  c.zone = TimeZoneRule::Parse(kBerlin, &why).value();
  c.shift_starts = std::move(shifts);
  return c;
}

Period P(PeriodKind kind, Micros start, Micros end, std::string label) {
  return Period{kind, start, end, std::move(label)};
}

}  // namespace

TEST_CASE("periods: kind names round-trip and nothing else parses", "[scoring][periods]") {
  for (PeriodKind k : kAllPeriodKinds) CHECK(ParsePeriodKind(PeriodKindName(k)) == k);
  CHECK(PeriodKindName(PeriodKind::kShift) == "shift");
  CHECK(PeriodKindName(PeriodKind::kDay) == "day");
  CHECK(PeriodKindName(PeriodKind::kWeek) == "week");
  CHECK(PeriodKindName(PeriodKind::kMonth) == "month");
  CHECK_FALSE(ParsePeriodKind("fortnight"));
  CHECK_FALSE(ParsePeriodKind(""));
  CHECK_FALSE(ParsePeriodKind("Week"));
}

TEST_CASE("periods: the shift containing an instant, in local time", "[scoring][periods]") {
  const PeriodCalendar c = Berlin();
  // Wednesday 2026-06-10, CEST (UTC+2).
  CHECK(
      c.At(PeriodKind::kShift, Utc(2026, 6, 10, 12, 0)) ==
      P(PeriodKind::kShift, Utc(2026, 6, 10, 12, 0), Utc(2026, 6, 10, 20, 0), "2026-06-10 14:00"));
  CHECK(c.At(PeriodKind::kShift, Utc(2026, 6, 10, 11, 59)).label == "2026-06-10 06:00");
  CHECK(c.At(PeriodKind::kShift, Utc(2026, 6, 10, 19, 59, 59)).label == "2026-06-10 14:00");
  CHECK(c.At(PeriodKind::kShift, Utc(2026, 6, 10, 20, 0)).label == "2026-06-10 22:00");
}

TEST_CASE("periods: 03:00 is in the previous day's 22:00 shift", "[scoring][periods]") {
  const PeriodCalendar c = Berlin();
  // 03:00 CEST on Thursday 2026-06-11 is 01:00 UTC.
  CHECK(c.At(PeriodKind::kShift, Utc(2026, 6, 11, 1, 0)) ==
        P(PeriodKind::kShift, Utc(2026, 6, 10, 20, 0), Utc(2026, 6, 11, 4, 0), "2026-06-10 22:00"));
  // Just after local midnight: still that shift; the day is already Thursday.
  CHECK(c.At(PeriodKind::kShift, Utc(2026, 6, 10, 22, 0)).label == "2026-06-10 22:00");
  CHECK(c.At(PeriodKind::kDay, Utc(2026, 6, 10, 22, 0)).label == "2026-06-11");
}

TEST_CASE("periods: a day on a DST night is 23 or 25 hours long", "[scoring][periods]") {
  const PeriodCalendar c = Berlin();
  const Period spring = c.At(PeriodKind::kDay, Utc(2026, 3, 29, 12, 0));
  CHECK(spring ==
        P(PeriodKind::kDay, Utc(2026, 3, 28, 23, 0), Utc(2026, 3, 29, 22, 0), "2026-03-29"));
  CHECK(spring.end - spring.start == 23 * kHour);
  const Period autumn = c.At(PeriodKind::kDay, Utc(2026, 10, 25, 12, 0));
  CHECK(autumn ==
        P(PeriodKind::kDay, Utc(2026, 10, 24, 22, 0), Utc(2026, 10, 25, 23, 0), "2026-10-25"));
  CHECK(autumn.end - autumn.start == 25 * kHour);
  // An ordinary day.
  const Period june = c.At(PeriodKind::kDay, Utc(2026, 6, 10, 12, 0));
  CHECK(june.end - june.start == 24 * kHour);
}

TEST_CASE("periods: the night shift across a DST change", "[scoring][periods]") {
  const PeriodCalendar c = Berlin();
  // 22:00 CET to 06:00 CEST: 7 hours.
  const Period spring = c.At(PeriodKind::kShift, Utc(2026, 3, 29, 1, 30));
  CHECK(spring ==
        P(PeriodKind::kShift, Utc(2026, 3, 28, 21, 0), Utc(2026, 3, 29, 4, 0), "2026-03-28 22:00"));
  // 22:00 CEST to 06:00 CET: 9 hours, the repeated hour inside it.
  const Period autumn = c.At(PeriodKind::kShift, Utc(2026, 10, 25, 1, 30));
  CHECK(autumn == P(PeriodKind::kShift, Utc(2026, 10, 24, 20, 0), Utc(2026, 10, 25, 5, 0),
                    "2026-10-24 22:00"));
  CHECK(c.At(PeriodKind::kShift, Utc(2026, 10, 25, 0, 30)) == autumn);  // 02:30 CEST
  CHECK(c.At(PeriodKind::kShift, Utc(2026, 10, 25, 1, 30)) == autumn);  // 02:30 CET
}

TEST_CASE("periods: a shift start in the skipped hour starts when the clocks have moved",
          "[scoring][periods]") {
  // Shifts at 02:30 and 14:00: on 2026-03-29 02:30 does not exist (FromLocal: 03:30 CEST).
  const PeriodCalendar c = Berlin({150, 840});
  const Period night = c.At(PeriodKind::kShift, Utc(2026, 3, 29, 1, 45));  // 03:45 CEST
  CHECK(night.start == Utc(2026, 3, 29, 1, 30));
  CHECK(night.end == Utc(2026, 3, 29, 12, 0));
  CHECK(night.label == "2026-03-29 02:30");
  // 03:15 CEST is before that start: still the previous day's 14:00 shift.
  const Period before = c.At(PeriodKind::kShift, Utc(2026, 3, 29, 1, 15));
  CHECK(before.label == "2026-03-28 14:00");
  CHECK(before.end == night.start);
}

TEST_CASE("periods: weeks run Monday to Monday with ISO 8601 labels", "[scoring][periods]") {
  const PeriodCalendar c = Berlin();
  CHECK(c.At(PeriodKind::kWeek, Utc(2026, 6, 10, 12, 0)) ==
        P(PeriodKind::kWeek, Utc(2026, 6, 7, 22, 0), Utc(2026, 6, 14, 22, 0), "2026-W24"));
  // Monday 00:30 CEST is already the new week; Sunday 23:30 the old one.
  CHECK(c.At(PeriodKind::kWeek, Utc(2026, 6, 7, 22, 30)).label == "2026-W24");
  CHECK(c.At(PeriodKind::kWeek, Utc(2026, 6, 7, 21, 30)).label == "2026-W23");
  // The week of Monday 2025-12-29 has its Thursday in 2026: 2026-W01.
  const Period newyear = c.At(PeriodKind::kWeek, Utc(2025, 12, 31, 12, 0));
  CHECK(newyear ==
        P(PeriodKind::kWeek, Utc(2025, 12, 28, 23, 0), Utc(2026, 1, 4, 23, 0), "2026-W01"));
  // The week of Monday 2026-12-28 has its Thursday on 2026-12-31: 2026-W53.
  CHECK(c.At(PeriodKind::kWeek, Utc(2027, 1, 1, 12, 0)).label == "2026-W53");
  // The week of Monday 2020-12-28 holds 2021-01-03: 2020-W53.
  CHECK(c.At(PeriodKind::kWeek, Utc(2021, 1, 3, 12, 0)).label == "2020-W53");
  // A week with the spring change is 167 hours long.
  const Period dst = c.At(PeriodKind::kWeek, Utc(2026, 3, 25, 12, 0));
  CHECK(dst.label == "2026-W13");
  CHECK(dst.end - dst.start == 167 * kHour);
}

TEST_CASE("periods: months from the 1st to the 1st, across the year", "[scoring][periods]") {
  const PeriodCalendar c = Berlin();
  // March 1 00:00 CET to April 1 00:00 CEST.
  CHECK(c.At(PeriodKind::kMonth, Utc(2026, 3, 15, 12, 0)) ==
        P(PeriodKind::kMonth, Utc(2026, 2, 28, 23, 0), Utc(2026, 3, 31, 22, 0), "2026-03"));
  const Period december = c.At(PeriodKind::kMonth, Utc(2026, 12, 31, 22, 59));
  CHECK(december ==
        P(PeriodKind::kMonth, Utc(2026, 11, 30, 23, 0), Utc(2026, 12, 31, 23, 0), "2026-12"));
  CHECK(c.Next(december) ==
        P(PeriodKind::kMonth, Utc(2026, 12, 31, 23, 0), Utc(2027, 1, 31, 23, 0), "2027-01"));
  // 2026-03-01 00:30 local is 2026-02-28 23:30 UTC: March already.
  CHECK(c.At(PeriodKind::kMonth, Utc(2026, 2, 28, 23, 30)).label == "2026-03");
  CHECK(c.At(PeriodKind::kMonth, Utc(2026, 2, 28, 22, 30)).label == "2026-02");
}

TEST_CASE("periods: Next follows on, and every instant is in the period At gives",
          "[scoring][periods]") {
  const PeriodCalendar c = Berlin();
  const Period shift = c.At(PeriodKind::kShift, Utc(2026, 6, 10, 12, 0));
  CHECK(c.Next(shift) ==
        P(PeriodKind::kShift, Utc(2026, 6, 10, 20, 0), Utc(2026, 6, 11, 4, 0), "2026-06-10 22:00"));
  CHECK(c.Next(c.Next(shift)).label == "2026-06-11 06:00");
  CHECK(c.Next(c.At(PeriodKind::kDay, Utc(2026, 3, 28, 12, 0))).label == "2026-03-29");
  CHECK(c.Next(c.At(PeriodKind::kWeek, Utc(2025, 12, 24, 12, 0))).label == "2026-W01");
  // Over a year of instants 37 minutes apart: each lies in its periods, a period's start
  // gives the period back, and its successor starts at its end.
  for (Micros t = Utc(2026, 1, 1, 0, 0); t < Utc(2027, 1, 1, 0, 0); t += 37 * kMinute) {
    for (PeriodKind k : kAllPeriodKinds) {
      const Period p = c.At(k, t);
      INFO(PeriodKindName(k) << " " << p.label << " at " << t);
      REQUIRE(p.start <= t);
      REQUIRE(t < p.end);
      REQUIRE(c.At(k, p.start) == p);
      REQUIRE(c.Next(p).start == p.end);
    }
  }
}

TEST_CASE("periods: no shift times means one shift per day from midnight", "[scoring][periods]") {
  const PeriodCalendar c = Berlin({});
  const Period s = c.At(PeriodKind::kShift, Utc(2026, 6, 10, 12, 0));
  const Period d = c.At(PeriodKind::kDay, Utc(2026, 6, 10, 12, 0));
  CHECK(s.kind == PeriodKind::kShift);
  CHECK(s.start == d.start);
  CHECK(s.end == d.end);
  CHECK(s.label == "2026-06-10 00:00");
}

TEST_CASE("periods: the default calendar is UTC", "[scoring][periods]") {
  const PeriodCalendar c;
  CHECK(c.At(PeriodKind::kDay, Utc(2026, 6, 10, 23, 59)) ==
        P(PeriodKind::kDay, Utc(2026, 6, 10, 0, 0), Utc(2026, 6, 11, 0, 0), "2026-06-10"));
}

}  // namespace picket::scoring
