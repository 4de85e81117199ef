#include "bus/bus_metrics.h"

#include <string>

#include "wire/event_rules.h"

namespace picket {
namespace {

std::vector<double> BatchSizeBounds() {
  std::vector<double> b;
  for (double v = 1; v <= 65536; v *= 2) b.push_back(v);
  return b;
}

}  // namespace

BusMetrics::BusMetrics(MetricsRegistry& r)
    : events_recorded(
          r.AddCounter("picket_bus_events_recorded_total", "Events appended to the site log")),
      duplicates(r.AddCounter("picket_bus_duplicates_total",
                              "Publishes answered as duplicates of a recorded event")),
      batch_size(
          r.AddHistogram("picket_bus_batch_size", "Publishes per group commit", BatchSizeBounds())),
      write_seconds(r.AddHistogram("picket_bus_write_seconds",
                                   "Latency of one group-commit WriteBatch including fsync",
                                   LatencyBoundsSeconds())),
      head_seq(r.AddGauge("picket_bus_head_seq", "Last recorded sequence number")),
      first_seq(r.AddGauge("picket_bus_first_seq", "Oldest retained sequence number")),
      replay_sessions(r.AddGauge("picket_bus_replay_sessions", "Open replay sessions")),
      replay_events(r.AddCounter("picket_bus_replay_events_total", "Events sent by replay")),
      unroutable_replies(r.AddCounter("picket_bus_unroutable_replies_total",
                                      "Replies dropped because the peer was gone or full")),
      storage_failures(r.AddCounter(
          "picket_bus_storage_failures_total",
          "Group commits or lookups that failed or were refused (full or failing disk)")),
      pruned_events(r.AddCounter("picket_bus_pruned_events_total", "Events deleted by retention")),
      writable(r.AddGauge("picket_bus_writable",
                          "1 while publishes can be recorded, 0 while they are refused")),
      disk_free_bytes(
          r.AddGauge("picket_bus_disk_free_bytes", "Free bytes on the log's disk (last read)")),
      disk_free_inodes(
          r.AddGauge("picket_bus_disk_free_inodes", "Free inodes on the log's disk (last read)")) {
  for (size_t i = 0; i < kErrorCodeCount; ++i) {
    auto code = static_cast<wire::ErrorCode>(i);
    rejected[i] = &r.AddCounter("picket_bus_rejected_total", "Inputs refused, by error code",
                                "code=\"" + std::string(ErrorCodeName(code)) + "\"");
  }
}

void BusMetrics::Rejected(wire::ErrorCode code) {
  auto i = static_cast<size_t>(code);
  if (i < kErrorCodeCount) rejected[i]->Inc();
}

}  // namespace picket
