// A clock that moves only when told: for tests (picket_testing).
#pragma once

#include <atomic>

#include "base/clock.h"

namespace picket {

// Thread-safe (the time is atomic).
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
