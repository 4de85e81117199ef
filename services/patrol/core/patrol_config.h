// The patrol core's configuration: checkpoints, routes and schedules, as validated values
// (read from [patrol] in site.toml by the adapter, patrol/patrol_config_toml.h).
//
//   checkpoint  a tag fixed somewhere on the site (NFC or barcode), with a name and where
//               it is ("north fence, by the pump house")
//   route       a list of checkpoints walked by the guards of one post: in the listed
//               order, in any order, or in an order drawn at random when each round
//               starts; each leg (round start -> first checkpoint, then checkpoint ->
//               checkpoint) takes between leg_min and leg_max; `grace` is how much later
//               than that a start or a checkpoint still counts (as late) before it is
//               "not started" / "missed"
//   schedule    when rounds of a route are due, in site local time: explicit times
//               ("22:00", "02:30") or "every 2 h from 22:00 to 06:00" (a window past
//               midnight belongs to the day it starts on), on some days of the week
//
// Schedules follow the wall clock (docs/patrol.md, "Schedules and DST"): the 02:00 round
// is due at 02:00 local whatever the offset; on the spring-forward night a time in the
// skipped hour is due just after the change (02:30 -> 03:30 CEST), on the fall-back night
// a time in the repeated hour is due once, at its first occurrence (FromLocal,
// domain/site_time.h).
//
// Values only; ValidatePatrolConfig is a pure function. Thread-safe as values are.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "domain/site_time.h"

namespace picket::patrol {

inline constexpr Micros kMinute = 60 * kMicrosPerSecond;

struct Checkpoint {
  std::string tag;       // what the reader reads; unique; 1..64 bytes, no control chars
  std::string name;      // "North fence"
  std::string location;  // free text, may be empty
};

// DO NOT CHANGE the numbers: stored in round records (patrol_types.h).
enum class RouteOrder : uint8_t {
  kOrdered = 0,   // the listed order
  kAnyOrder = 1,  // every checkpoint once, in any order
  kRandom = 2,    // an order drawn when the round starts (recorded in round_started)
};
std::string_view RouteOrderName(RouteOrder o);  // "ordered", "any", "random"
std::optional<RouteOrder> ParseRouteOrder(std::string_view name);

struct Route {
  std::string id;    // unique; [a-z0-9_-], 1..64
  std::string name;  // for people; may be empty (then the id)
  std::string post;  // the post whose guards walk it: the `post` of its events
  RouteOrder order = RouteOrder::kOrdered;
  std::vector<std::string> checkpoints;  // tags of configured checkpoints, 1..100, no repeats
  Micros leg_min = 0;                    // >= 0
  Micros leg_max = 15 * kMinute;         // > leg_min, <= 24 h
  Micros grace = 5 * kMinute;            // >= 0, <= 24 h
  // How long before its due time a scheduled round may be started (a start earlier than
  // that is an unscheduled round). >= 0, <= 24 h.
  Micros early = 15 * kMinute;

  // The longest a round may take and still be on time: legs x leg_max (Σ of the legs).
  Micros planned_length() const { return static_cast<Micros>(checkpoints.size()) * leg_max; }
};

struct Schedule {
  std::string id;     // unique; [a-z0-9_-], 1..64
  std::string route;  // a configured route
  // Local start times in minutes after midnight, as configured or expanded from
  // every/from/to at validation; sorted, no repeats. A window past midnight (from 22:00
  // to 06:00) gives 1440 + minute for the times after midnight, so each value is
  // "minutes after the local midnight starting the day the schedule runs on" (0..2879).
  std::vector<int> start_minutes;
  // Days of the week it runs on (the day a window starts), 0 = Sunday; all by default.
  std::array<bool, 7> days = {true, true, true, true, true, true, true};
  std::string post;   // who must walk it: a post (default: the route's post) ...
  std::string guard;  // ... and/or one guard (person id), or empty
};

// "every 2h from 22:00 to 06:00": starts at `from`, then every `every` while not past
// `to` (inclusive); to <= from wraps past midnight. every in whole minutes, 5 min..24 h.
// Nullopt and *error (one sentence) if it gives no time or every is out of range.
std::optional<std::vector<int>> ExpandEvery(int every_minutes, int from_minute, int to_minute,
                                            std::string* error);

struct PatrolConfig {
  std::string time_zone = "UTC0";  // POSIX TZ rule (domain/site_time.h), already resolved
  std::vector<Checkpoint> checkpoints;
  std::vector<Route> routes;
  std::vector<Schedule> schedules;
  // A terminal whose clock is off the bus's by more than this gets patrol.clock_skew, and a
  // fact observed more than this after the bus recorded it is refused (future_time).
  Micros skew_limit = 2 * kMinute;
  // The window over which a terminal's clock offset is estimated (patrol.h, "Skew").
  Micros skew_window = 10 * kMinute;

  const Checkpoint* FindCheckpoint(std::string_view tag) const;
  const Route* FindRoute(std::string_view id) const;
  const Schedule* FindSchedule(std::string_view id) const;
};

// Every problem, one sentence each, prefixed with where it is ("routes[1]: ...",
// "schedules[0] 'night': ..."). Empty = valid. Checks: ids and tags unique and well
// formed; routes name known checkpoints, once each, and a post; leg_min < leg_max, the
// bounds above; schedules name a known route and have at least one start time and day;
// time_zone parses; and no two rounds of one route can overlap: any two start times of
// the route's schedules (on the weekly pattern, local minutes) must be at least
// planned_length + grace apart, and one schedule's `every` must be too.
std::vector<std::string> ValidatePatrolConfig(const PatrolConfig& config);

}  // namespace picket::patrol
