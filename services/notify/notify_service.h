// NotifyService: picket-notify's adapter. It wires the pure core (Notifier) to a
// ServiceHost and a pool of HTTP workers:
//
//   escalation.alert_raised ──(exactly-once apply)──► Notifier::OnAlert ──► delivery rows
//   committed in-flight attempt ──Post──► WebhookWorkers (HTTP, off the loop)
//   worker result ──Post──► ApplyLocal("result/<id>/<n>") ──► Notifier::OnResult
//                              (row + one notify.delivery_* event + maybe a timer row)
//   timer row due ──(host, exactly once)──► Notifier::OnTimer ──► attempt in flight
//   escalation.incident_acknowledged / _resolved / _cancelled ──(exactly-once apply)──►
//     Notifier::OnSettled ──► retries of that incident's earlier alerts called off
//   an attempt marked stopped before it was sent (queued for a worker, or found in flight
//     at start) ──► ApplyLocal("calloff/<id>") ──► Notifier::CallOff (delivery_stopped;
//     nothing is sent)
//
// An attempt is handed to a worker only after the apply that put it in flight has
// committed (the dispatch is posted, and re-reads the committed row). At start, every
// delivery found in flight is sent again (its result was never recorded): at-least-once
// towards the receiver, with the same Idempotency-Key. A row marked stopped (its incident
// was settled) is never sent: it is called off instead.
//
// Bad input: an event whose body does not decode is skipped by the host (counted in
// picket_service_events_malformed_total); an alert_raised that names no person is skipped
// (counted); an alert for a person without channels is skipped (counted, logged at most a
// few times a minute). Nothing a bus event carries can stop the service.
//
// Threads: everything runs on the host's loop thread except the workers, which only call
// ServiceHost::Post. Construct after ServiceHost (its constructor blocks the stop
// signals, which the workers' threads must inherit).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "notify/core/notifier.h"
#include "notify/core/notify_config.h"
#include "notify/webhook_workers.h"
#include "runtime/log_limiter.h"
#include "runtime/metrics.h"
#include "runtime/service_host.h"

namespace picket::notify {

class NotifyService {
 public:
  // `host` (opened) and `config` must outlive this. `send` replaces the HTTP client (tests).
  NotifyService(ServiceHost& host, const NotifyConfig& config, uint64_t jitter_seed,
                WebhookWorkers::SendFn send = nullptr);
  ~NotifyService();  // stops the workers
  NotifyService(const NotifyService&) = delete;
  NotifyService& operator=(const NotifyService&) = delete;

  // Sets the host's handlers and queues the deliveries left in flight by a previous run.
  // Call once, before host.Run().
  void Start();
  // Stops the workers (after host.Run returned): running requests finish, queued ones
  // are dropped (still in flight in the store: sent again at the next start).
  void Stop();

 private:
  void OnAlert(ApplyContext& ctx, wire::Event::Reader event, wire::AlertRaised::Reader body);
  void OnSettled(ApplyContext& ctx, const IncidentSettled& settled);
  // Registers the handler of an event type that settles an incident (ack, resolve, cancel).
  template <typename Body>
  void OnSettling(EventType<Body> type, std::string reason);
  void OnTimer(ApplyContext& ctx, const TimerRow& row, Micros now);
  void OnResult(const AttemptResult& result);
  void Dispatch(const std::string& delivery_id);
  // Ends an in-flight delivery marked stopped instead of sending it (Notifier::CallOff).
  void CallOff(const std::string& delivery_id);
  // After the apply that marked it committed: if the delivery's request is still queued
  // for a worker, takes it back and calls the delivery off.
  void Withdraw(const std::string& delivery_id);
  void Carry(const Effects& fx, ApplyContext& ctx);

  ServiceHost& host_;
  const NotifyConfig& config_;
  Notifier notifier_;
  LogLimiter unrouted_log_;
  LogLimiter malformed_log_;
  std::map<std::string, Micros> running_;  // delivery id -> when handed to a worker (this run)

  Counter* alerts_ = nullptr;
  Counter* stopped_ = nullptr;
  Counter* superseded_ = nullptr;
  Counter* unrouted_ = nullptr;
  Counter* malformed_ = nullptr;
  Counter* succeeded_ = nullptr;
  Counter* failed_ = nullptr;
  Counter* given_up_ = nullptr;
  Counter* resent_ = nullptr;
  Gauge* running_gauge_ = nullptr;
  Histogram* attempt_seconds_ = nullptr;

  std::unique_ptr<WebhookWorkers> workers_;  // last: stopped before the rest goes
};

}  // namespace picket::notify
