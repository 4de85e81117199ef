// The bus's Prometheus metrics, registered once and updated by the loop thread. The HTTP
// thread reads them (atomics), and `storage_ok` for /healthz.
#pragma once

#include <array>
#include <atomic>

#include "picket/schemas/bus.capnp.h"
#include "runtime/clock.h"
#include "runtime/metrics.h"

namespace picket {

inline constexpr size_t kErrorCodeCount = 13;  // ErrorCode none..badText

// Each endpoint logs at most this many refusals per window (docs/operations.md), then one
// line with the count of the rest; picket_bus_rejected_total counts every one.
inline constexpr int kLoggedRefusalsPerWindow = 20;
inline constexpr Micros kRefusalLogWindow = 10 * kMicrosPerSecond;

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
  Counter& storage_failures;    // group commits not written: a failed write or low space
  Counter& pruned_events;
  Gauge& writable;         // 1 while publishes can be recorded, 0 while they are refused
  Gauge& disk_free_bytes;  // free space on the log's disk, as last read
  Gauge& disk_free_inodes;
  // False after a failed write, true again after the next good one or once the store has
  // recovered. Read by /healthz.
  std::atomic<bool> storage_ok{true};
};

}  // namespace picket
