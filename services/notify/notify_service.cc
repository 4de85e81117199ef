#include "notify/notify_service.h"

#include <spdlog/spdlog.h>

#include "notify/core/delivery_keys.h"
#include "notify/core/webhook_request.h"
#include "notify/webhook_client.h"
#include "notify/wire_convert.h"
#include "runtime/store_keys.h"
#include "wire/event_types.h"

namespace picket::notify {

NotifyService::NotifyService(ServiceHost& host, const NotifyConfig& config, uint64_t jitter_seed,
                             SendFn send)
    : host_(host),
      config_(config),
      notifier_(config, jitter_seed),
      unrouted_log_(5, 60 * kMicrosPerSecond),
      send_(std::move(send)) {
  if (!send_)
    send_ = [&clock = host.clock()](const WebhookRequest& r) { return SendWebhook(r, clock); };
  MetricsRegistry& m = host.metrics();
  alerts_ = &m.AddCounter("picket_notify_alerts_total", "alert_raised events applied");
  unrouted_ = &m.AddCounter("picket_notify_alerts_unrouted_total",
                            "alerts skipped: the person has no channel");
  superseded_ = &m.AddCounter("picket_notify_alerts_superseded_total",
                              "alerts skipped: their incident was settled at a newer version");
  stopped_ = &m.AddCounter("picket_notify_deliveries_stopped_total",
                           "deliveries called off: the incident was settled before they ended");
  succeeded_ = &m.AddCounter("picket_notify_attempts_total", "delivery attempts recorded",
                             "result=\"succeeded\"");
  failed_ = &m.AddCounter("picket_notify_attempts_total", "delivery attempts recorded",
                          "result=\"failed\"");
  given_up_ = &m.AddCounter("picket_notify_deliveries_failed_total",
                            "deliveries that ended without success (no retry left)");
  withheld_ = &m.AddCounter("picket_notify_attempts_withheld_total",
                            "attempts not sent: the check at the bus's head found them stopped");
}

template <typename Body>
void NotifyService::OnSettling(EventType<Body> type, std::string reason) {
  host_.On(type, [this, reason](ApplyContext& ctx, wire::Event::Reader e, typename Body::Reader b) {
    OnSettled(ctx, {b.getIncident(), b.getVersion(), e.getSeq(), reason});
  });
}

void NotifyService::Start() {
  host_.On(event_types::kAlertRaised, &AlertFromWire,
           [this](ApplyContext& ctx, const Alert& alert) { OnAlert(ctx, alert); });
  OnSettling(event_types::kIncidentAcknowledged, "acknowledged");
  OnSettling(event_types::kIncidentResolved, "resolved");
  OnSettling(event_types::kIncidentCancelled, "cancelled");
  host_.SetTimerHandler(
      [this](ApplyContext& ctx, const TimerRow& row, Micros now) { OnTimer(ctx, row, now); });
  JobQueueSpec<AttemptResult> webhooks;
  webhooks.name = std::string(kQueue);
  webhooks.threads = static_cast<size_t>(config_.workers);
  webhooks.run = [this](const Job& job) { return Send(job); };
  webhooks.done = [this](ApplyContext& ctx, const Job&, const AttemptResult& result) {
    OnResult(ctx, result);
    return JobNext::Done();
  };
  webhooks.cancelled = [this](ApplyContext& ctx, const Job& job) {
    StopUnsent(ctx, job.id, false);
  };
  // The supersede check: just before sending, with the log applied up to the bus's head.
  webhooks.wanted = [](Txn& state, const Job& job) {
    auto d = DecodeDelivery(job.payload);
    return !d || Notifier::ShouldSend(job.id, d->attempts, state);  // a bad row: Send fails it
  };
  webhooks.withheld = [this](ApplyContext& ctx, const Job& job) { StopUnsent(ctx, job.id, true); };
  webhooks.fresh_within = config_.head_check_timeout;
  host_.AddJobQueue(std::move(webhooks));
}

void NotifyService::OnSettled(ApplyContext& ctx, const IncidentSettled& settled) {
  Effects fx = notifier_.OnSettled(settled, ctx.state(), host_.clock().Now());
  for (const StopEvent& s : fx.stopped)
    spdlog::info("incident {} was {}: the delivery to {} via {} stops after {} attempt(s)",
                 s.incident, s.reason, s.person, s.channel, s.attempts);
  if (fx.corrupt_rows > 0)
    spdlog::error("{} stored row(s) do not decode (storage damage): skipped", fx.corrupt_rows);
  stopped_->Inc(fx.stopped.size());
  Carry(fx, ctx);
}

void NotifyService::OnAlert(ApplyContext& ctx, const Alert& alert) {
  Micros now = host_.clock().Now();
  alerts_->Inc();
  Effects fx = notifier_.OnAlert(alert, ctx.state(), now);
  if (fx.corrupt_rows > 0)
    spdlog::error("the settled row of incident {} does not decode (storage damage): ignored",
                  alert.incident);
  if (fx.superseded) {
    superseded_->Inc();
    spdlog::info(
        "alert_raised #{} (incident {} version {}) skipped: the incident was "
        "acknowledged, resolved or cancelled at a newer version already",
        alert.seq, alert.incident, alert.version);
  }
  uint64_t suppressed = 0;
  if (fx.unrouted) {
    unrouted_->Inc();
    if (unrouted_log_.Allow(now, &suppressed))
      spdlog::warn(
          "alert_raised #{} for '{}' ({}) skipped: no channel configured for them "
          "({} similar lines suppressed)",
          alert.seq, alert.person, alert.target, suppressed);
  }
  Carry(fx, ctx);
}

void NotifyService::OnTimer(ApplyContext& ctx, const TimerRow& row, Micros now) {
  Effects fx = notifier_.OnTimerRow(row.timer_id, row.payload, row.due, ctx.state(), now);
  if (fx.unknown_timer)
    spdlog::warn("timer row '{}' is not notify's: dropped", keys::Hex(row.timer_id));
  Carry(fx, ctx);
}

void NotifyService::Carry(const Effects& fx, ApplyContext& ctx) {
  for (const AttemptEvent& e : fx.events) ToWire(e, ctx.Emit());
  for (const StopEvent& e : fx.stopped) ToWire(e, ctx.Emit());
  for (const DeliveryTimer& t : fx.set)
    ctx.SetTimer(keys::TimerId(t.delivery_id), t.due, keys::TimerPayload(t.attempt));
  for (const ForgetTimer& t : fx.forget)
    ctx.SetTimer(keys::SettledTimerId(t.incident), t.due, keys::U64(t.version));
  // Sent by the kit once this apply has committed; requests of marked deliveries that no
  // worker has taken are not sent (CallOff).
  for (const std::string& id : fx.dispatch)
    ctx.StartJob(kQueue, id, *ctx.state().Get(keys::kDeliveriesTable, id));
  for (const std::string& id : fx.marked) ctx.CancelJob(kQueue, id);
}

AttemptResult NotifyService::Send(const Job& job) const {
  auto attempt = notifier_.Attempt(job.id, job.payload, host_.site().id, host_.clock().Now());
  if (auto* gone = std::get_if<AttemptResult>(&attempt)) return *gone;  // sent nothing
  return send_(std::get<WebhookRequest>(attempt));
}

void NotifyService::StopUnsent(ApplyContext& ctx, const std::string& delivery_id, bool withheld) {
  Effects fx = notifier_.CallOff(delivery_id, ctx.state(), host_.clock().Now());
  Carry(fx, ctx);
  stopped_->Inc(fx.stopped.size());
  if (withheld) withheld_->Inc(fx.stopped.size());
  for (const StopEvent& s : fx.stopped)
    spdlog::info(
        "incident {} was {} (seq {}) before the delivery to {} via {} was sent{}: not sent",
        s.incident, s.reason, s.cause_seq, s.person, s.channel,
        withheld ? " (checked against the bus's head)" : "");
}

void NotifyService::OnResult(ApplyContext& ctx, const AttemptResult& result) {
  Effects fx = notifier_.OnResult(result, ctx.state(), host_.clock().Now());
  Carry(fx, ctx);
  for (const AttemptEvent& e : fx.events) {
    (e.succeeded ? succeeded_ : failed_)->Inc();
    if (!e.succeeded && !e.will_retry) given_up_->Inc();
    if (e.succeeded)
      spdlog::info("delivered incident {} to {} via {} (attempt {})", e.incident, e.person,
                   e.channel, e.attempt);
    else
      spdlog::warn("delivery of incident {} to {} via {} failed (attempt {}): {}{}", e.incident,
                   e.person, e.channel, e.attempt, e.error, e.will_retry ? "; will retry" : "");
  }
}

}  // namespace picket::notify
