#include "patrol/core/patrol_keys.h"

#include "base/big_endian.h"

namespace picket::patrol::keys {
namespace {

// DO NOT CHANGE: stored (timer rows).
constexpr std::string_view kSchedulePrefix = "sched/";
constexpr std::string_view kStartPrefix = "start/";
constexpr std::string_view kLegPrefix = "leg/";
constexpr std::string_view kEndPrefix = "end/";

constexpr uint64_t kTimeBias = uint64_t{1} << 63;
constexpr int64_t kDayBias = int64_t{1} << 31;
constexpr Micros kMicrosPerDay = 86400 * kMicrosPerSecond;
constexpr size_t kTimedRoundBytes = 16;  // u64 time | u64 round

std::string Text(std::string_view text) {
  std::string key(text);
  key.push_back('\0');
  return key;
}

void AppendTimedRound(std::string& key, Micros time, uint64_t round) {
  big_endian::Append(key, static_cast<uint64_t>(time) + kTimeBias, 8);
  big_endian::Append(key, round, 8);
}

// The u32 day then the time and round at the end of `key`, checked against each other.
std::optional<TimedRound> DayTimedRoundAtEnd(std::string_view key) {
  if (key.size() < 4 + kTimedRoundBytes) return std::nullopt;
  const size_t at = key.size() - kTimedRoundBytes;
  TimedRound out;
  out.time = static_cast<Micros>(big_endian::Read(key, at, 8) - kTimeBias);
  out.round = big_endian::Read(key, at + 8, 8);
  if (DayOf(out.time) != big_endian::Read(key, at - 4, 4)) return std::nullopt;
  return out;
}

std::optional<uint64_t> AfterPrefix(std::string_view id, std::string_view prefix) {
  if (id.substr(0, prefix.size()) != prefix) return std::nullopt;
  return DecodeU64(id.substr(prefix.size()));
}

}  // namespace

std::vector<std::string> AllTables() {
  return {std::string(kRoundsTable),         std::string(kRoundsByTimeTable),
          std::string(kOpenRoundsTable),     std::string(kActiveRoundsTable),
          std::string(kGuardRoundsTable),    std::string(kSchedulesTable),
          std::string(kTerminalClocksTable), std::string(kCountersTable)};
}

std::string U64(uint64_t v) { return big_endian::U64(v); }
std::optional<uint64_t> DecodeU64(std::string_view bytes) { return big_endian::ParseU64(bytes); }

uint32_t DayOf(Micros t) {
  int64_t day = t / kMicrosPerDay - ((t % kMicrosPerDay) < 0 ? 1 : 0);
  return static_cast<uint32_t>(day + kDayBias);
}

std::string RoundTimeDayPrefix(uint32_t day) { return big_endian::U32(day); }

std::string RoundTimeKey(Micros time, uint64_t round) {
  std::string key = RoundTimeDayPrefix(DayOf(time));
  AppendTimedRound(key, time, round);
  return key;
}

std::optional<TimedRound> DecodeRoundTimeKey(std::string_view key) {
  if (key.size() != 4 + kTimedRoundBytes) return std::nullopt;
  return DayTimedRoundAtEnd(key);
}

std::string OpenPostPrefix(std::string_view post) { return Text(post); }

std::string OpenRoutePrefix(std::string_view post, std::string_view route) {
  return Text(post) + Text(route);
}

std::string OpenRoundKey(std::string_view post, std::string_view route, Micros due,
                         uint64_t round) {
  std::string key = OpenRoutePrefix(post, route);
  AppendTimedRound(key, due, round);
  return key;
}

std::optional<OpenRoundKeyParts> DecodeOpenRoundKey(std::string_view key) {
  const size_t post_end = key.find('\0');
  if (post_end == std::string_view::npos) return std::nullopt;
  const size_t route_end = key.find('\0', post_end + 1);
  if (route_end == std::string_view::npos || key.size() != route_end + 1 + kTimedRoundBytes)
    return std::nullopt;
  OpenRoundKeyParts out;
  out.post = std::string(key.substr(0, post_end));
  out.route = std::string(key.substr(post_end + 1, route_end - post_end - 1));
  out.due = static_cast<Micros>(big_endian::Read(key, route_end + 1, 8) - kTimeBias);
  out.round = big_endian::Read(key, route_end + 9, 8);
  return out;
}

std::string ActivePostPrefix(std::string_view post) { return Text(post); }

std::string ActiveKey(std::string_view post, std::string_view guard) {
  return Text(post) + std::string(guard);
}

std::string GuardDayPrefix(std::string_view post, std::string_view guard, uint32_t day) {
  return Text(post) + Text(guard) + big_endian::U32(day);
}

std::string GuardRoundKey(std::string_view post, std::string_view guard, Micros started_at,
                          uint64_t round) {
  std::string key = GuardDayPrefix(post, guard, DayOf(started_at));
  AppendTimedRound(key, started_at, round);
  return key;
}

std::optional<TimedRound> DecodeGuardRoundKey(std::string_view key) {
  return DayTimedRoundAtEnd(key);
}

std::string ScheduleTimerId(std::string_view schedule) {
  return std::string(kSchedulePrefix) + std::string(schedule);
}

std::optional<std::string> DecodeScheduleTimerId(std::string_view timer_id) {
  if (timer_id.size() <= kSchedulePrefix.size() ||
      timer_id.substr(0, kSchedulePrefix.size()) != kSchedulePrefix)
    return std::nullopt;
  return std::string(timer_id.substr(kSchedulePrefix.size()));
}

std::string RoundTimerId(RoundTimer kind, uint64_t round) {
  switch (kind) {
    case RoundTimer::kStart:
      return std::string(kStartPrefix) + U64(round);
    case RoundTimer::kLeg:
      return std::string(kLegPrefix) + U64(round);
    case RoundTimer::kEnd:
      return std::string(kEndPrefix) + U64(round);
  }
  return "";
}

std::optional<RoundTimerRef> DecodeRoundTimerId(std::string_view timer_id) {
  for (auto [kind, prefix] :
       {std::pair{RoundTimer::kStart, kStartPrefix}, std::pair{RoundTimer::kLeg, kLegPrefix},
        std::pair{RoundTimer::kEnd, kEndPrefix}})
    if (auto round = AfterPrefix(timer_id, prefix)) return RoundTimerRef{kind, *round};
  return std::nullopt;
}

}  // namespace picket::patrol::keys
