// The wait before the next attempt of a delivery: exponential backoff with jitter.
//
// After failed attempt n (1-based) the base wait is min(max_backoff, initial_backoff *
// 2^(n-1)) and the wait is base/2 + j, with j in [0, base/2] ("equal jitter": never less
// than half the base, so a receiver is not hammered; spread, so many deliveries that
// failed together do not retry together). j is drawn from a seeded source that is a pure
// function of (seed, delivery id, n): the same inputs give the same wait, in tests and
// across a restart of the service.
#pragma once

#include <cstdint>
#include <string_view>

#include "notify/core/notify_config.h"

namespace picket::notify {

// The base wait after failed attempt `attempt` (>= 1), before jitter.
Micros BaseBackoff(const RetryPolicy& policy, uint32_t attempt);

// The wait after failed attempt `attempt` of `delivery_id`, in [base/2, base].
Micros RetryDelay(const RetryPolicy& policy, uint64_t seed, std::string_view delivery_id,
                  uint32_t attempt);

}  // namespace picket::notify
