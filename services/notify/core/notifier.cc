#include "notify/core/notifier.h"

#include "notify/core/backoff.h"
#include "notify/core/delivery_keys.h"
#include "wire/event_names.h"

namespace picket::notify {
namespace {

void Store(Txn& state, const Delivery& d) {
  state.Put(keys::kDeliveriesTable, d.id, EncodeDelivery(d));
}

std::string Describe(const AttemptResult& r) {
  if (r.channel_gone) return "the channel is no longer configured";
  if (r.http_status == 0) return r.error.empty() ? "no answer" : r.error;
  return "HTTP " + std::to_string(r.http_status);
}

StopEvent Stop(const Delivery& d, uint32_t attempts, const std::string& reason, uint64_t cause_seq,
               Micros now) {
  StopEvent ev;
  static_cast<DeliveryFields&>(ev) = FieldsOf(d);
  ev.attempts = attempts;
  ev.reason = reason;
  ev.cause_seq = cause_seq;
  ev.at = now;
  return ev;
}

// The version `incident` was last settled at, if remembered; 0 otherwise. A row that does
// not decode counts as none (and in fx->corrupt_rows): paging is the safe side.
uint64_t SettledVersion(Txn& state, uint64_t incident, Effects* fx) {
  auto row = state.Get(keys::kSettledTable, keys::U64(incident));
  if (!row) return 0;
  auto version = keys::DecodeU64(*row);
  if (!version) ++fx->corrupt_rows;
  return version.value_or(0);
}

}  // namespace

Verdict Classify(int http_status) {
  if (http_status >= 200 && http_status < 300) return Verdict::kSucceeded;
  if (http_status == 0 || http_status == 408 || http_status == 429 || http_status >= 500)
    return Verdict::kRetryable;
  return Verdict::kPermanent;
}

std::string_view AttemptEvent::type() const {
  return succeeded ? event_names::kDeliverySucceeded : event_names::kDeliveryFailed;
}

DeliveryFields FieldsOf(const Delivery& d) {
  return DeliveryFields{d.alert.incident, d.alert.person, d.channel, d.alert.seq, keys::Hex(d.id)};
}

std::optional<Delivery> Notifier::Load(Txn& state, std::string_view id) {
  auto row = state.Get(keys::kDeliveriesTable, id);
  if (!row) return std::nullopt;
  auto d = DecodeDelivery(*row);
  if (!d) throw StoreError("notify: corrupt delivery row " + keys::Hex(id));
  return d;
}

Effects Notifier::OnAlert(const Alert& alert, Txn& state, Micros now) {
  Effects fx;
  if (auto settled = SettledVersion(state, alert.incident, &fx); alert.version < settled) {
    fx.superseded = true;
    return fx;
  }
  auto channels = config_.ChannelsFor(alert.person, alert.target);
  if (channels.empty()) {
    fx.unrouted = true;
    return fx;
  }
  for (const Channel* c : channels) {
    Delivery d;
    d.id = keys::DeliveryId(alert.event_id, c->name);
    if (state.Get(keys::kDeliveriesTable, d.id)) continue;  // already pending (not expected)
    d.channel = c->name;
    d.alert = alert;
    d.state = DeliveryState::kInFlight;
    d.attempts = 1;
    d.created_at = now;
    Store(state, d);
    fx.dispatch.push_back(d.id);
  }
  return fx;
}

Effects Notifier::OnTimer(const DeliveryTimer& timer, Txn& state, Micros /*now*/) {
  Effects fx;
  auto d = Load(state, timer.delivery_id);
  if (!d || d->state != DeliveryState::kScheduled || d->attempts + 1 != timer.attempt ||
      d->next_attempt_at != timer.due)
    return fx;  // stale: the delivery moved on or is gone
  d->state = DeliveryState::kInFlight;
  d->attempts = timer.attempt;
  d->next_attempt_at = 0;
  Store(state, *d);
  fx.dispatch.push_back(d->id);
  return fx;
}

Effects Notifier::OnResult(const AttemptResult& result, Txn& state, Micros now) {
  Effects fx;
  auto d = Load(state, result.delivery_id);
  if (!d || d->state != DeliveryState::kInFlight || d->attempts != result.attempt) return fx;

  AttemptEvent ev;
  static_cast<DeliveryFields&>(ev) = FieldsOf(*d);
  ev.attempt = d->attempts;
  ev.http_status = static_cast<uint16_t>(result.http_status);
  ev.latency = result.finished_at - d->alert.recorded_at;
  ev.at = now;
  Verdict verdict = result.channel_gone ? Verdict::kPermanent : Classify(result.http_status);
  ev.succeeded = verdict == Verdict::kSucceeded;
  if (!ev.succeeded) ev.error = Describe(result);

  bool retry = false;
  if (verdict == Verdict::kPermanent && !result.channel_gone) {
    ev.error += " (not retried: the receiver refused it)";
  } else if (verdict == Verdict::kRetryable && !d->stopped.empty()) {
    ev.error += " (not retried: the incident was " + d->stopped + ")";
  } else if (verdict == Verdict::kRetryable) {
    Micros next = now + RetryDelay(config_.retry, seed_, d->id, d->attempts);
    if (d->attempts >= config_.retry.max_attempts) {
      ev.error += " (gave up: " + std::to_string(d->attempts) + " attempts made)";
    } else if (d->alert.respond_by > 0 && next >= d->alert.respond_by) {
      ev.error += " (gave up: the next attempt would be after respond_by)";
    } else {
      retry = true;
      ev.will_retry = true;
      ev.next_attempt_at = next;
    }
  }
  fx.events.push_back(ev);
  if (!retry) {
    state.Delete(keys::kDeliveriesTable, d->id);
    return fx;
  }
  d->state = DeliveryState::kScheduled;
  d->next_attempt_at = ev.next_attempt_at;
  Store(state, *d);
  fx.set.push_back(DeliveryTimer{ev.next_attempt_at, d->id, d->attempts + 1});
  return fx;
}

Effects Notifier::OnSettled(const IncidentSettled& settled, Txn& state, Micros now) {
  Effects fx;
  std::vector<Delivery> affected;
  state.Scan(keys::kDeliveriesTable, "", [&](std::string_view, std::string_view row) {
    auto d = DecodeDelivery(row);
    if (!d) {
      ++fx.corrupt_rows;
      return true;
    }
    if (d->alert.incident == settled.incident && d->alert.version < settled.version)
      affected.push_back(std::move(*d));
    return true;
  });
  for (Delivery& d : affected) {
    if (d.state == DeliveryState::kInFlight) {
      if (!d.stopped.empty()) continue;
      d.stopped = settled.reason;
      d.stopped_by = settled.seq;
      Store(state, d);
      fx.marked.push_back(d.id);
      continue;
    }
    fx.stopped.push_back(Stop(d, d.attempts, settled.reason, settled.seq, now));
    state.Delete(keys::kDeliveriesTable, d.id);
  }
  // Remember the version, for alerts of older versions that reach the bus later.
  if (settled.version > SettledVersion(state, settled.incident, &fx)) {
    state.Put(keys::kSettledTable, keys::U64(settled.incident), keys::U64(settled.version));
    fx.forget.push_back(ForgetTimer{now + kRememberSettled, settled.incident, settled.version});
  }
  return fx;
}

bool Notifier::ShouldSend(std::string_view id, uint32_t attempt, Txn& state) {
  auto d = Load(state, id);
  return d && d->state == DeliveryState::kInFlight && d->attempts == attempt && d->stopped.empty();
}

Effects Notifier::CallOff(std::string_view id, Txn& state, Micros now) {
  Effects fx;
  auto d = Load(state, id);
  if (!d || d->state != DeliveryState::kInFlight || d->stopped.empty()) return fx;
  fx.stopped.push_back(Stop(*d, d->attempts - 1, d->stopped, d->stopped_by, now));
  state.Delete(keys::kDeliveriesTable, d->id);
  return fx;
}

void Notifier::OnForget(const ForgetTimer& timer, Txn& state) {
  const std::string key = keys::U64(timer.incident);
  auto row = state.Get(keys::kSettledTable, key);
  if (row && keys::DecodeU64(*row) == timer.version) state.Delete(keys::kSettledTable, key);
}

Effects Notifier::OnTimerRow(std::string_view timer_id, std::string_view payload, Micros due,
                             Txn& state, Micros now) {
  auto incident = keys::DecodeSettledTimerId(timer_id);
  auto version = keys::DecodeU64(payload);
  if (incident && version) {
    OnForget(ForgetTimer{due, *incident, *version}, state);
    return {};
  }
  auto id = keys::DecodeTimerId(timer_id);
  auto attempt = keys::DecodeTimerPayload(payload);
  if (id && attempt) return OnTimer(DeliveryTimer{due, *id, *attempt}, state, now);
  Effects fx;
  fx.unknown_timer = true;
  return fx;
}

std::variant<WebhookRequest, AttemptResult> Notifier::Attempt(std::string_view id,
                                                              std::string_view row,
                                                              std::string_view site,
                                                              Micros now) const {
  auto d = DecodeDelivery(row);
  const Channel* channel = d ? config_.FindChannel(d->channel) : nullptr;
  if (channel) return BuildWebhookRequest(*d, *channel, site, now);
  AttemptResult gone;
  gone.delivery_id = std::string(id);
  gone.attempt = d ? d->attempts : 0;
  gone.channel_gone = true;
  gone.finished_at = now;
  return gone;
}

}  // namespace picket::notify
