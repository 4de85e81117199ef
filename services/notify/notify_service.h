// NotifyService: picket-notify's adapter. It wires the pure core (Notifier) to a
// ServiceHost (the flow, the guarantees and the metrics are in docs/notify.md):
//   - alert_raised ─► Notifier::OnAlert: delivery rows, and each attempt a durable job of
//     queue "webhook" (payload: the row), sent by the kit's workers after the commit, with
//     the same Idempotency-Key on every run; its result ─► Notifier::OnResult;
//   - a delivery's timer row (its next retry) ─► Notifier::OnTimer;
//   - incident_acknowledged / _resolved / _cancelled ─► Notifier::OnSettled: retries called
//     off, attempts not yet sent cancelled (StopUnsent);
//   - the kit's still-wanted check before each attempt (`wanted`, at the bus's head) ─►
//     Notifier::ShouldSend; a stopped delivery is withheld (StopUnsent).
// Bad input (an alert that does not decode or that AlertFromWire refuses) is skipped and
// counted by the host; an alert for a person without channels is skipped and counted here.
// Threads: all on the host's loop, but for `send` (the kit's workers).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "notify/core/notifier.h"
#include "notify/core/notify_config.h"
#include "notify/core/webhook_request.h"
#include "runtime/log_limiter.h"
#include "runtime/metrics.h"
#include "runtime/service_host.h"

namespace picket::notify {

class NotifyService {
 public:
  // Sends one request (on a worker thread); SendWebhook unless a test replaces it.
  using SendFn = std::function<AttemptResult(const WebhookRequest&)>;
  static constexpr std::string_view kQueue = "webhook";  // the jobs' queue: DO NOT CHANGE

  // `host` (opened, not started) and `config` must outlive this. `send` replaces the HTTP
  // client (tests).
  NotifyService(ServiceHost& host, const NotifyConfig& config, uint64_t jitter_seed,
                SendFn send = nullptr);
  NotifyService(const NotifyService&) = delete;
  NotifyService& operator=(const NotifyService&) = delete;

  // Sets the host's handlers and the webhook queue. Call once, before host.Run().
  void Start();

 private:
  void OnAlert(ApplyContext& ctx, const Alert& alert);
  void OnSettled(ApplyContext& ctx, const IncidentSettled& settled);
  // Registers the handler of an event type that settles an incident (ack, resolve, cancel).
  template <typename Body>
  void OnSettling(EventType<Body> type, std::string reason);
  void OnTimer(ApplyContext& ctx, const TimerRow& row, Micros now);
  // On a worker: the attempt of the delivery row `job.payload`, sent now.
  AttemptResult Send(const Job& job) const;
  void OnResult(ApplyContext& ctx, const AttemptResult& result);
  // A job cancelled before a worker took it, or `withheld` by the supersede check
  // (Notifier::ShouldSend said no): its delivery is called off, nothing is sent.
  void StopUnsent(ApplyContext& ctx, const std::string& delivery_id, bool withheld);
  void Carry(const Effects& fx, ApplyContext& ctx);

  ServiceHost& host_;
  const NotifyConfig& config_;
  Notifier notifier_;
  LogLimiter unrouted_log_;
  SendFn send_;

  Counter* alerts_ = nullptr;
  Counter* stopped_ = nullptr;
  Counter* superseded_ = nullptr;
  Counter* unrouted_ = nullptr;
  Counter* succeeded_ = nullptr;
  Counter* failed_ = nullptr;
  Counter* given_up_ = nullptr;
  Counter* withheld_ = nullptr;
};

}  // namespace picket::notify
