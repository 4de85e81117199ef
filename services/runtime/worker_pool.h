// WorkerPool: a few threads that run blocking work (an HTTP call, a relay at a gate) off
// the service loop, first come first served.
//
// Each task has a key; Withdraw(key) takes a task back if no worker has picked it up yet.
// A task must hand what it produced back to the loop itself (ServiceHost::Post) and must
// not touch loop state.
//
// Threads: Submit, Withdraw, Queued and Stop may be called from any thread. The queue is
// the only shared state, behind one mutex (a condition variable wakes idle workers).
// Stop() drops queued tasks and joins the workers after their current task ends.
// Construct it after ServiceHost: its threads inherit the signal mask the host set.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace picket {

class WorkerPool {
 public:
  using Task = std::function<void()>;

  explicit WorkerPool(size_t threads);
  ~WorkerPool();  // Stop()
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `task` (dropped after Stop).
  void Submit(std::string key, Task task);
  // Removes the queued task of `key` if no worker has picked it up yet; returns whether it
  // did (then it never runs).
  bool Withdraw(std::string_view key);
  // Drops queued tasks and joins the workers once their current task ends.
  void Stop();
  // Tasks queued and not yet picked up.
  size_t Queued();

 private:
  void Work();

  std::mutex mu_;  // guards queue_ and stopping_
  std::condition_variable wake_;
  std::deque<std::pair<std::string, Task>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace picket
