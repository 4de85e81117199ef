#include "latency_histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace picket::bench {

// A value v >= 128 with its highest set bit at position p (p >= 7) is stored by its top
// seven bits m = v >> (p - 6), which lie in [64, 128). With shift = p - 6 >= 1 the bucket is
// 64 * shift + m: octave [128, 256) fills buckets [128, 192), the next [192, 256), and so on,
// continuing the exact buckets [0, 128) without a gap.
size_t LatencyHistogram::BucketOf(uint64_t nanos) {
  if (nanos < kExactBelow) return static_cast<size_t>(nanos);
  const int highest_bit = 63 - std::countl_zero(nanos);
  const int shift = highest_bit - 6;
  return kBucketsPerOctave * shift + static_cast<size_t>(nanos >> shift);
}

uint64_t LatencyHistogram::UpperEdgeOf(size_t bucket) {
  if (bucket < kExactBelow) return bucket;
  const int shift = static_cast<int>(bucket / kBucketsPerOctave) - 1;
  const uint64_t top_bits = bucket % kBucketsPerOctave + kBucketsPerOctave;
  if (shift == 57 && top_bits == 127) return UINT64_MAX;  // the top bucket's edge overflows
  return ((top_bits + 1) << shift) - 1;
}

void LatencyHistogram::Record(uint64_t nanos) {
  ++counts_[BucketOf(nanos)];
  ++count_;
  min_ = std::min(min_, nanos);
  max_ = std::max(max_, nanos);
  sum_ += nanos;
}

void LatencyHistogram::Merge(const LatencyHistogram& other) {
  for (size_t i = 0; i < kBuckets; ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  sum_ += other.sum_;
}

uint64_t LatencyHistogram::ValueAtQuantile(double quantile) const {
  if (count_ == 0) return 0;
  quantile = std::clamp(quantile, 0.0, 1.0);
  const auto rank = std::max<uint64_t>(
      1, static_cast<uint64_t>(std::ceil(quantile * static_cast<double>(count_))));
  uint64_t seen = 0;
  for (size_t i = 0; i < kBuckets; ++i) {
    seen += counts_[i];
    if (seen >= rank) return std::clamp(UpperEdgeOf(i), min(), max_);
  }
  return max_;
}

}  // namespace picket::bench
