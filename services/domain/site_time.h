// The site's local time without a time-zone database: a POSIX TZ rule string
// ("CET-1CEST,M3.5.0,M10.5.0/3") parsed and evaluated here, and daily opening hours
// judged in that local time.
//
// Why a POSIX rule and not the tz database (date::date-tz, /usr/share/zoneinfo): a core
// may not read files, and a gate's decision must not change when the host's tzdata
// package is upgraded or missing (a terminal box, a container). A POSIX rule is one line
// in the site's configuration, covers every current rule of a site's zone (a fixed offset,
// or standard and daylight time switching on "the w-th weekday of month m"), and its
// evaluation is small enough to test exhaustively. What it cannot say: historical rule
// changes (a past year evaluated with today's rule) and the rare zones whose switch is
// not a "w-th weekday" date; both are irrelevant to judging a scan now. The string for a
// zone is the last line of its zoneinfo file (`tail -1 /usr/share/zoneinfo/Europe/Paris`).
//
// Supported grammar (POSIX.1-2017 section 8.3, the `M` form of rules only):
//   zone   = std offset [ dst [ offset ] [ "," rule "," rule ] ]
//   std, dst = 3 or more letters, or "<" [A-Za-z0-9+-]{3,} ">"
//   offset = [+|-] hh [ ":" mm [ ":" ss ] ]     hours WEST of UTC (so CET is "-1"), hh <= 24
//   rule   = "M" m "." w "." d [ "/" time ]      month 1-12, week 1-5 (5 = last), day 0-6
//                                              (0 = Sunday); time [+|-]hh[:mm[:ss]],
//                                              |hh| <= 167, local time, default 02:00:00
// A dst name without its offset means one hour ahead of standard time; a dst name needs
// its two rules (the POSIX default rules are implementation-defined, so we refuse them).
//
// Pure value types and functions; no state, no clock; thread-safe as values are.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"

namespace picket {

// "M m.w.d/time": the w-th (5 = last) weekday d of month m, at `time` local time.
struct TransitionRule {
  int month = 1;             // 1..12
  int week = 1;              // 1..5
  int weekday = 0;           // 0 = Sunday .. 6
  int32_t time_seconds = 0;  // seconds after local midnight, -167 h .. 167 h
  friend bool operator==(const TransitionRule&, const TransitionRule&) = default;
};

struct TimeZoneRule {
  std::string source;  // the string it was parsed from
  std::string std_name;
  int32_t std_offset_seconds = 0;  // EAST of UTC: CET is +3600 (the string says "-1")
  bool has_dst = false;
  std::string dst_name;
  int32_t dst_offset_seconds = 0;  // EAST of UTC
  TransitionRule dst_start;        // in local standard time
  TransitionRule dst_end;          // in local daylight time

  // Parses a POSIX TZ string. Nullopt and *error (one sentence) if it is not one of the
  // supported forms.
  static std::optional<TimeZoneRule> Parse(std::string_view text, std::string* error);
  // UTC, no daylight time.
  static TimeZoneRule Utc();

  // True if daylight time is in force at the UTC instant `utc`. Daylight time starts at
  // the start rule's instant (inclusive) and ends at the end rule's (exclusive); a rule
  // whose end comes before its start in the year is a southern-hemisphere zone.
  bool IsDst(Micros utc) const;
  // Seconds east of UTC in force at `utc`.
  int32_t OffsetAt(Micros utc) const;
};

// A wall-clock reading in the site's zone.
struct LocalTime {
  int year = 1970;
  int month = 1;          // 1..12
  int day = 1;            // 1..31
  int weekday = 4;        // 0 = Sunday .. 6
  int second_of_day = 0;  // 0 .. 86399
  int minute_of_day() const { return second_of_day / 60; }
};
LocalTime ToLocal(const TimeZoneRule& zone, Micros utc);

// The UTC instant of a wall-clock reading (a date and seconds after local midnight,
// 0..86399) in the site's zone. DST changes make some readings special, and schedules
// depend on what happens to them:
//   - a reading that does not exist (the hour skipped when clocks go forward: 02:30 on
//     Europe/Berlin's spring-forward night) is taken as the same distance past the change
//     (02:30 becomes 03:30 CEST), as cron and systemd timers do: it still happens once;
//   - a reading that happens twice (the hour repeated when clocks go back) is its first
//     occurrence (02:30 CEST, not 02:30 CET): it happens once, not twice.
// `weekday` of `local` is ignored.
Micros FromLocal(const TimeZoneRule& zone, const LocalTime& local);
// The local calendar date `days` days after `local`'s (weekday set; second_of_day kept).
LocalTime AddDays(const LocalTime& local, int days);

// Daily opening hours in site local time: [open, close) in minutes after local midnight.
// close < open wraps past midnight ("22:00-06:00": open late evening and early morning).
// open == close is not a valid window (use no hours at all for "always").
// Times a command or a fact may carry: after the epoch and before the year 10000 (UTC).
// Bounding them at the edge keeps every difference and sum the core computes (a pass's
// length, expiry + grace, a wait) inside Micros.
inline constexpr Micros kLatestTime = 253402300799LL * 1'000'000;  // 9999-12-31T23:59:59Z
constexpr bool TimeInRange(Micros t) { return t > 0 && t <= kLatestTime; }

struct DailyHours {
  int open_minute = 0;   // 0..1439
  int close_minute = 0;  // 0..1440
  friend bool operator==(const DailyHours&, const DailyHours&) = default;

  // Parses "HH:MM-HH:MM" (24:00 allowed as a close). Nullopt and *error if malformed.
  static std::optional<DailyHours> Parse(std::string_view text, std::string* error);
  std::string Format() const;
  // True if the local wall-clock minute is inside the window. On the day of a DST change
  // the window is read off the wall clock: a gate open 06:00-22:00 opens at 06:00 local
  // on both sides of the change (so 05:00 or 04:00 UTC in CET/CEST).
  bool Contains(int local_minute_of_day) const;
};

}  // namespace picket
