#include "runtime/event_loop.h"

#include <algorithm>

namespace picket {

EventLoop::EventLoop(const Clock& clock, int max_wait_ms)
    : clock_(clock), max_wait_ms_(max_wait_ms) {}

void EventLoop::AddSocket(zmq::socket_ref socket, Handler on_readable) {
  items_.push_back(zmq::pollitem_t{socket.handle(), 0, ZMQ_POLLIN, 0});
  handlers_.push_back(std::move(on_readable));
}

void EventLoop::RemoveSocket(zmq::socket_ref socket) {
  for (size_t i = 0; i < items_.size(); ++i) {
    if (items_[i].socket == socket.handle()) {
      items_.erase(items_.begin() + static_cast<long>(i));
      handlers_.erase(handlers_.begin() + static_cast<long>(i));
      return;
    }
  }
}

void EventLoop::AddFd(int fd, Handler on_readable) {
  items_.push_back(zmq::pollitem_t{nullptr, fd, ZMQ_POLLIN, 0});
  handlers_.push_back(std::move(on_readable));
}

void EventLoop::RemoveFd(int fd) {
  for (size_t i = 0; i < items_.size(); ++i) {
    if (items_[i].socket == nullptr && items_[i].fd == fd) {
      items_.erase(items_.begin() + static_cast<long>(i));
      handlers_.erase(handlers_.begin() + static_cast<long>(i));
      return;
    }
  }
}

EventLoop::TimerId EventLoop::At(Micros due, Handler fn) {
  TimerId id = next_timer_++;
  timers_[id] = Timer{std::move(fn), 0};
  due_.emplace(due, id);
  return id;
}

EventLoop::TimerId EventLoop::Every(Micros period, Handler fn) {
  TimerId id = next_timer_++;
  timers_[id] = Timer{std::move(fn), std::max<Micros>(period, 1)};
  due_.emplace(clock_.Now() + period, id);
  return id;
}

void EventLoop::CancelTimer(TimerId id) { timers_.erase(id); }

int EventLoop::TimeoutMs(int cap_ms) const {
  if (due_.empty()) return cap_ms;
  Micros wait = due_.begin()->first - clock_.Now();
  if (wait <= 0) return 0;
  // Round up so we never wake before the timer is due and spin.
  Micros ms = (wait + kMicrosPerMilli - 1) / kMicrosPerMilli;
  return static_cast<int>(std::min<Micros>(ms, cap_ms));
}

void EventLoop::FireDueTimers() {
  Micros now = clock_.Now();
  // Collect first: a handler may add or cancel timers.
  std::vector<TimerId> fire;
  while (!due_.empty() && due_.begin()->first <= now) {
    fire.push_back(due_.begin()->second);
    due_.erase(due_.begin());
  }
  for (TimerId id : fire) {
    auto it = timers_.find(id);
    if (it == timers_.end()) continue;  // cancelled
    Handler fn = it->second.fn;
    if (it->second.period > 0) {
      due_.emplace(now + it->second.period, id);
    } else {
      timers_.erase(it);
    }
    fn();
    if (stopped_) return;
  }
}

void EventLoop::RunOnce(int timeout_ms) {
  int wait = TimeoutMs(timeout_ms);
  if (!items_.empty()) {
    zmq::poll(items_.data(), items_.size(), std::chrono::milliseconds(wait));
    // Copy the ready flags: a handler may change items_.
    std::vector<size_t> ready;
    for (size_t i = 0; i < items_.size(); ++i)
      if (items_[i].revents & ZMQ_POLLIN) ready.push_back(i);
    std::vector<Handler> to_run;
    for (size_t i : ready) to_run.push_back(handlers_[i]);
    for (auto& h : to_run) {
      h();
      if (stopped_) return;
    }
  } else if (wait > 0) {
    zmq_poll(nullptr, 0, wait);
  }
  FireDueTimers();
}

void EventLoop::Run() {
  while (!stopped_) RunOnce(max_wait_ms_);
}

}  // namespace picket
