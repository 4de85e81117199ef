// Scoring periods in the site's local time zone: shift, day, week (Monday to Monday),
// month. A period is a half-open UTC interval [start, end) whose bounds are local
// midnights (or local shift starts) converted with domain/site_time.h, so a day on a DST
// night is 23 or 25 hours long.
//
// Shifts: the site's shift start times, minutes after local midnight, ascending, e.g.
// {360, 840, 1320} for 06:00, 14:00 and 22:00. The shift containing t starts at the latest
// start <= t (the previous day's last one before the first of the day) and ends at the next.
// A site with no shift times has one shift per day, from midnight.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/site_time.h"

namespace picket::scoring {

// DO NOT CHANGE the numbers: in keys, timer ids and on the wire.
enum class PeriodKind : uint8_t { kShift = 0, kDay = 1, kWeek = 2, kMonth = 3 };
inline constexpr PeriodKind kAllPeriodKinds[] = {PeriodKind::kShift, PeriodKind::kDay,
                                                 PeriodKind::kWeek, PeriodKind::kMonth};
std::string_view PeriodKindName(PeriodKind k);  // "shift", "day", "week", "month"
std::optional<PeriodKind> ParsePeriodKind(std::string_view name);

struct Period {
  PeriodKind kind = PeriodKind::kDay;
  Micros start = 0, end = 0;  // UTC, [start, end)
  // For people, in local time: shift "2026-11-28 06:00", day "2026-11-28",
  // week "2026-W48" (ISO 8601 week of its Monday), month "2026-11".
  std::string label;
  friend bool operator==(const Period&, const Period&) = default;
};

struct PeriodCalendar {
  TimeZoneRule zone = TimeZoneRule::Utc();
  std::vector<int> shift_starts;  // minutes after local midnight, ascending, 0..1439

  // The period of `kind` containing the instant t (TimeInRange(t)).
  Period At(PeriodKind kind, Micros t) const;
  // The period right after p (its start is p.end).
  Period Next(const Period& p) const;
};

}  // namespace picket::scoring
