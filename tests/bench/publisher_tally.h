// The schedule every benchmark publisher follows and the tally it keeps, shared by all
// targets so that "in flight", "measured window" and "throughput" mean the same thing for
// picket-bus, Redis and NATS.
//
// A publisher keeps at most `in_flight` events sent but not yet answered. It stops sending
// when its quota is used up (--events) or at `stop_sending` (--seconds), then waits for the
// answers still outstanding. Only answers that arrive inside the measured window
// [measure_from, stop_sending] count towards throughput and latency; the warm-up before it
// and the drain after it do not.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "latency_histogram.h"

namespace picket::bench {

using Nanos = int64_t;  // steady-clock nanoseconds

// Now on the steady clock, in nanoseconds. Thread-safe.
inline Nanos SteadyNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

struct RunSchedule {
  Nanos measure_from = 0;                // end of warm-up
  Nanos stop_sending = INT64_MAX;        // no sends after this (INT64_MAX: count mode)
  uint64_t quota = 0;                    // events this publisher may send; 0 = no limit
  int in_flight = 1;                     // most events outstanding at once (>= 1)
  Nanos drain_timeout = 10'000'000'000;  // how long to wait for the last answers
};

// What one publisher saw. Not thread-safe: the owner serializes access (a publisher whose
// answers arrive on another thread guards it with its own mutex).
class PublisherTally {
 public:
  explicit PublisherTally(const RunSchedule& schedule) : schedule_(schedule) {}

  // True if one more event may be sent now with `outstanding` unanswered.
  bool MaySend(Nanos now, int outstanding) const {
    return outstanding < schedule_.in_flight && !DoneSending(now);
  }
  // True once no more events will be sent (quota used or time over).
  bool DoneSending(Nanos now) const {
    return (schedule_.quota != 0 && sent_ >= schedule_.quota) || now >= schedule_.stop_sending;
  }

  void OnSent() { ++sent_; }
  // A positive answer (ack) at `acked_at` for an event sent at `sent_at`.
  void OnAcked(Nanos sent_at, Nanos acked_at);
  // A negative answer or a transport error for one event; keeps the first reason.
  void OnFailed(const std::string& reason);
  // A failure of the whole publisher (cannot connect, timed out draining, ...).
  void OnBroken(const std::string& reason);

  const RunSchedule& schedule() const { return schedule_; }
  const LatencyHistogram& latency() const { return latency_; }
  uint64_t sent() const { return sent_; }
  uint64_t acked() const { return acked_; }
  uint64_t measured() const { return measured_; }  // acks inside the measured window
  uint64_t failed() const { return failed_; }
  Nanos last_ack() const { return last_ack_; }
  bool broken() const { return broken_; }
  const std::string& first_error() const { return first_error_; }

 private:
  RunSchedule schedule_;
  LatencyHistogram latency_;
  uint64_t sent_ = 0, acked_ = 0, measured_ = 0, failed_ = 0;
  Nanos last_ack_ = 0;
  bool broken_ = false;
  std::string first_error_;
};

}  // namespace picket::bench
