// Periods: every bound is a local wall-clock reading (a midnight, a shift start) made UTC
// with FromLocal, so DST nights come out 23 or 25 hours long without special cases here.
#include "scoring/core/periods.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace picket::scoring {
namespace {

LocalTime DateOf(const LocalTime& t) {
  LocalTime d = t;
  d.second_of_day = 0;
  return d;
}

LocalTime At(const LocalTime& date, int minute) {
  LocalTime t = date;
  t.second_of_day = minute * 60;
  return t;
}

std::string Two(int v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d", v % 100);
  return buf;
}

std::string DateLabel(const LocalTime& d) {
  return std::to_string(d.year) + "-" + Two(d.month) + "-" + Two(d.day);
}

// Days since 1 January of d's year (0-based).
int DayOfYear(const LocalTime& d) {
  using namespace std::chrono;
  const year y{d.year};
  const sys_days date = y / static_cast<unsigned>(d.month) / static_cast<unsigned>(d.day);
  return static_cast<int>((date - sys_days{y / January / 1}).count());
}

// ISO 8601: a week belongs to the year of its Thursday and is numbered from that year's
// first week with a Thursday.
std::string IsoWeekLabel(const LocalTime& monday) {
  const LocalTime thursday = AddDays(monday, 3);
  const int week = DayOfYear(thursday) / 7 + 1;
  return std::to_string(thursday.year) + "-W" + Two(week);
}

// One shift boundary: a local date and a start minute, with its UTC instant.
struct Boundary {
  Micros utc = 0;
  LocalTime date;
  int minute = 0;
};

// The shift boundaries of the local dates around `local` (the day before to the day
// after), ascending: enough for the shift containing any instant of that date.
std::vector<Boundary> BoundariesAround(const PeriodCalendar& cal, const LocalTime& local) {
  std::vector<int> starts = cal.shift_starts;
  if (starts.empty()) starts = {0};
  std::vector<Boundary> out;
  for (int d = -1; d <= 2; ++d) {
    const LocalTime date = DateOf(AddDays(local, d));
    for (int m : starts) out.push_back({FromLocal(cal.zone, At(date, m)), date, m});
  }
  // A start skipped by a DST change can land on (or past) the next one: keep the order.
  std::stable_sort(out.begin(), out.end(),
                   [](const Boundary& a, const Boundary& b) { return a.utc < b.utc; });
  return out;
}

Period ShiftAt(const PeriodCalendar& cal, Micros t) {
  const auto bounds = BoundariesAround(cal, ToLocal(cal.zone, t));
  size_t i = 0;
  while (i + 1 < bounds.size() && bounds[i + 1].utc <= t) ++i;
  size_t next = i + 1;
  while (next + 1 < bounds.size() && bounds[next].utc <= bounds[i].utc) ++next;
  const Boundary& b = bounds[i];
  return {PeriodKind::kShift, b.utc, bounds[next].utc,
          DateLabel(b.date) + " " + Two(b.minute / 60) + ":" + Two(b.minute % 60)};
}

Period DayAt(const PeriodCalendar& cal, Micros t) {
  const LocalTime date = DateOf(ToLocal(cal.zone, t));
  return {PeriodKind::kDay, FromLocal(cal.zone, date), FromLocal(cal.zone, AddDays(date, 1)),
          DateLabel(date)};
}

Period WeekAt(const PeriodCalendar& cal, Micros t) {
  const LocalTime local = DateOf(ToLocal(cal.zone, t));
  const LocalTime monday = AddDays(local, -((local.weekday + 6) % 7));
  return {PeriodKind::kWeek, FromLocal(cal.zone, monday), FromLocal(cal.zone, AddDays(monday, 7)),
          IsoWeekLabel(monday)};
}

Period MonthAt(const PeriodCalendar& cal, Micros t) {
  LocalTime first = DateOf(ToLocal(cal.zone, t));
  first.day = 1;
  LocalTime next = first;
  next.month = first.month % 12 + 1;
  next.year = first.year + (first.month == 12 ? 1 : 0);
  return {PeriodKind::kMonth, FromLocal(cal.zone, first), FromLocal(cal.zone, next),
          std::to_string(first.year) + "-" + Two(first.month)};
}

}  // namespace

std::string_view PeriodKindName(PeriodKind k) {
  switch (k) {
    case PeriodKind::kShift:
      return "shift";
    case PeriodKind::kDay:
      return "day";
    case PeriodKind::kWeek:
      return "week";
    case PeriodKind::kMonth:
      return "month";
  }
  return "?";
}

std::optional<PeriodKind> ParsePeriodKind(std::string_view name) {
  for (PeriodKind k : kAllPeriodKinds)
    if (PeriodKindName(k) == name) return k;
  return std::nullopt;
}

Period PeriodCalendar::At(PeriodKind kind, Micros t) const {
  switch (kind) {
    case PeriodKind::kShift:
      return ShiftAt(*this, t);
    case PeriodKind::kWeek:
      return WeekAt(*this, t);
    case PeriodKind::kMonth:
      return MonthAt(*this, t);
    case PeriodKind::kDay:
      break;
  }
  return DayAt(*this, t);
}

Period PeriodCalendar::Next(const Period& p) const { return At(p.kind, p.end); }

}  // namespace picket::scoring
