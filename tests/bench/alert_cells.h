// The cells of the alert-latency benchmark (scripts/bench-alerts, docs/benchmarks.md). Each
// runs against services the script has started and returns one JSON object: what was
// measured, the counts, and whether every input got exactly one answer.
//
// All times are CLOCK_REALTIME µs on this machine (WallMicros), the clock picket-bus stamps
// recordedAt with, so the client's stamps and the bus's can be subtracted.
#pragma once

#include <zmq.hpp>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "latency_histogram.h"
#include "webhook_receiver.h"

namespace picket::bench {

struct PicketBus {
  std::string ingest, replay;  // endpoints from the bus's ready file
  std::string site;            // the site id events must carry
};

// Paced, open-loop load: report (or alert) i is sent at start + i / rate, whatever the
// answers do, unless `max_in_flight` are unanswered (then it waits and says so in the
// result as "max_send_lag_us").
struct LoadOptions {
  double rate = 100;           // per second
  double seconds = 10;         // sending time; rate * seconds inputs in all
  int warmup = 3;              // inputs sent one at a time before, waited for, not counted
  size_t max_in_flight = 500;  // below the bus ROUTER's HWM (1000)
  double drain_timeout = 30;   // seconds without a new webhook after which waiting stops
  std::string label;
};

// (a) picket end to end. Publishes shift.started (person "ann", role duty_officer), then
// terminal.incident_reported events with distinct posts (one incident each), and times
// each report: publish -> report recorded -> alert_raised recorded -> webhook received.
// picket-notify must deliver ann's alerts to `receiver`.
nlohmann::json RunPicketEndToEnd(zmq::context_t& ctx, const PicketBus& bus,
                                 const WebhookReceiver& receiver, const LoadOptions& load);

struct StepOptions {
  uint64_t incidents = 100000;
  int64_t wait_seconds = 60;  // the level's wait the site.toml sets (for due-time checks)
  size_t max_in_flight = 500;
  double fire_timeout = 60;  // seconds after the last step is due to stop waiting
  double timeout = 900;      // seconds for the whole cell
  std::string label;
};

// (b) escalation-step precision. Opens `incidents` incidents as fast as the bus acks them,
// waits until every level-1 step has fired (an incident_escalated event per incident), or
// until fire_timeout after the last was due (then counts the steps not fired yet), and
// reports how late: the events' own `lateness` and, by the bus's clock, the escalated
// event's recordedAt minus the alert's respondBy (the due time).
nlohmann::json RunStepPrecision(zmq::context_t& ctx, const PicketBus& bus,
                                const StepOptions& options);

// (c) the peer: one alert per POST to Alertmanager's /api/v2/alerts (`base_url`, e.g.
// http://127.0.0.1:9093), every alert with a distinct label so it is its own group,
// timed from the POST to the webhook `receiver` gets. `senders` threads share the paced
// schedule (an HTTP POST is synchronous).
nlohmann::json RunAlertmanager(const std::string& base_url, const WebhookReceiver& receiver,
                               const LoadOptions& load, int senders);

// p50/p99/max/mean/count of `h` (recorded in ns) as "<prefix>_p50_us", ... keys of `out`.
void PutQuantiles(nlohmann::json& out, const std::string& prefix, const LatencyHistogram& h);

// Records a duration in µs (negative ones count as 0: the clocks are the same, so only a
// clock step could make one).
void RecordMicros(LatencyHistogram& h, int64_t micros);

}  // namespace picket::bench
