// Every table, key and timer encoding of picket-patrol's state, in one place.
//
// DO NOT CHANGE any name or encoding here: they are the on-disk format of the service's
// RocksDB (one column family per table) and of its timer rows. patrol_keys_test.cc pins
// them byte for byte. Integers are big-endian (base/big_endian.h) so byte order is numeric
// order; a text part of a composite key ends with a 0x00 byte (posts, routes and guards
// never contain one: the bus refuses NUL bytes in text).
//
//   table            key                                              value
//   rounds           u64 round id                                     EncodeRound
//   rounds_by_time   u32 day | u64 time | u64 round id                "" (every round, by its
//                                                                     due; unscheduled: start)
//   open_rounds      post 0x00 route 0x00 | u64 due | u64 round id    "" (scheduled and not
//                                                                     started rounds that may
//                                                                     still be started)
//   active_rounds    post 0x00 guard                                  u64 round id (in progress)
//   guard_rounds     post 0x00 guard 0x00 | u32 day | u64 started_at  "" (every round started,
//                    | u64 round id                                   by who and when)
//   schedules        schedule id                                      EncodeScheduleState
//   terminal_clocks  terminal (envelope producer)                     EncodeTerminalClock
//   patrol_counters  "next_round_id"                                  u64: the next id to give
//
// Timer ids (the runtime's timer table; setting an id again moves the timer):
//   "sched/" schedule id    payload EncodeOccurrence (schedule.h): the start it materializes,
//                           due at its due - the route's `early`
//   "start/" u64 round id   payload "": the round's start deadline (due + grace + extension)
//                           while it is scheduled; once it is not started, the end of its
//                           startable window (due + grace + planned length + extension),
//                           when it leaves open_rounds
//   "leg/" u64 round id     payload "": the deadline of the next pending checkpoint
//                           (ordered and random routes)
//   "end/" u64 round id     payload "": start + planned length + grace + extension
//
// A "time" in a key is Micros + 2^63 (so any time sorts); a "day" is floor(time / 1 day)
// + 2^31 (UTC days), a bucket that lets a range be read with prefix scans.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"

namespace picket::patrol::keys {

inline constexpr std::string_view kRoundsTable = "rounds";
inline constexpr std::string_view kRoundsByTimeTable = "rounds_by_time";
inline constexpr std::string_view kOpenRoundsTable = "open_rounds";
inline constexpr std::string_view kActiveRoundsTable = "active_rounds";
inline constexpr std::string_view kGuardRoundsTable = "guard_rounds";
inline constexpr std::string_view kSchedulesTable = "schedules";
inline constexpr std::string_view kTerminalClocksTable = "terminal_clocks";
inline constexpr std::string_view kCountersTable = "patrol_counters";
inline constexpr std::string_view kNextRoundIdKey = "next_round_id";

// The state tables to declare when opening the store.
std::vector<std::string> AllTables();

std::string U64(uint64_t v);
std::optional<uint64_t> DecodeU64(std::string_view bytes);

uint32_t DayOf(Micros t);  // biased UTC day number (see above)

// A time and a round id: the tail of rounds_by_time and guard_rounds keys.
struct TimedRound {
  Micros time = 0;
  uint64_t round = 0;
  friend bool operator==(const TimedRound&, const TimedRound&) = default;
};

// rounds_by_time
std::string RoundTimeDayPrefix(uint32_t day);
std::string RoundTimeKey(Micros time, uint64_t round);
std::optional<TimedRound> DecodeRoundTimeKey(std::string_view key);

// open_rounds
std::string OpenPostPrefix(std::string_view post);
std::string OpenRoutePrefix(std::string_view post, std::string_view route);
std::string OpenRoundKey(std::string_view post, std::string_view route, Micros due, uint64_t round);
struct OpenRoundKeyParts {
  std::string post, route;
  Micros due = 0;
  uint64_t round = 0;
  friend bool operator==(const OpenRoundKeyParts&, const OpenRoundKeyParts&) = default;
};
std::optional<OpenRoundKeyParts> DecodeOpenRoundKey(std::string_view key);

// active_rounds
std::string ActivePostPrefix(std::string_view post);
std::string ActiveKey(std::string_view post, std::string_view guard);

// guard_rounds
std::string GuardDayPrefix(std::string_view post, std::string_view guard, uint32_t day);
std::string GuardRoundKey(std::string_view post, std::string_view guard, Micros started_at,
                          uint64_t round);
// The start time and round of a guard_rounds key (its last 16 bytes, checked against its
// day), or nullopt if malformed.
std::optional<TimedRound> DecodeGuardRoundKey(std::string_view key);

// Timers.
std::string ScheduleTimerId(std::string_view schedule);
std::optional<std::string> DecodeScheduleTimerId(std::string_view timer_id);

enum class RoundTimer : uint8_t { kStart, kLeg, kEnd };
std::string RoundTimerId(RoundTimer kind, uint64_t round);
struct RoundTimerRef {
  RoundTimer kind = RoundTimer::kStart;
  uint64_t round = 0;
  friend bool operator==(const RoundTimerRef&, const RoundTimerRef&) = default;
};
std::optional<RoundTimerRef> DecodeRoundTimerId(std::string_view timer_id);

}  // namespace picket::patrol::keys
