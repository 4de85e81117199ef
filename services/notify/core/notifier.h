// Notifier: the pure core of picket-notify. Alerts in, deliveries out.
//
//   alert_raised ──► one delivery per channel of the person ──► attempt 1 (in flight)
//   attempt n result:
//     2xx                               ──► delivery_succeeded; row deleted
//     4xx other than 408/429, 3xx       ──► delivery_failed (willRetry false); row deleted
//     no answer / timeout / 5xx/408/429 ──► delivery_failed; then either
//        n < max_attempts and now + wait < respond_by ──► willRetry, timer row (attempt n+1)
//        otherwise                                    ──► willRetry false; row deleted
//   timer row due ──► attempt n+1 in flight
//   incident acknowledged / resolved / cancelled (version V), for each of its deliveries
//   whose alert has a version below V:
//     waiting for a retry ──► delivery_stopped; row deleted (its timer row goes stale)
//     attempt in flight   ──► marked: its result is recorded, but a failure is not retried;
//                             if it was not sent yet (CallOff), delivery_stopped instead
//   and V is remembered for the incident for kRememberSettled: an alert of an older version
//   that reaches the bus after the ack (producers' retries may reorder) pages nobody.
//
// So every delivery ends with exactly one event: delivery_succeeded, delivery_failed with
// willRetry = false, or delivery_stopped.
//
// Handlers are functions of (state through a Txn, input, now) and return Effects: the
// events to emit (one per attempt result), timer rows to set, and the deliveries whose
// in-flight attempt the adapter must start once the state is committed. The core never
// reads a clock and never touches sockets or RocksDB.
//
// Exactly-once bookkeeping, at-least-once sending: a result counts only if its delivery is
// in flight with that attempt number, so a repeated or stale result (or timer row) changes
// nothing. After a crash, the deliveries found in flight are started again with the same
// attempt number (and the same Idempotency-Key): the receiver may see one attempt twice.
//
// An attempt that was scheduled is always made, even if the service was down past
// respond_by; the first attempt is always made. No retry is scheduled at or after the
// alert's respond_by: by then escalation moved on and a newer alert supersedes this one.
//
// Not thread-safe; one handler at a time (the service loop).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/clock.h"
#include "base/txn.h"
#include "notify/core/delivery.h"
#include "notify/core/notify_config.h"
#include "notify/core/webhook_request.h"

namespace picket::notify {

enum class Verdict { kSucceeded, kRetryable, kPermanent };
// 2xx: succeeded; 0 (no answer), 408, 429, 5xx: retryable; anything else: permanent.
Verdict Classify(int http_status);

// What a worker reports about one HTTP attempt.
struct AttemptResult {
  std::string delivery_id;
  uint32_t attempt = 0;
  int http_status = 0;        // 0: no answer (refused, timed out, DNS, TLS, ...)
  std::string error;          // why there was no answer; "" if there was one
  bool channel_gone = false;  // the channel is no longer configured: fails for good
  Micros finished_at = 0;     // when the attempt ended
};

// What every notify.delivery_* event says first: which delivery it is about.
struct DeliveryFields {
  uint64_t incident = 0;
  std::string person;
  std::string channel;
  uint64_t alert_seq = 0;
  std::string idempotency_key;  // hex
  friend bool operator==(const DeliveryFields&, const DeliveryFields&) = default;
};
// Those fields of `d`.
DeliveryFields FieldsOf(const Delivery& d);

// One notify.delivery_succeeded / notify.delivery_failed (wire::DeliveryAttempt).
struct AttemptEvent : DeliveryFields {
  uint32_t attempt = 0;
  bool succeeded = false;
  uint16_t http_status = 0;
  std::string error;  // "" on success
  bool will_retry = false;
  Micros next_attempt_at = 0;  // if will_retry
  Micros latency = 0;          // from the alert's recordedAt to the end of the attempt
  Micros at = 0;               // the handler's now: the event's observedAt
  // "notify.delivery_succeeded" or "notify.delivery_failed". DO NOT CHANGE: on the bus.
  std::string_view type() const;
  friend bool operator==(const AttemptEvent&, const AttemptEvent&) = default;
};

// An escalation event after which an incident's earlier alerts need no more paging:
// escalation.incident_acknowledged, incident_resolved or incident_cancelled.
struct IncidentSettled {
  uint64_t incident = 0;
  uint64_t version = 0;  // the incident's version after it: alerts of older versions stop
  uint64_t seq = 0;      // the event's bus sequence number
  std::string reason;    // "acknowledged", "resolved" or "cancelled"
};

// One notify.delivery_stopped (wire::DeliveryStopped).
struct StopEvent : DeliveryFields {
  uint32_t attempts = 0;  // attempts made (all failed)
  std::string reason;
  uint64_t cause_seq = 0;
  Micros at = 0;  // the handler's now: the event's observedAt
  static constexpr std::string_view kType = "notify.delivery_stopped";  // DO NOT CHANGE
  friend bool operator==(const StopEvent&, const StopEvent&) = default;
};

// A delivery's timer row: start attempt `attempt` at `due`.
struct DeliveryTimer {
  Micros due = 0;
  std::string delivery_id;
  uint32_t attempt = 0;
  friend bool operator==(const DeliveryTimer&, const DeliveryTimer&) = default;
};

// The timer row that forgets an incident's settled version `version` at `due`.
struct ForgetTimer {
  Micros due = 0;
  uint64_t incident = 0;
  uint64_t version = 0;
  friend bool operator==(const ForgetTimer&, const ForgetTimer&) = default;
};

// How long a settled version is remembered: far longer than the time between two events
// of one producer that reach the bus out of order (a re-send after a lost ack).
inline constexpr Micros kRememberSettled = 3600 * kMicrosPerSecond;

struct Effects {
  std::vector<AttemptEvent> events;
  std::vector<StopEvent> stopped;     // emitted after `events`
  std::vector<DeliveryTimer> set;     // timer rows to write
  std::vector<ForgetTimer> forget;    // timer rows to write
  std::vector<std::string> dispatch;  // delivery ids to start (in flight once committed)
  // OnSettled: in-flight deliveries it marked stopped. One still queued for a worker is
  // not sent: once the state is committed the adapter withdraws it and calls CallOff.
  std::vector<std::string> marked;
  // OnSettled, OnAlert: stored rows that do not decode, skipped (storage damage to report;
  // one bad row must not stop every acknowledgement). A bad settled row counts as none.
  size_t corrupt_rows = 0;
  bool unrouted = false;       // OnAlert: the person has no channel
  bool superseded = false;     // OnAlert: the incident was settled at a newer version already
  bool unknown_timer = false;  // OnTimerRow: the row is neither a delivery's nor a forget
};

class Notifier {
 public:
  // `config` must outlive this. `jitter_seed` seeds the retry jitter (backoff.h).
  Notifier(const NotifyConfig& config, uint64_t jitter_seed)
      : config_(config), seed_(jitter_seed) {}

