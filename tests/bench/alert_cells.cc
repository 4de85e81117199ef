#include "alert_cells.h"

namespace picket::bench {

void RecordMicros(LatencyHistogram& h, int64_t micros) {
  h.Record(micros > 0 ? static_cast<uint64_t>(micros) * 1000 : 0);
}

void PutQuantiles(nlohmann::json& out, const std::string& prefix, const LatencyHistogram& h) {
  auto us = [](uint64_t nanos) { return static_cast<double>(nanos) / 1000.0; };
  out[prefix + "_count"] = h.count();
  out[prefix + "_p50_us"] = us(h.ValueAtQuantile(0.5));
  out[prefix + "_p99_us"] = us(h.ValueAtQuantile(0.99));
  out[prefix + "_max_us"] = us(h.max());
  out[prefix + "_mean_us"] = h.mean() / 1000.0;
}

}  // namespace picket::bench
