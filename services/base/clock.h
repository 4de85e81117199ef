// Time values and the Clock interface: what a domain core may know about time.
//
// Cores take `now` as a parameter or a `const Clock&`; they never read the system clock.
// The real clock (SystemClock) lives in the runtime, the test clock (ManualClock) in
// picket_testing, and the build's layering check keeps cores from including either.
#pragma once

#include <cstdint>

namespace picket {

// Microseconds since the Unix epoch (UTC). Every time in Picket is one of these.
using Micros = int64_t;

inline constexpr Micros kMicrosPerMilli = 1000;
inline constexpr Micros kMicrosPerSecond = 1000 * 1000;

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock now. Thread-safe.
  virtual Micros Now() const = 0;
};

}  // namespace picket
