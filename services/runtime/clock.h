// Time as an interface: cores and loops take a Clock so tests can move time by hand.
#pragma once

#include <atomic>
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

// The system's real-time clock.
class SystemClock final : public Clock {
 public:
  Micros Now() const override;
};

// A clock that moves only when told. Thread-safe (the time is atomic).
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Micros start) : now_(start) {}
  Micros Now() const override { return now_.load(); }
  void Set(Micros t) { now_.store(t); }
  void Advance(Micros d) { now_.fetch_add(d); }

 private:
  std::atomic<Micros> now_;
};

}  // namespace picket
