#include "patrol/core/patrol_config.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

namespace picket::patrol {
namespace {

constexpr Micros kHour = 60 * kMinute;
constexpr Micros kDay = 24 * kHour;
constexpr int kMinutesPerDay = 1440;
constexpr int kMinutesPerWeek = 7 * kMinutesPerDay;
constexpr size_t kMaxIdBytes = 64;
constexpr size_t kMaxRouteCheckpoints = 100;

// [a-z0-9_-], 1..64: route and schedule ids.
bool IsConfigId(std::string_view id) {
  if (id.empty() || id.size() > kMaxIdBytes) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

// 1..64 bytes, no control characters: tags, posts and guards (people's ids).
bool IsCleanName(std::string_view s) {
  if (s.empty() || s.size() > kMaxIdBytes) return false;
  return std::none_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
}

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

std::string Where(std::string_view list, size_t i, std::string_view id = {}) {
  std::string w = std::string(list) + "[" + std::to_string(i) + "]";
  if (!id.empty()) w += " " + Quoted(id);
  return w;
}

// "Sat 02:00" for a minute of the week (0 = Sunday 00:00).
std::string WeekMinuteName(int week_minute) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  const int minute = week_minute % kMinutesPerDay;
  char clock[8];
  std::snprintf(clock, sizeof clock, "%02d:%02d", minute / 60, minute % 60);
  return std::string(kDays[week_minute / kMinutesPerDay]) + " " + clock;
}

void CheckCheckpoints(const PatrolConfig& c, std::vector<std::string>* errors) {
  std::set<std::string_view> tags;
  for (size_t i = 0; i < c.checkpoints.size(); ++i) {
    const auto& cp = c.checkpoints[i];
    const std::string where = Where("checkpoints", i, cp.tag);
    if (!IsCleanName(cp.tag))
      errors->push_back(where + ": a tag is 1..64 bytes without control characters");
    if (!tags.insert(cp.tag).second) errors->push_back(where + ": duplicate tag");
  }
}

void CheckDuration(const std::string& where, std::string_view name, Micros v, Micros max,
                   std::vector<std::string>* errors) {
  if (v < 0 || v > max)
    errors->push_back(where + ": " + std::string(name) + " must be between 0 and " +
                      std::to_string(max / kHour) + " h");
}

void CheckRoutes(const PatrolConfig& c, std::vector<std::string>* errors) {
  std::set<std::string_view> ids;
  for (size_t i = 0; i < c.routes.size(); ++i) {
    const Route& r = c.routes[i];
    const std::string where = Where("routes", i, r.id);
    if (!IsConfigId(r.id)) errors->push_back(where + ": an id is 1..64 of [a-z0-9_-]");
    if (!ids.insert(r.id).second) errors->push_back(where + ": duplicate id");
    if (!IsCleanName(r.post))
      errors->push_back(where + ": post is required (1..64 bytes, no control characters)");
    if (r.checkpoints.empty() || r.checkpoints.size() > kMaxRouteCheckpoints)
      errors->push_back(where + ": a route has 1..100 checkpoints");
    std::set<std::string_view> seen;
    for (const auto& tag : r.checkpoints) {
      if (!c.FindCheckpoint(tag))
        errors->push_back(where + ": checkpoint " + Quoted(tag) + " is not configured");
      if (!seen.insert(tag).second)
        errors->push_back(where + ": checkpoint " + Quoted(tag) + " is listed twice");
    }
    CheckDuration(where, "leg_min", r.leg_min, kDay, errors);
    CheckDuration(where, "leg_max", r.leg_max, kDay, errors);
    CheckDuration(where, "grace", r.grace, kDay, errors);
    CheckDuration(where, "early", r.early, kDay, errors);
    if (r.leg_min >= r.leg_max) errors->push_back(where + ": leg_min must be less than leg_max");
  }
}

void CheckSchedules(const PatrolConfig& c, std::vector<std::string>* errors) {
  std::set<std::string_view> ids;
  for (size_t i = 0; i < c.schedules.size(); ++i) {
    const Schedule& s = c.schedules[i];
    const std::string where = Where("schedules", i, s.id);
    if (!IsConfigId(s.id)) errors->push_back(where + ": an id is 1..64 of [a-z0-9_-]");
    if (!ids.insert(s.id).second) errors->push_back(where + ": duplicate id");
    if (!c.FindRoute(s.route))
      errors->push_back(where + ": route " + Quoted(s.route) + " is not configured");
    if (s.start_minutes.empty()) errors->push_back(where + ": no start time");
    for (size_t k = 0; k < s.start_minutes.size(); ++k) {
      const int m = s.start_minutes[k];
      if (m < 0 || m >= 2 * kMinutesPerDay)
        errors->push_back(where + ": start minute " + std::to_string(m) + " is not in 0..2879");
      if (k > 0 && m <= s.start_minutes[k - 1])
        errors->push_back(where + ": start times must be sorted, without repeats");
    }
    if (std::none_of(s.days.begin(), s.days.end(), [](bool d) { return d; }))
      errors->push_back(where + ": no day of the week");
    if (!s.post.empty() && !IsCleanName(s.post))
      errors->push_back(where + ": post must be 1..64 bytes without control characters");
    if (!s.guard.empty() && !IsCleanName(s.guard))
      errors->push_back(where + ": guard must be 1..64 bytes without control characters");
  }
}

struct WeekStart {
  int minute = 0;  // of the week, 0 = Sunday 00:00
  size_t schedule = 0;
};

// Every pair of starts of one route closer than planned_length + grace, once per pair of
// schedules (the first found, in week order), on the weekly pattern (circular).
void CheckOverlaps(const PatrolConfig& c, std::vector<std::string>* errors) {
  std::map<std::string_view, std::vector<WeekStart>> by_route;
  for (size_t i = 0; i < c.schedules.size(); ++i) {
    const Schedule& s = c.schedules[i];
    for (int day = 0; day < 7; ++day) {
      if (!s.days[static_cast<size_t>(day)]) continue;
      for (int m : s.start_minutes)
        if (m >= 0 && m < 2 * kMinutesPerDay)
          by_route[s.route].push_back({(day * kMinutesPerDay + m) % kMinutesPerWeek, i});
    }
  }
  for (auto& [route_id, starts] : by_route) {
    const Route* route = c.FindRoute(route_id);
    if (!route || starts.size() < 2) continue;
    const Micros need = route->planned_length() + route->grace;
    std::sort(starts.begin(), starts.end(),
              [](const WeekStart& a, const WeekStart& b) { return a.minute < b.minute; });
    std::set<std::pair<size_t, size_t>> reported;
    for (size_t i = 0; i < starts.size(); ++i) {
      for (size_t step = 1; step < starts.size(); ++step) {
        const WeekStart& a = starts[i];
        const WeekStart& b = starts[(i + step) % starts.size()];
        const int apart = (b.minute - a.minute + kMinutesPerWeek) % kMinutesPerWeek;
        if (apart * kMinute >= need) break;
        if (!reported.insert(std::minmax(a.schedule, b.schedule)).second) continue;
        const Schedule& sb = c.schedules[b.schedule];
        const std::string other = a.schedule == b.schedule
                                      ? "its own start at " + WeekMinuteName(a.minute)
                                      : "schedule " + Quoted(c.schedules[a.schedule].id) + " (" +
                                            WeekMinuteName(a.minute) + ")";
        errors->push_back(Where("schedules", b.schedule, sb.id) + ": starts at " +
                          WeekMinuteName(b.minute) + ", " + std::to_string(apart) + " min after " +
                          other + "; rounds of route " + Quoted(route_id) + " need " +
                          std::to_string(need / kMinute) + " min (planned length + grace)");
      }
    }
  }
}

}  // namespace

std::string_view RouteOrderName(RouteOrder o) {
  switch (o) {
    case RouteOrder::kOrdered:
      return "ordered";
    case RouteOrder::kAnyOrder:
      return "any";
    case RouteOrder::kRandom:
      return "random";
  }
  return "?";
}

std::optional<RouteOrder> ParseRouteOrder(std::string_view name) {
  for (RouteOrder o : {RouteOrder::kOrdered, RouteOrder::kAnyOrder, RouteOrder::kRandom})
    if (RouteOrderName(o) == name) return o;
  return std::nullopt;
}

std::optional<std::vector<int>> ExpandEvery(int every_minutes, int from_minute, int to_minute,
                                            std::string* error) {
  auto fail = [&](std::string why) -> std::optional<std::vector<int>> {
    if (error) *error = std::move(why);
    return std::nullopt;
  };
  if (every_minutes < 5 || every_minutes > kMinutesPerDay)
    return fail("every must be between 5 minutes and 24 hours");
  if (from_minute < 0 || from_minute >= kMinutesPerDay || to_minute < 0 ||
      to_minute >= kMinutesPerDay)
    return fail("from and to must be times of day (00:00..23:59)");
  // to <= from wraps past midnight; to == from is a whole day, whose end is the next
  // day's first start (so it is not repeated).
  const int end = to_minute <= from_minute ? to_minute + kMinutesPerDay : to_minute;
  std::vector<int> out;
  for (int t = from_minute; t <= end; t += every_minutes)
    if (!(to_minute == from_minute && t == end)) out.push_back(t);
  return out;
}

const Checkpoint* PatrolConfig::FindCheckpoint(std::string_view tag) const {
  for (const auto& c : checkpoints)
    if (c.tag == tag) return &c;
  return nullptr;
}

const Route* PatrolConfig::FindRoute(std::string_view id) const {
  for (const auto& r : routes)
    if (r.id == id) return &r;
  return nullptr;
}

const Schedule* PatrolConfig::FindSchedule(std::string_view id) const {
  for (const auto& s : schedules)
    if (s.id == id) return &s;
  return nullptr;
}

std::vector<std::string> ValidatePatrolConfig(const PatrolConfig& config) {
  std::vector<std::string> errors;
  std::string why;
  if (!TimeZoneRule::Parse(config.time_zone, &why)) errors.push_back("time_zone: " + why);
  if (config.skew_limit <= 0 || config.skew_limit > kDay)
    errors.push_back("skew_limit: must be more than 0 and at most 24 h");
  if (config.skew_window <= 0 || config.skew_window > kDay)
    errors.push_back("skew_window: must be more than 0 and at most 24 h");
  CheckCheckpoints(config, &errors);
  CheckRoutes(config, &errors);
  CheckSchedules(config, &errors);
  CheckOverlaps(config, &errors);
  return errors;
}

}  // namespace picket::patrol
