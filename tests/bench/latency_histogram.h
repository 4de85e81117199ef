// LatencyHistogram: a fixed-size log-linear histogram of durations in nanoseconds, in the
// style of HdrHistogram. Values below 128 ns are counted exactly; above, each power of two
// is split into 64 buckets, so a reported quantile is within 1/64 (1.6 %) of the true value
// (it reports the bucket's upper edge, clamped to the largest value seen). Recording is O(1)
// and allocation-free, which keeps the benchmark client's own overhead low.
//
// Not thread-safe: one writer at a time; merge per-thread histograms at the end.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace picket::bench {

class LatencyHistogram {
 public:
  // Counts one value (nanoseconds). Any uint64_t is accepted.
  void Record(uint64_t nanos);

  // Adds every value counted by `other`.
  void Merge(const LatencyHistogram& other);

  // The smallest recorded value v such that at least `quantile` (in [0, 1]) of all values
  // are <= v, to the bucket precision above. Returns 0 when nothing was recorded.
  uint64_t ValueAtQuantile(double quantile) const;

  uint64_t count() const { return count_; }
  uint64_t min() const { return count_ == 0 ? 0 : min_; }  // exact
  uint64_t max() const { return max_; }                    // exact
  double mean() const { return count_ == 0 ? 0.0 : static_cast<double>(sum_) / count_; }

  // Bucket arithmetic, exposed for tests.
  static size_t BucketOf(uint64_t nanos);
  static uint64_t UpperEdgeOf(size_t bucket);  // the largest value that maps to `bucket`

  static constexpr size_t kExactBelow = 128;
  static constexpr size_t kBucketsPerOctave = 64;
  // 128 exact buckets, then 64 per octave for octaves 2^7 .. 2^63.
  static constexpr size_t kBuckets = kExactBelow + kBucketsPerOctave * (64 - 7);

 private:
  std::array<uint64_t, kBuckets> counts_{};
  uint64_t count_ = 0;
  uint64_t min_ = UINT64_MAX;
  uint64_t max_ = 0;
  unsigned __int128 sum_ = 0;
};

}  // namespace picket::bench
