#include "runtime/metrics.h"

#include <catch2/catch.hpp>

namespace picket {

TEST_CASE("Metrics render in the Prometheus text format", "[metrics]") {
  MetricsRegistry r;
  Counter& ok = r.AddCounter("picket_x_total", "Things.", "code=\"ok\"");
  Counter& bad = r.AddCounter("picket_x_total", "Things.", "code=\"bad\"");
  Gauge& g = r.AddGauge("picket_head", "Head.");
  Histogram& h = r.AddHistogram("picket_lat_seconds", "Latency.", {0.001, 0.01});
  ok.Inc(3);
  bad.Inc();
  g.Set(42);
  h.Observe(0.0005);
  h.Observe(0.005);
  h.Observe(5);
  std::string text = r.Render();
  CHECK(text.find("# TYPE picket_x_total counter\npicket_x_total{code=\"ok\"} 3\n"
                  "picket_x_total{code=\"bad\"} 1\n") != std::string::npos);
  CHECK(text.find("picket_head 42\n") != std::string::npos);
  CHECK(text.find("picket_lat_seconds_bucket{le=\"0.001\"} 1\n") != std::string::npos);
  CHECK(text.find("picket_lat_seconds_bucket{le=\"0.01\"} 2\n") != std::string::npos);
  CHECK(text.find("picket_lat_seconds_bucket{le=\"+Inf\"} 3\n") != std::string::npos);
  CHECK(text.find("picket_lat_seconds_count 3\n") != std::string::npos);
}

}  // namespace picket
