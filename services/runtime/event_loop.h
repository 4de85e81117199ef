// The single-threaded loop every service runs: ZeroMQ sockets, plain file descriptors
// (signals, pipes) and timers on an injected Clock, all driven by zmq::poll.
//
// Not thread-safe: every call, and every handler, runs on the loop's thread. Handlers may
// add and cancel timers and call Stop(); they must not add or remove sockets while Run() is
// polling (do that before Run or from a timer/handler, which takes effect next iteration).
#pragma once

#include <zmq.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <vector>

#include "runtime/clock.h"

namespace picket {

class EventLoop {
 public:
  using Handler = std::function<void()>;
  using TimerId = uint64_t;

  // `clock` must outlive the loop. Timers fire when clock.Now() >= due; with a
  // ManualClock the loop waits at most `max_wait_ms` between checks.
  explicit EventLoop(const Clock& clock, int max_wait_ms = 1000);

  // Calls `on_readable` whenever `socket` has a message (ZMQ_POLLIN). The handler should
  // drain what it can without blocking. `socket` must outlive the loop (or be removed).
  void AddSocket(zmq::socket_ref socket, Handler on_readable);
  void RemoveSocket(zmq::socket_ref socket);
  // Same for a file descriptor.
  void AddFd(int fd, Handler on_readable);
  void RemoveFd(int fd);

  // Runs `fn` once at or after `due` (Clock time). Returns an id for CancelTimer.
  TimerId At(Micros due, Handler fn);
  TimerId After(Micros delay, Handler fn) { return At(clock_.Now() + delay, std::move(fn)); }
  // Runs `fn` every `period`, first after one period. Cancel with CancelTimer(id).
  TimerId Every(Micros period, Handler fn);
  void CancelTimer(TimerId id);  // no-op if it already fired or was cancelled

  // Polls and dispatches until Stop() is called.
  void Run();
  // Runs one poll (waiting at most `timeout_ms`, or until the next timer) and dispatches.
  void RunOnce(int timeout_ms);
  void Stop() { stopped_ = true; }
  bool Stopped() const { return stopped_; }

  const Clock& clock() const { return clock_; }

 private:
  struct Timer {
    Handler fn;
    Micros period = 0;  // 0 = one-shot
  };
  void FireDueTimers();
  int TimeoutMs(int cap_ms) const;

  const Clock& clock_;
  int max_wait_ms_;
  bool stopped_ = false;
  std::vector<zmq::pollitem_t> items_;
  std::vector<Handler> handlers_;
  std::multimap<Micros, TimerId> due_;  // due time -> timer
  std::map<TimerId, Timer> timers_;
  TimerId next_timer_ = 1;
};

}  // namespace picket