  // An escalation.alert_raised: one delivery per channel (NotifyConfig::ChannelsFor), each
  // with attempt 1 in flight. No channel: nothing changes, `unrouted` is set. An alert of
  // a version below the incident's remembered settled version: nothing changes,
  // `superseded` is set.
  Effects OnAlert(const Alert& alert, Txn& state, Micros now);

  // A due timer row. Starts its attempt if the delivery still waits for exactly it;
  // otherwise (stale, or the delivery is gone) changes nothing.
  Effects OnTimer(const DeliveryTimer& timer, Txn& state, Micros now);

  // The result of an attempt (see the file comment). Emits exactly one event if it
  // counts, nothing if it is stale.
  Effects OnResult(const AttemptResult& result, Txn& state, Micros now);

  // The incident was settled (see the file comment). Visits every pending delivery: the
  // pending set is small (deliveries end within their alert's respond_by). Rows that do
  // not decode are skipped and counted (corrupt_rows), not thrown.
  Effects OnSettled(const IncidentSettled& settled, Txn& state, Micros now);

  // The supersede check, made just before attempt `attempt` of delivery `id` is sent, on
  // the state once the adapter has applied the log up to the bus's head: true if the
  // delivery still waits for exactly that attempt and no acknowledgement, resolution or
  // cancellation of a newer version marked it stopped. False: do not send it; CallOff.
  static bool ShouldSend(std::string_view id, uint32_t attempt, Txn& state);

  // The adapter is about to send delivery `id`'s attempt and finds it marked stopped: ends
  // it with delivery_stopped instead (attempts = those recorded, so the one not sent does
  // not count). Anything else (gone, not marked): changes nothing.
  Effects CallOff(std::string_view id, Txn& state, Micros now);

  // A forget timer row is due: drops the incident's settled version if it is still that.
  void OnForget(const ForgetTimer& timer, Txn& state);

  // A due timer row as the adapter stored it (`set`: keys::TimerId / TimerPayload;
  // `forget`: keys::SettledTimerId / U64): OnTimer or OnForget. A row of neither kind
  // changes nothing and sets `unknown_timer`.
  Effects OnTimerRow(std::string_view timer_id, std::string_view payload, Micros due, Txn& state,
                     Micros now);

  // A webhook job about to run (`row`: the delivery row it carries): the request for the
  // attempt the row is at, or, if the row does not decode or its channel is no longer
  // configured, the result that fails the delivery for good without sending anything.
  std::variant<WebhookRequest, AttemptResult> Attempt(std::string_view id, std::string_view row,
                                                      std::string_view site, Micros now) const;

  // The delivery `id`, or nullopt. Throws StoreError if the stored row is corrupt.
  static std::optional<Delivery> Load(Txn& state, std::string_view id);

 private:
  const NotifyConfig& config_;
  uint64_t seed_;
};

}  // namespace picket::notify
