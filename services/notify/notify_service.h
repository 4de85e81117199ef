// NotifyService: picket-notify's adapter. It wires the pure core (Notifier) to a
// ServiceHost; each attempt is one of the kit's durable jobs (runtime/job_runner.h):
//
//   escalation.alert_raised ──(exactly-once apply)──► Notifier::OnAlert ──► delivery rows,
//     and a job "webhook"/<delivery id> per attempt put in flight (payload: the row)
//   the apply commits ──► a kit worker builds, signs and sends the request (off the loop)
//   its result ──(one apply)──► Notifier::OnResult
//                              (row + one notify.delivery_* event + maybe a timer row)
//   timer row due ──(host, exactly once)──► Notifier::OnTimer ──► attempt in flight (a job)
//   escalation.incident_acknowledged / _resolved / _cancelled ──(exactly-once apply)──►
//     Notifier::OnSettled ──► retries of that incident's earlier alerts called off; the
//     jobs of attempts in flight are cancelled: one a worker has not taken is never sent
//     (Notifier::CallOff: delivery_stopped), one being sent has its result recorded
//   the supersede check, on the worker just before each send (the kit's `wanted`): the
//     bus's head is read, the loop applies the log up to it, Notifier::ShouldSend judges
//     the delivery there; a stopped one is not sent (Withhold: delivery_stopped)
//
// The kit runs a job only after the apply that put the attempt in flight has committed,
// and at start runs again every job whose result was never recorded: at-least-once towards
// the receiver, with the same Idempotency-Key. Retries of failed attempts are the core's
// (timer rows: each failure is a delivery_failed event with its nextAttemptAt), not the
// kit's backoff.
//
// Bad input: an event whose body does not decode, or an alert_raised AlertFromWire refuses
// (no person, over-long text), is skipped by the host (picket_service_events_malformed_total);
// an alert for a person without channels is skipped (counted, logged at most a few times a
// minute). Nothing a bus event carries can stop the service.
//
// Threads: everything runs on the host's loop thread except the webhook sends (`send` and
// the request it gets), on the kit's workers.
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
