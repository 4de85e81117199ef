// SteadyTimers: one-shot timers on real (steady_clock) time, run by an EventLoop through
// one timerfd. For deadlines that must pass in real time whatever the service's Clock
// says: the harness drives the loop's own timers with a ManualClock, and a status query
// to the bus must still give up after its timeout there.
//
// Not thread-safe: every call, and every handler, runs on the loop's thread. Handlers may
// add and cancel timers. The loop must not poll after this is destroyed (it removes its fd).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>

#include "runtime/event_loop.h"

namespace picket {

class SteadyTimers {
 public:
  using Id = uint64_t;
  using Steady = std::chrono::steady_clock;

  explicit SteadyTimers(EventLoop& loop);  // throws std::system_error if no timerfd
  ~SteadyTimers();
  SteadyTimers(const SteadyTimers&) = delete;
  SteadyTimers& operator=(const SteadyTimers&) = delete;

  // Runs `fn` once, on the loop, at or after `after` from now. Never 0.
  Id After(Steady::duration after, std::function<void()> fn);
  void Cancel(Id id);  // no-op if it already ran or was cancelled

 private:
  void Arm();
  void OnReadable();

  EventLoop& loop_;
  int fd_ = -1;
  std::multimap<Steady::time_point, Id> due_;
  std::map<Id, std::function<void()>> fns_;
  Id next_ = 1;
};

}  // namespace picket
