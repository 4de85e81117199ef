#include "runtime/steady_timers.h"

#include <sys/timerfd.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>
#include <vector>

namespace picket {

SteadyTimers::SteadyTimers(EventLoop& loop) : loop_(loop) {
  fd_ = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "timerfd_create");
  loop_.AddFd(fd_, [this] { OnReadable(); });
}

SteadyTimers::~SteadyTimers() {
  loop_.RemoveFd(fd_);
  close(fd_);
}

SteadyTimers::Id SteadyTimers::After(Steady::duration after, std::function<void()> fn) {
  Id id = next_++;
  fns_.emplace(id, std::move(fn));
  due_.emplace(Steady::now() + after, id);
  Arm();
  return id;
}

void SteadyTimers::Cancel(Id id) { fns_.erase(id); }

// Sets the timerfd to the earliest due time still wanted (disarms it if there is none).
void SteadyTimers::Arm() {
  while (!due_.empty() && !fns_.count(due_.begin()->second)) due_.erase(due_.begin());
  itimerspec spec{};
  if (!due_.empty()) {
    auto wait =
        std::chrono::duration_cast<std::chrono::nanoseconds>(due_.begin()->first - Steady::now());
    if (wait.count() < 1) wait = std::chrono::nanoseconds(1);  // 0 would disarm
    spec.it_value.tv_sec = static_cast<time_t>(wait.count() / 1'000'000'000);
    spec.it_value.tv_nsec = static_cast<long>(wait.count() % 1'000'000'000);
  }
  timerfd_settime(fd_, 0, &spec, nullptr);
}

void SteadyTimers::OnReadable() {
  uint64_t expirations = 0;
  while (read(fd_, &expirations, sizeof expirations) > 0) {
  }
  // Collect first: a handler may add or cancel timers.
  std::vector<std::function<void()>> ready;
  const auto now = Steady::now();
  while (!due_.empty() && due_.begin()->first <= now) {
    auto it = fns_.find(due_.begin()->second);
    if (it != fns_.end()) {
      ready.push_back(std::move(it->second));
      fns_.erase(it);
    }
    due_.erase(due_.begin());
  }
  Arm();
  for (auto& fn : ready) fn();
}

}  // namespace picket
