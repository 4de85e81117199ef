#include "runtime/metrics.h"

#include <cmath>
#include <cstdio>
#include <set>
#include <sstream>

namespace picket {
namespace {

std::string FormatDouble(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string WithLabels(const std::string& name, const std::string& labels,
                       const std::string& extra = "") {
  if (labels.empty() && extra.empty()) return name;
  std::string all = labels;
  if (!extra.empty()) all += (all.empty() ? "" : ",") + extra;
  return name + "{" + all + "}";
}

}  // namespace

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      buckets_(std::make_unique<std::atomic<uint64_t>[]>(bounds_.size() + 1)) {}

void Histogram::Observe(double v) {
  size_t i = 0;
  while (i < bounds_.size() && v > bounds_[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  // fetch_add on atomic<double> is C++20.
  sum_.fetch_add(v, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

uint64_t Histogram::CumulativeCount(size_t i) const {
  uint64_t total = 0;
  for (size_t b = 0; b <= i && b <= bounds_.size(); ++b)
    total += buckets_[b].load(std::memory_order_relaxed);
  return total;
}

Counter& MetricsRegistry::AddCounter(const std::string& name, const std::string& help,
                                     const std::string& labels) {
  Counter& c = counters_.emplace_back();
  entries_.push_back(Entry{name, help, labels, "counter", &c, nullptr, nullptr});
  return c;
}

Gauge& MetricsRegistry::AddGauge(const std::string& name, const std::string& help,
                                 const std::string& labels) {
  Gauge& g = gauges_.emplace_back();
  entries_.push_back(Entry{name, help, labels, "gauge", nullptr, &g, nullptr});
  return g;
}

Histogram& MetricsRegistry::AddHistogram(const std::string& name, const std::string& help,
                                         std::vector<double> bounds, const std::string& labels) {
  Histogram& h = histograms_.emplace_back(std::move(bounds));
  entries_.push_back(Entry{name, help, labels, "histogram", nullptr, nullptr, &h});
  return h;
}

std::string MetricsRegistry::Render() const {
  std::ostringstream out;
  std::set<std::string> described;
  for (const Entry& e : entries_) {
    if (described.insert(e.name).second) {
      out << "# HELP " << e.name << " " << e.help << "\n";
      out << "# TYPE " << e.name << " " << e.kind << "\n";
    }
    if (e.counter) {
      out << WithLabels(e.name, e.labels) << " " << e.counter->Value() << "\n";
    } else if (e.gauge) {
      out << WithLabels(e.name, e.labels) << " " << FormatDouble(e.gauge->Value()) << "\n";
    } else if (e.histogram) {
      const Histogram& h = *e.histogram;
      for (size_t i = 0; i <= h.Bounds().size(); ++i) {
        std::string le = i < h.Bounds().size() ? FormatDouble(h.Bounds()[i]) : "+Inf";
        out << WithLabels(e.name + "_bucket", e.labels, "le=\"" + le + "\"") << " "
            << h.CumulativeCount(i) << "\n";
      }
      out << WithLabels(e.name + "_sum", e.labels) << " " << FormatDouble(h.Sum()) << "\n";
      out << WithLabels(e.name + "_count", e.labels) << " " << h.Count() << "\n";
    }
  }
  return out.str();
}

std::vector<double> LatencyBoundsSeconds() {
  return {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
          0.05,    0.1,    0.25,    0.5,    1,     2.5,    5,     10};
}

}  // namespace picket
