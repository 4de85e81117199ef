#include "latency_histogram.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <vector>

namespace picket::bench {
namespace {

TEST_CASE("LatencyHistogram buckets are contiguous and edges round-trip") {
  for (size_t b = 0; b + 1 < LatencyHistogram::kBuckets; ++b) {
    const uint64_t edge = LatencyHistogram::UpperEdgeOf(b);
    REQUIRE(LatencyHistogram::BucketOf(edge) == b);
    REQUIRE(LatencyHistogram::BucketOf(edge + 1) == b + 1);
  }
  REQUIRE(LatencyHistogram::BucketOf(UINT64_MAX) == LatencyHistogram::kBuckets - 1);
  REQUIRE(LatencyHistogram::UpperEdgeOf(LatencyHistogram::kBuckets - 1) == UINT64_MAX);
}

TEST_CASE("LatencyHistogram counts small values exactly") {
  LatencyHistogram h;
  for (uint64_t v = 1; v <= 100; ++v) h.Record(v);
  REQUIRE(h.count() == 100);
  REQUIRE(h.min() == 1);
  REQUIRE(h.max() == 100);
  REQUIRE(h.ValueAtQuantile(0.5) == 50);
  REQUIRE(h.ValueAtQuantile(0.99) == 99);
  REQUIRE(h.ValueAtQuantile(1.0) == 100);
  REQUIRE(h.mean() == Approx(50.5));
}

TEST_CASE("LatencyHistogram quantiles are within 1/64 of the exact ones") {
  std::mt19937_64 rng(7);
  std::lognormal_distribution<double> dist(12.0, 1.5);  // around 160 us, long tail
  std::vector<uint64_t> values;
  LatencyHistogram a, b;
  for (int i = 0; i < 200000; ++i) {
    const auto v = static_cast<uint64_t>(dist(rng));
    values.push_back(v);
    (i % 2 ? a : b).Record(v);
  }
  a.Merge(b);
  std::sort(values.begin(), values.end());
  REQUIRE(a.count() == values.size());
  REQUIRE(a.max() == values.back());
  for (double q : {0.5, 0.9, 0.99, 0.999}) {
    const uint64_t exact = values[static_cast<size_t>(q * values.size()) - 1];
    const uint64_t got = a.ValueAtQuantile(q);
    REQUIRE(got >= exact);
    REQUIRE(static_cast<double>(got) <= static_cast<double>(exact) * (1.0 + 1.0 / 64) + 1);
  }
}

TEST_CASE("An empty LatencyHistogram reports zeros") {
  LatencyHistogram h;
  REQUIRE(h.ValueAtQuantile(0.99) == 0);
  REQUIRE(h.min() == 0);
  REQUIRE(h.max() == 0);
}

}  // namespace
}  // namespace picket::bench
