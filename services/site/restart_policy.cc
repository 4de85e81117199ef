#include "site/restart_policy.h"

#include <algorithm>

namespace picket {

RestartPolicy::RestartPolicy(RestartPolicyOptions options) : options_(options) {
  options_.max_backoff = std::max<Micros>(options_.max_backoff, 1);
  options_.initial_backoff = std::clamp<Micros>(options_.initial_backoff, 1, options_.max_backoff);
  next_backoff_ = options_.initial_backoff;
}

void RestartPolicy::OnStarted(Micros now) { started_at_ = now; }

Micros RestartPolicy::OnExited(Micros now) {
  last_uptime_ = std::max<Micros>(now - started_at_, 0);
  if (last_uptime_ >= options_.stable_after) {
    consecutive_failures_ = 0;
    next_backoff_ = options_.initial_backoff;
  }
  ++consecutive_failures_;
  Micros wait = next_backoff_;
  // Doubling saturates at the cap (and cannot overflow: the cap is at most an hour).
  next_backoff_ = std::min(next_backoff_ * 2, options_.max_backoff);
  return wait;
}

}  // namespace picket
