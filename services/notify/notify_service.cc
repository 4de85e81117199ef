#include "notify/notify_service.h"

#include <spdlog/spdlog.h>

#include "notify/core/delivery_keys.h"
#include "notify/core/webhook_request.h"
#include "notify/webhook_client.h"
#include "picket/schemas/escalation.capnp.h"
#include "picket/schemas/notify.capnp.h"
#include "runtime/store_keys.h"
#include "wire/event_id.h"
#include "wire/event_types.h"
#include "wire/text_check.h"

namespace picket::notify {
namespace {

constexpr size_t kMaxTextBytes = 256;
constexpr size_t kMaxNoteBytes = 2000;  // escalation keeps no longer a note

// The severity's name as in the schema ("high"), or "" for one this build does not know
// (an alert raised before alerts carried it says `unknown`).
std::string SeverityName(wire::Severity s) {
  switch (s) {
    case wire::Severity::LOW:
      return "low";
    case wire::Severity::MEDIUM:
      return "medium";
    case wire::Severity::HIGH:
      return "high";
    case wire::Severity::CRITICAL:
      return "critical";
    default:
      return "";
  }
}

// The alert `event` carries, or nullopt (with *why) if it is unusable. The host has
// checked that the body decodes.
std::optional<Alert> ToAlert(wire::Event::Reader event, wire::AlertRaised::Reader body,
                             std::string* why) {
  Alert a;
  auto id = event.getId();
  a.event_id.assign(reinterpret_cast<const char*>(id.begin()), id.size());
  a.seq = event.getSeq();
  a.recorded_at = event.getRecordedAt();
  a.incident = body.getIncident();
  a.version = body.getVersion();
  a.person = body.getPerson();
  a.level = body.getLevel();
  a.pass = body.getPass();
  a.fallback = body.getFallback();
  a.target = body.getTarget();
  a.reason = body.getReason();
  a.lateness = body.getLateness();
  a.respond_by = body.getRespondBy();
  // What happened: shown by the pager, never a reason to drop the alert (cut if long).
  a.incident_type = TruncateUtf8(body.getIncidentType().cStr(), kMaxTextBytes);
  a.post = TruncateUtf8(body.getPost().cStr(), kMaxTextBytes);
  a.severity = SeverityName(body.getSeverity());
  a.note = TruncateUtf8(body.getNote().cStr(), kMaxNoteBytes);
  if (a.event_id.size() != 16 || a.person.empty() || a.person.size() > kMaxTextBytes ||
      a.target.size() > kMaxTextBytes || a.reason.size() > kMaxTextBytes) {
    *why = "bad id, empty person or text too long";
    return std::nullopt;
  }
  return a;
}

// Emits a notify.delivery_* event of `type` observed `at`, with a `Body` (DeliveryAttempt
// or DeliveryStopped: they share the first fields, same names) holding `f`; returns the
// body for the rest.
template <typename Body>
typename Body::Builder EmitDeliveryEvent(ApplyContext& ctx, std::string_view type, Micros at,
                                         const DeliveryFields& f) {
  auto ev = ctx.Emit();
  ev.setType(std::string(type));
  ev.setObservedAt(at);
  auto b = ev.getBody().initAs<Body>();
  b.setIncident(f.incident);
  b.setPerson(f.person);
  b.setChannel(f.channel);
  b.setAlertSeq(f.alert_seq);
  b.setIdempotencyKey(f.idempotency_key);
  return b;
}

}  // namespace

NotifyService::NotifyService(ServiceHost& host, const NotifyConfig& config, uint64_t jitter_seed,
                             SendFn send)
    : host_(host),
      config_(config),
      notifier_(config, jitter_seed),
      unrouted_log_(5, 60 * kMicrosPerSecond),
      malformed_log_(5, 60 * kMicrosPerSecond),
      send_(std::move(send)) {
  if (!send_)
    send_ = [&clock = host.clock()](const WebhookRequest& r) { return SendWebhook(r, clock); };
  MetricsRegistry& m = host.metrics();
  alerts_ = &m.AddCounter("picket_notify_alerts_total", "alert_raised events applied");
  unrouted_ = &m.AddCounter("picket_notify_alerts_unrouted_total",
                            "alerts skipped: the person has no channel");
  malformed_ = &m.AddCounter("picket_notify_alerts_malformed_total",
                             "alert_raised events skipped: no person, a bad id or over-long "
                             "text (bodies that do not decode: "
                             "picket_service_events_malformed_total)");
  superseded_ = &m.AddCounter("picket_notify_alerts_superseded_total",
                              "alerts skipped: their incident was settled at a newer version "
                              "(the events reached the bus out of order)");
  stopped_ = &m.AddCounter("picket_notify_deliveries_stopped_total",
                           "deliveries called off (a retry waiting, or an attempt not sent "
                           "yet): the incident was acknowledged, resolved or cancelled");
  succeeded_ = &m.AddCounter("picket_notify_attempts_total", "delivery attempts recorded",
                             "result=\"succeeded\"");
  failed_ = &m.AddCounter("picket_notify_attempts_total", "delivery attempts recorded",
                          "result=\"failed\"");
  given_up_ = &m.AddCounter("picket_notify_deliveries_failed_total",
                            "deliveries that ended without success (no retry left)");
  withheld_ = &m.AddCounter("picket_notify_attempts_withheld_total",
                            "attempts not sent: checked just before sending, with the log "
                            "applied up to the bus's head, the incident had been acknowledged, "
                            "resolved or cancelled at a newer version");
}

template <typename Body>
void NotifyService::OnSettling(EventType<Body> type, std::string reason) {
  host_.On(type, [this, reason](ApplyContext& ctx, wire::Event::Reader e, typename Body::Reader b) {
    OnSettled(ctx, {b.getIncident(), b.getVersion(), e.getSeq(), reason});
  });
}

void NotifyService::Start() {
  host_.On(event_types::kAlertRaised, [this](ApplyContext& ctx, wire::Event::Reader e,
                                             wire::AlertRaised::Reader b) { OnAlert(ctx, e, b); });
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
  webhooks.cancelled = [this](ApplyContext& ctx, const Job& job) { CallOff(ctx, job.id); };
  // The supersede check: just before sending, with the log applied up to the bus's head.
  webhooks.wanted = [](Txn& state, const Job& job) {
    auto d = DecodeDelivery(job.payload);
    return !d || Notifier::ShouldSend(job.id, d->attempts, state);  // a bad row: Send fails it
  };
  webhooks.withheld = [this](ApplyContext& ctx, const Job& job) { Withhold(ctx, job.id); };
  webhooks.fresh_within = config_.head_check_timeout;
  host_.AddJobQueue(std::move(webhooks));
  AdoptInFlight();
}

void NotifyService::AdoptInFlight() {
  std::vector<std::string> orphans;
  host_.store().Scan(keys::kDeliveriesTable, "", [&](std::string_view key, std::string_view v) {
    auto d = DecodeDelivery(v);
    if (d && d->state == DeliveryState::kInFlight &&
        !host_.store().GetJob(store_keys::EncodeJobKey(kQueue, key)))
      orphans.emplace_back(key);
    return true;
  });
  for (const std::string& id : orphans) {
    std::string error;
    auto applied = host_.ApplyLocal(
        "adopt/" + keys::Hex(id),
        [&](ApplyContext& ctx) {
          std::string row = *ctx.state().Get(keys::kDeliveriesTable, id);
          ctx.StartJob(kQueue, id, row);
          if (!DecodeDelivery(row)->stopped.empty()) ctx.CancelJob(kQueue, id);
        },
        &error);
    if (applied == ApplyResult::kFailed)
      spdlog::error("delivery {} in flight: {} (sent at the next start)", keys::Hex(id), error);
  }
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

void NotifyService::OnAlert(ApplyContext& ctx, wire::Event::Reader event,
                            wire::AlertRaised::Reader body) {
  Micros now = host_.clock().Now();
  uint64_t suppressed = 0;
  std::string why;
  auto alert = ToAlert(event, body, &why);
  if (!alert) {
    malformed_->Inc();
    if (malformed_log_.Allow(now, &suppressed))
      spdlog::warn("alert_raised #{} skipped: {} ({} similar lines suppressed)", event.getSeq(),
                   why, suppressed);
    return;
  }
  alerts_->Inc();
  Effects fx = notifier_.OnAlert(*alert, ctx.state(), now);
  if (fx.corrupt_rows > 0)
    spdlog::error("the settled row of incident {} does not decode (storage damage): ignored",
                  alert->incident);
  if (fx.superseded) {
    superseded_->Inc();
    spdlog::info(
        "alert_raised #{} (incident {} version {}) skipped: the incident was "
        "acknowledged, resolved or cancelled at a newer version already",
        event.getSeq(), alert->incident, alert->version);
  }
  if (fx.unrouted) {
    unrouted_->Inc();
    if (unrouted_log_.Allow(now, &suppressed))
      spdlog::warn(
          "alert_raised #{} for '{}' ({}) skipped: no channel configured for them "
          "({} similar lines suppressed)",
          event.getSeq(), alert->person, alert->target, suppressed);
  }
  Carry(fx, ctx);
}

void NotifyService::OnTimer(ApplyContext& ctx, const TimerRow& row, Micros now) {
  auto incident = keys::DecodeSettledTimerId(row.timer_id);
  auto version = keys::DecodeU64(row.payload);
  if (incident && version) {
    notifier_.OnForget(ForgetTimer{row.due, *incident, *version}, ctx.state());
    return;
  }
  auto id = keys::DecodeTimerId(row.timer_id);
  auto attempt = keys::DecodeTimerPayload(row.payload);
  if (!id || !attempt) {
    spdlog::warn("timer row '{}' is not a delivery's: dropped", keys::Hex(row.timer_id));
    return;
  }
  Carry(notifier_.OnTimer(DeliveryTimer{row.due, *id, *attempt}, ctx.state(), now), ctx);
}

void NotifyService::Carry(const Effects& fx, ApplyContext& ctx) {
  for (const AttemptEvent& e : fx.events) {
    auto b = EmitDeliveryEvent<wire::DeliveryAttempt>(ctx, e.type(), e.at, e);
    b.setAttempt(e.attempt);
    b.setSucceeded(e.succeeded);
    b.setHttpStatus(e.http_status);
    b.setError(e.error);
    b.setWillRetry(e.will_retry);
    b.setNextAttemptAt(e.next_attempt_at);
    b.setLatency(e.latency);
  }
  for (const StopEvent& e : fx.stopped) {
    auto b = EmitDeliveryEvent<wire::DeliveryStopped>(ctx, StopEvent::kType, e.at, e);
    b.setAttempts(e.attempts);
    b.setReason(e.reason);
    b.setCauseSeq(e.cause_seq);
  }
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
  auto d = DecodeDelivery(job.payload);
  const Channel* channel = d ? config_.FindChannel(d->channel) : nullptr;
  Micros now = host_.clock().Now();
  if (!channel) {  // no longer configured (or a damaged row): fails for good, unsent
    AttemptResult gone;
    gone.delivery_id = job.id;
    gone.attempt = d ? d->attempts : 0;
    gone.channel_gone = true;
    gone.finished_at = now;
    return gone;
  }
  spdlog::debug("delivery {} attempt {} to {}", keys::Hex(job.id), d->attempts, d->channel);
  return send_(BuildWebhookRequest(*d, *channel, host_.site().id, now));
}

void NotifyService::CallOff(ApplyContext& ctx, const std::string& delivery_id) {
  Effects fx = notifier_.CallOff(delivery_id, ctx.state(), host_.clock().Now());
  Carry(fx, ctx);
  stopped_->Inc(fx.stopped.size());
  for (const StopEvent& s : fx.stopped)
    spdlog::info("incident {} was {} before the delivery to {} via {} was sent: not sent",
                 s.incident, s.reason, s.person, s.channel);
}

void NotifyService::Withhold(ApplyContext& ctx, const std::string& delivery_id) {
  Effects fx = notifier_.CallOff(delivery_id, ctx.state(), host_.clock().Now());
  Carry(fx, ctx);
  stopped_->Inc(fx.stopped.size());
  withheld_->Inc(fx.stopped.size());
  for (const StopEvent& s : fx.stopped)
    spdlog::info(
        "incident {} was {} (seq {}) before the delivery to {} via {} was sent: the bus's head "
        "says so; not sent",
        s.incident, s.reason, s.cause_seq, s.person, s.channel);
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
