// The bus's Prometheus metrics, registered once and updated by the loop thread. The HTTP
// thread reads them (atomics), and `storage_ok` for /healthz.
#pragma once

#include <array>
#include <atomic>

#include "picket/schemas/bus.capnp.h"
#include "runtime/metrics.h"

namespace picket {

inline constexpr size_t kErrorCodeCount = 12;  // ErrorCode none..unknownType

struct BusMetrics {
  // `registry` must outlive this.
  explicit BusMetrics(MetricsRegistry& registry);

  // Counts one refused input (a nack) with `code`.
  void Rejected(wire::ErrorCode code);

  Counter& events_recorded;
  Counter& duplicates;
  std::array<Counter*, kErrorCodeCount> rejected{};  // by ErrorCode value
  Histogram& batch_size;                             // publishes per group commit
  Histogram& write_seconds;                          // the WriteBatch (+ fsync) of one group commit
  Gauge& head_seq;
  Gauge& first_seq;
  Gauge& replay_sessions;
  Counter& replay_events;
  Counter& unroutable_replies;  // replies dropped: peer gone or its queue full
  Counter& storage_failures;
  Counter& pruned_events;
  // False after a failed write, true again after the next good one. Read by /healthz.
  std::atomic<bool> storage_ok{true};
};

}  // namespace picket
