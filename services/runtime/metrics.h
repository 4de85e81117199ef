// Prometheus metrics: counters, gauges and histograms, rendered in the text format.
//
// Thread-safety: a Registry is filled at start-up (Add* calls, single-threaded) and then
// read by the HTTP thread while the service loop updates values. Values are atomics, so
// updates and Render may run concurrently; Add* must not run concurrently with Render.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace picket {

class Counter {
 public:
  void Inc(uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

class Gauge {
 public:
  void Set(double v) { value_.store(v, std::memory_order_relaxed); }
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// A histogram with fixed upper bounds (ascending). Observe is lock-free.
class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void Observe(double v);
  const std::vector<double>& Bounds() const { return bounds_; }
  // Cumulative count of observations <= Bounds()[i]; i == Bounds().size() is +Inf.
  uint64_t CumulativeCount(size_t i) const;
  double Sum() const { return sum_.load(std::memory_order_relaxed); }
  uint64_t Count() const { return count_.load(std::memory_order_relaxed); }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // per bucket, not cumulative
  std::atomic<double> sum_{0};
  std::atomic<uint64_t> count_{0};
};

// Owns the metrics of one process. References returned by Add* stay valid for the
// registry's lifetime. `labels` is the inside of the braces, e.g. `code="malformed"`,
// or empty; one name may be added with several label sets (same help and kind).
class MetricsRegistry {
 public:
  Counter& AddCounter(const std::string& name, const std::string& help,
                      const std::string& labels = "");
  Gauge& AddGauge(const std::string& name, const std::string& help, const std::string& labels = "");
  Histogram& AddHistogram(const std::string& name, const std::string& help,
                          std::vector<double> bounds, const std::string& labels = "");

  // The Prometheus text exposition (version 0.0.4) of every metric.
  std::string Render() const;

 private:
  struct Entry {
    std::string name, help, labels, kind;
    Counter* counter = nullptr;
    Gauge* gauge = nullptr;
    Histogram* histogram = nullptr;
  };
  std::deque<Counter> counters_;
  std::deque<Gauge> gauges_;
  std::deque<Histogram> histograms_;
  std::vector<Entry> entries_;
};

// Bounds for latencies in seconds: 50 µs .. 10 s.
std::vector<double> LatencyBoundsSeconds();

}  // namespace picket
