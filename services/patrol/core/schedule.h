// When a schedule's rounds fall due: its start times as UTC instants, across DST changes,
// and the state the core keeps per schedule. Internal to the core (Patrol is the API).
//
// An occurrence is one start of a schedule: the local date the schedule runs on (the day
// a window starts, whose weekday `days` is checked against), a start minute from
// start_minutes (1440 and more: the next day's date), and its due, FromLocal of that
// reading (domain/site_time.h). So the 02:00 start is due at 02:00 local whatever the
// offset; on the spring-forward night a start in the skipped hour is due as far past the
// change (02:00 -> 03:00 CEST), and on the fall-back night a start in the repeated hour is
// due once, at its first occurrence (CEST).
//
// Two starts whose dues coincide (02:00 and 03:00 on the spring-forward night are both
// 03:00 CEST) are one occurrence: the earlier reading names it. The occurrences of a
// schedule are taken in order of due, each once, so "the next occurrence after t" is
// always well defined, and a timer walking from one to the next never repeats or skips a
// round.
//
// Pure values and functions; thread-safe as values are.
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

#include "domain/site_time.h"
#include "patrol/core/patrol_config.h"

namespace picket::patrol {

struct LocalDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  friend auto operator<=>(const LocalDate&, const LocalDate&) = default;
};

struct Occurrence {
  LocalDate date;        // the day the schedule runs on (the window's first day)
  int start_minute = 0;  // one of the schedule's start_minutes (0..2879)
  Micros due = 0;        // UTC
  friend bool operator==(const Occurrence&, const Occurrence&) = default;
};

// The UTC instant of start minute `start_minute` (0..2879) of the schedule day `date`.
Micros DueOf(const TimeZoneRule& zone, const LocalDate& date, int start_minute);

// The occurrence of `s` with the smallest due strictly after `after` (ties: the earliest
// date, then minute). Looks at most 8 days ahead: nullopt for a schedule with no start
// time or no day (ValidatePatrolConfig refuses those).
std::optional<Occurrence> NextOccurrence(const Schedule& s, const TimeZoneRule& zone, Micros after);

// The schedule timer's payload (patrol_keys.h). Nullopt if malformed.
std::string EncodeOccurrence(const Occurrence& o);
std::optional<Occurrence> DecodeOccurrence(std::string_view bytes);

// What the core keeps per schedule (table schedules): the occurrence its timer will
// materialize, when that timer is due (its due - the route's early when armed), and up to
// when occurrences are done with: the due of the last one made, or the time the schedule
// was first armed (earlier ones were never wanted). A schedule with a row has a pending
// timer, and while the configuration is unchanged next == NextOccurrence(made_until).
struct ScheduleState {
  std::string schedule;
  Occurrence next;
  Micros timer_due = 0;
  Micros made_until = 0;
  friend bool operator==(const ScheduleState&, const ScheduleState&) = default;
};
std::string EncodeScheduleState(const ScheduleState& s);
std::optional<ScheduleState> DecodeScheduleState(std::string_view bytes);

}  // namespace picket::patrol
