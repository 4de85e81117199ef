// When picket-site starts a child again after it exits: exponential backoff with a cap,
// reset once the child has stayed up long enough to count as healthy.
//
// Pure: no clock, no processes. The supervisor tells it when a child started and exited
// (times from its Clock) and is told when to start it again. One RestartPolicy per child.
#pragma once

#include "runtime/clock.h"

namespace picket {

struct RestartPolicyOptions {
  Micros initial_backoff = 250 * kMicrosPerMilli;  // the first wait after a failure
  Micros max_backoff = 10 * kMicrosPerSecond;      // site.restart_backoff_max
  // A child that ran at least this long before exiting is restarted after the initial
  // backoff again: its earlier failures are forgiven.
  Micros stable_after = 10 * kMicrosPerSecond;
};

class RestartPolicy {
 public:
  // initial_backoff is clamped to (0, max_backoff].
  explicit RestartPolicy(RestartPolicyOptions options);

  // The child was started at `now`.
  void OnStarted(Micros now);

  // The child exited at `now`. Returns how long to wait before starting it again:
  // initial_backoff after a run of at least stable_after (or the first exit), otherwise
  // twice the previous wait, at most max_backoff.
  Micros OnExited(Micros now);

  // How long the last run lasted (0 before the first exit).
  Micros last_uptime() const { return last_uptime_; }
  // Exits in a row that came before stable_after (0 after a stable run).
  int consecutive_failures() const { return consecutive_failures_; }

 private:
  RestartPolicyOptions options_;
  Micros started_at_ = 0;
  Micros last_uptime_ = 0;
  Micros next_backoff_;
  int consecutive_failures_ = 0;
};

}  // namespace picket
