// Utc: a UTC wall-clock reading as Micros since the epoch, for tests that name instants
// ("2026-03-29 01:00 UTC") rather than count microseconds. Header-only, no state.
#pragma once

#include <chrono>

#include "base/clock.h"

namespace picket::testing {

inline Micros Utc(int year, int month, int day, int hour, int minute, int second = 0) {
  using namespace std::chrono;
  const sys_days d =
      std::chrono::year{year} / static_cast<unsigned>(month) / static_cast<unsigned>(day);
  const auto t = d + hours{hour} + minutes{minute} + seconds{second};
  return duration_cast<microseconds>(t.time_since_epoch()).count();
}

}  // namespace picket::testing
