// The delivery state machine: every transition, with a MemoryTxn and fixed times.
#include <catch2/catch.hpp>

#include "notify/core/backoff.h"
#include "notify/core/delivery_keys.h"
#include "notify/core/notifier.h"
#include "notify/notify_config_toml.h"
#include "testing/memory_txn.h"

namespace picket::notify {
namespace {

constexpr Micros kT0 = 1'764'000'000'000'000;
constexpr Micros kSec = kMicrosPerSecond;
constexpr uint64_t kSeed = 7;

NotifyConfig Config() {
  std::string error;
  auto c = ParseNotifyConfig(R"(
[site]
id = "north"
data_root = "/tmp/x"
[notify.retry]
initial_backoff = "1s"
max_backoff = "8s"
max_attempts = 4
[notify.channels.ops]
url = "http://127.0.0.1:9000/hook"
secret = "0123456789abcdef-secret"
[notify.channels.pager]
url = "http://127.0.0.1:9001/"
secret = "0123456789abcdef-pager"
[notify.people]
ann = ["ops"]
[notify.roles]
duty_officer = ["pager"]
)",
                             "site.toml", &error);
  INFO(error);
  REQUIRE(c.has_value());
  return *c;
}

Alert AnAlert(std::string person = "ann", std::string target = "person:ann") {
  Alert a;
  a.event_id = std::string(16, '\x01');
  a.seq = 42;
  a.recorded_at = kT0 - 5000;
  a.incident = 7;
  a.version = 3;
  a.person = std::move(person);
  a.level = 1;
  a.target = std::move(target);
  a.reason = "opened";
  a.respond_by = kT0 + 60 * kSec;
  return a;
}

struct Fixture {
  NotifyConfig config = Config();
  Notifier notifier{config, kSeed};
  MemoryTxn txn{keys::AllTables()};
  std::string ops_id = keys::DeliveryId(std::string(16, '\x01'), "ops");
  std::string pager_id = keys::DeliveryId(std::string(16, '\x01'), "pager");

  Delivery Row(const std::string& id) {
    auto d = Notifier::Load(txn, id);
    REQUIRE(d.has_value());
    return *d;
  }
  // AnAlert() is raised at kT0 and its first attempt to "ops" answered 503: returns the
  // timer row of the retry that is now waiting.
  DeliveryTimer FailFirstAttempt() {
    notifier.OnAlert(AnAlert(), txn, kT0);
    return notifier.OnResult(Result(ops_id, 1, 503, kT0), txn, kT0).set.at(0);
  }
  AttemptResult Result(const std::string& id, uint32_t attempt, int status, Micros at) {
    AttemptResult r;
    r.delivery_id = id;
    r.attempt = attempt;
    r.http_status = status;
    if (status == 0) r.error = "Connection refused";
    r.finished_at = at;
    return r;
  }
};

}  // namespace

TEST_CASE("notifier: an alert makes one delivery per channel, attempt 1 in flight",
          "[notify][notifier]") {
  Fixture f;
  Effects fx = f.notifier.OnAlert(AnAlert("ann", "role:duty_officer"), f.txn, kT0);
  CHECK_FALSE(fx.unrouted);
  CHECK(fx.events.empty());
  CHECK(fx.set.empty());
  REQUIRE(fx.dispatch.size() == 2);
  CHECK(f.txn.Rows("deliveries").size() == 2);
  Delivery d = f.Row(f.ops_id);
  CHECK(d.channel == "ops");
  CHECK(d.state == DeliveryState::kInFlight);
  CHECK(d.attempts == 1);
  CHECK(d.created_at == kT0);
  CHECK(d.alert == AnAlert("ann", "role:duty_officer"));
  CHECK(f.Row(f.pager_id).channel == "pager");
}

TEST_CASE("notifier: an alert for a person without channels changes nothing",
          "[notify][notifier]") {
  Fixture f;
  Effects fx = f.notifier.OnAlert(AnAlert("zed", "person:zed"), f.txn, kT0);
  CHECK(fx.unrouted);
  CHECK(fx.dispatch.empty());
  CHECK(f.txn.writes() == 0);
}

TEST_CASE("notifier: a 2xx answer succeeds and ends the delivery", "[notify][notifier]") {
  Fixture f;
  f.notifier.OnAlert(AnAlert(), f.txn, kT0);
  Effects fx = f.notifier.OnResult(f.Result(f.ops_id, 1, 204, kT0 + 300), f.txn, kT0 + 400);
  REQUIRE(fx.events.size() == 1);
  const AttemptEvent& e = fx.events[0];
  CHECK(e.type() == "notify.delivery_succeeded");
  CHECK(e.succeeded);
  CHECK(e.incident == 7);
  CHECK(e.person == "ann");
  CHECK(e.channel == "ops");
  CHECK(e.alert_seq == 42);
  CHECK(e.idempotency_key == keys::Hex(f.ops_id));
  CHECK(e.attempt == 1);
  CHECK(e.http_status == 204);
  CHECK(e.error.empty());
  CHECK_FALSE(e.will_retry);
  CHECK(e.next_attempt_at == 0);
  CHECK(e.latency == 5300);  // from the alert's recordedAt to the end of the attempt
  CHECK(e.at == kT0 + 400);
  CHECK(fx.set.empty());
  CHECK(f.txn.Rows("deliveries").empty());
}

TEST_CASE("notifier: a retryable failure schedules the next attempt with jittered backoff",
          "[notify][notifier]") {
  Fixture f;
  f.notifier.OnAlert(AnAlert(), f.txn, kT0);
  int status = GENERATE(0, 408, 429, 500, 503);
  Micros now = kT0 + kSec;
  Effects fx = f.notifier.OnResult(f.Result(f.ops_id, 1, status, now), f.txn, now);
  REQUIRE(fx.events.size() == 1);
  const AttemptEvent& e = fx.events[0];
  CHECK(e.type() == "notify.delivery_failed");
  CHECK(e.will_retry);
  CHECK(e.http_status == status);
  CHECK(e.error == (status == 0 ? "Connection refused" : "HTTP " + std::to_string(status)));
  Micros wait = RetryDelay(f.config.retry, kSeed, f.ops_id, 1);
  CHECK(wait >= kSec / 2);
  CHECK(wait <= kSec);
  CHECK(e.next_attempt_at == now + wait);
  REQUIRE(fx.set.size() == 1);
  CHECK(fx.set[0] == DeliveryTimer{now + wait, f.ops_id, 2});
  Delivery d = f.Row(f.ops_id);
  CHECK(d.state == DeliveryState::kScheduled);
  CHECK(d.attempts == 1);
  CHECK(d.next_attempt_at == now + wait);
}

TEST_CASE("notifier: 4xx other than 408/429, and 3xx, fail for good", "[notify][notifier]") {
  Fixture f;
  f.notifier.OnAlert(AnAlert(), f.txn, kT0);
  int status = GENERATE(400, 401, 403, 404, 410, 422, 301);
  Effects fx = f.notifier.OnResult(f.Result(f.ops_id, 1, status, kT0), f.txn, kT0);
  REQUIRE(fx.events.size() == 1);
  CHECK_FALSE(fx.events[0].succeeded);
  CHECK_FALSE(fx.events[0].will_retry);
  CHECK_THAT(fx.events[0].error, Catch::Contains("not retried"));
  CHECK(fx.set.empty());
  CHECK(f.txn.Rows("deliveries").empty());
}

TEST_CASE("notifier: the timer starts the next attempt, stale timers and results change nothing",
          "[notify][notifier]") {
  Fixture f;
  DeliveryTimer t = f.FailFirstAttempt();

  int writes = f.txn.writes();
  // A timer row for another attempt or due time, or for an unknown delivery: stale.
  CHECK(f.notifier.OnTimer({t.due, f.ops_id, 3}, f.txn, t.due).dispatch.empty());
  CHECK(f.notifier.OnTimer({t.due + 1, f.ops_id, 2}, f.txn, t.due + 1).dispatch.empty());
  CHECK(f.notifier.OnTimer({t.due, f.pager_id, 2}, f.txn, t.due).dispatch.empty());
  // A repeated result of attempt 1, now that the delivery waits for attempt 2.
  CHECK(f.notifier.OnResult(f.Result(f.ops_id, 1, 503, kT0), f.txn, kT0).events.empty());
  CHECK(f.txn.writes() == writes);

  Effects started = f.notifier.OnTimer(t, f.txn, t.due + 10);
  CHECK(started.dispatch == std::vector<std::string>{f.ops_id});
  CHECK(started.events.empty());
  Delivery d = f.Row(f.ops_id);
  CHECK(d.state == DeliveryState::kInFlight);
  CHECK(d.attempts == 2);
  // The same timer again (e.g. replayed): nothing.
  CHECK(f.notifier.OnTimer(t, f.txn, t.due + 20).dispatch.empty());
  // A result for the wrong attempt: nothing; for attempt 2: counts.
  CHECK(f.notifier.OnResult(f.Result(f.ops_id, 3, 200, t.due), f.txn, t.due).events.empty());
  Effects ok = f.notifier.OnResult(f.Result(f.ops_id, 2, 200, t.due + 50), f.txn, t.due + 60);
  REQUIRE(ok.events.size() == 1);
  CHECK(ok.events[0].succeeded);
  CHECK(ok.events[0].attempt == 2);
  // After the end, a late duplicate of the success: nothing.
  CHECK(f.notifier.OnResult(f.Result(f.ops_id, 2, 200, t.due), f.txn, t.due).events.empty());
}

TEST_CASE("notifier: failing, failing, succeeding gives three events with one idempotency key",
          "[notify][notifier]") {
  Fixture f;
  f.notifier.OnAlert(AnAlert(), f.txn, kT0);
  std::vector<AttemptEvent> events;
  Micros now = kT0;
  for (int status : {503, 503, 200}) {
    Effects fx = f.notifier.OnResult(
        f.Result(f.ops_id, static_cast<uint32_t>(events.size() + 1), status, now), f.txn, now);
    REQUIRE(fx.events.size() == 1);
    events.push_back(fx.events[0]);
    if (fx.set.empty()) break;
    now = fx.set[0].due;
    REQUIRE(f.notifier.OnTimer(fx.set[0], f.txn, now).dispatch.size() == 1);
  }
  REQUIRE(events.size() == 3);
  CHECK(events[0].type() == "notify.delivery_failed");
  CHECK(events[1].type() == "notify.delivery_failed");
  CHECK(events[2].type() == "notify.delivery_succeeded");
  for (uint32_t i = 0; i < 3; ++i) {
    CHECK(events[i].attempt == i + 1);
    CHECK(events[i].idempotency_key == events[0].idempotency_key);
  }
  CHECK(events[0].will_retry);
  CHECK(events[1].will_retry);
  // Backoff grows: the second wait has base 2 s.
  CHECK(events[1].next_attempt_at - events[0].next_attempt_at >= kSec);
}

TEST_CASE("notifier: it gives up after max_attempts", "[notify][notifier]") {
  Fixture f;
  Alert a = AnAlert();
  a.respond_by = 0;  // no deadline: only max_attempts (4) bounds it
  f.notifier.OnAlert(a, f.txn, kT0);
  Micros now = kT0;
  std::vector<AttemptEvent> events;
  for (uint32_t attempt = 1; attempt <= 10; ++attempt) {
    Effects fx = f.notifier.OnResult(f.Result(f.ops_id, attempt, 500, now), f.txn, now);
    REQUIRE(fx.events.size() == 1);
    events.push_back(fx.events[0]);
    if (fx.set.empty()) break;
    now = fx.set[0].due;
    f.notifier.OnTimer(fx.set[0], f.txn, now);
  }
  REQUIRE(events.size() == 4);
  CHECK(events[2].will_retry);
  CHECK_FALSE(events[3].will_retry);
  CHECK_THAT(events[3].error, Catch::Contains("gave up: 4 attempts made"));
  CHECK(f.txn.Rows("deliveries").empty());
}

TEST_CASE("notifier: no retry is scheduled at or after the alert's respond_by",
          "[notify][notifier]") {
  Fixture f;
  Alert a = AnAlert();
  a.respond_by = kT0 + 2 * kSec;
  f.notifier.OnAlert(a, f.txn, kT0);
  Micros now = kT0;
  std::vector<AttemptEvent> events;
  for (uint32_t attempt = 1; attempt <= 10; ++attempt) {
    Effects fx = f.notifier.OnResult(f.Result(f.ops_id, attempt, 0, now), f.txn, now);
    REQUIRE(fx.events.size() == 1);
    events.push_back(fx.events[0]);
    if (fx.set.empty()) break;
    REQUIRE(fx.set[0].due < a.respond_by);  // every scheduled attempt is before the deadline
    now = fx.set[0].due;
    f.notifier.OnTimer(fx.set[0], f.txn, now);
  }
  REQUIRE(events.size() < 4);  // stopped by the deadline, not by max_attempts
  CHECK_FALSE(events.back().will_retry);
  CHECK_THAT(events.back().error, Catch::Contains("after respond_by"));
  CHECK(f.txn.Rows("deliveries").empty());
}

TEST_CASE("notifier: a scheduled attempt is still made when its timer fires after respond_by",
          "[notify][notifier]") {
  Fixture f;
  DeliveryTimer t = f.FailFirstAttempt();
  Micros late = AnAlert().respond_by + 10 * kSec;  // the service was down
  CHECK(f.notifier.OnTimer(t, f.txn, late).dispatch.size() == 1);
  Effects fx = f.notifier.OnResult(f.Result(f.ops_id, 2, 503, late), f.txn, late);
  REQUIRE(fx.events.size() == 1);
  CHECK_FALSE(fx.events[0].will_retry);
}

TEST_CASE("notifier: a delivery whose channel is gone fails for good", "[notify][notifier]") {
  Fixture f;
  f.notifier.OnAlert(AnAlert(), f.txn, kT0);
  AttemptResult r = f.Result(f.ops_id, 1, 0, kT0);
  r.channel_gone = true;
  Effects fx = f.notifier.OnResult(r, f.txn, kT0);
  REQUIRE(fx.events.size() == 1);
  CHECK_FALSE(fx.events[0].will_retry);
  CHECK(fx.events[0].error == "the channel is no longer configured");
  CHECK(f.txn.Rows("deliveries").empty());
}

TEST_CASE("notifier: a corrupt delivery row is a storage fault, not a silent skip",
          "[notify][notifier]") {
  Fixture f;
  f.txn.Put("deliveries", f.ops_id, "garbage");
  CHECK_THROWS_AS(f.notifier.OnResult(f.Result(f.ops_id, 1, 200, kT0), f.txn, kT0), StoreError);
}

TEST_CASE("notifier: classification of status codes", "[notify][notifier]") {
  CHECK(Classify(200) == Verdict::kSucceeded);
  CHECK(Classify(299) == Verdict::kSucceeded);
  CHECK(Classify(0) == Verdict::kRetryable);
  CHECK(Classify(408) == Verdict::kRetryable);
  CHECK(Classify(429) == Verdict::kRetryable);
  CHECK(Classify(500) == Verdict::kRetryable);
  CHECK(Classify(599) == Verdict::kRetryable);
  CHECK(Classify(404) == Verdict::kPermanent);
  CHECK(Classify(302) == Verdict::kPermanent);
  CHECK(Classify(100) == Verdict::kPermanent);
}

}  // namespace picket::notify

namespace picket::notify {
namespace {

IncidentSettled Settled(uint64_t version, std::string reason = "acknowledged",
                        uint64_t incident = 7) {
  return IncidentSettled{incident, version, 90, std::move(reason)};
}

}  // namespace

TEST_CASE("notifier: a settled incident calls off the retries waiting for its earlier alerts",
          "[notify][notifier]") {
  Fixture f;
  DeliveryTimer t = f.FailFirstAttempt();
  const std::string reason = GENERATE("acknowledged", "resolved", "cancelled");

  Effects fx = f.notifier.OnSettled(Settled(4, reason), f.txn, kT0 + 10);
  CHECK(fx.events.empty());
  CHECK(fx.set.empty());
  CHECK(fx.dispatch.empty());
  REQUIRE(fx.stopped.size() == 1);
  const StopEvent& s = fx.stopped[0];
  CHECK(s.incident == 7);
  CHECK(s.person == "ann");
  CHECK(s.channel == "ops");
  CHECK(s.alert_seq == 42);
  CHECK(s.idempotency_key == keys::Hex(f.ops_id));
  CHECK(s.attempts == 1);
  CHECK(s.reason == reason);
  CHECK(s.cause_seq == 90);
  CHECK(s.at == kT0 + 10);
  CHECK(f.txn.Rows("deliveries").empty());
  // Its timer row fires later and finds nothing to do; a repeat of the event neither.
  CHECK(f.notifier.OnTimer(t, f.txn, t.due).dispatch.empty());
  CHECK(f.notifier.OnSettled(Settled(4, reason), f.txn, kT0 + 20).stopped.empty());
}

TEST_CASE("notifier: an attempt in flight when the incident is settled is recorded, not retried",
          "[notify][notifier]") {
  Fixture f;
  f.notifier.OnAlert(AnAlert(), f.txn, kT0);
  Effects fx = f.notifier.OnSettled(Settled(5, "resolved"), f.txn, kT0 + 10);
  CHECK(fx.stopped.empty());  // its end is the attempt's own event
  CHECK(fx.marked == std::vector<std::string>{f.ops_id});
  CHECK(f.Row(f.ops_id).stopped == "resolved");
  CHECK(f.notifier.OnSettled(Settled(6, "acknowledged"), f.txn, kT0 + 11).stopped.empty());
  CHECK(f.Row(f.ops_id).stopped == "resolved");  // the first reason stays

  SECTION("a failure is final") {
    Effects r = f.notifier.OnResult(f.Result(f.ops_id, 1, 503, kT0 + 20), f.txn, kT0 + 20);
    REQUIRE(r.events.size() == 1);
    CHECK_FALSE(r.events[0].succeeded);
    CHECK_FALSE(r.events[0].will_retry);
    CHECK(r.events[0].error == "HTTP 503 (not retried: the incident was resolved)");
    CHECK(r.set.empty());
    CHECK(f.txn.Rows("deliveries").empty());
  }
  SECTION("a success is still a success") {
    Effects r = f.notifier.OnResult(f.Result(f.ops_id, 1, 200, kT0 + 20), f.txn, kT0 + 20);
    REQUIRE(r.events.size() == 1);
    CHECK(r.events[0].succeeded);
    CHECK(f.txn.Rows("deliveries").empty());
  }
}

TEST_CASE("notifier: settling leaves newer alerts and other incidents alone",
          "[notify][notifier]") {
  Fixture f;
  f.notifier.OnAlert(AnAlert(), f.txn, kT0);  // incident 7, version 3
  Alert other = AnAlert();
  other.event_id = std::string(16, '\x02');
  other.incident = 8;
  f.notifier.OnAlert(other, f.txn, kT0);
  std::string other_id = keys::DeliveryId(other.event_id, "ops");
  f.notifier.OnResult(f.Result(f.ops_id, 1, 503, kT0), f.txn, kT0);
  f.notifier.OnResult(f.Result(other_id, 1, 503, kT0), f.txn, kT0);
  const Delivery before = f.Row(f.ops_id), other_before = f.Row(other_id);

  // Version 3 itself: the alert was raised after (or by) that transition, e.g. after an
  // unacknowledge reopened the incident. Incident 9: not ours.
  CHECK(f.notifier.OnSettled(Settled(3), f.txn, kT0 + 10).stopped.empty());
  CHECK(f.notifier.OnSettled(Settled(9, "acknowledged", 9), f.txn, kT0 + 10).stopped.empty());
  CHECK(f.Row(f.ops_id) == before);
  CHECK(f.Row(other_id) == other_before);

  Effects fx = f.notifier.OnSettled(Settled(9, "acknowledged", 8), f.txn, kT0 + 10);
  REQUIRE(fx.stopped.size() == 1);
  CHECK(fx.stopped[0].incident == 8);
  CHECK(f.Row(f.ops_id).state == DeliveryState::kScheduled);  // incident 7 still retries
}

TEST_CASE("notifier: stored rows that do not decode do not stop an acknowledgement",
          "[notify][notifier]") {
  Fixture f;
  f.FailFirstAttempt();
  f.txn.Put(keys::kDeliveriesTable, std::string(16, '\x00'), "junk");
  f.txn.Put(keys::kSettledTable, keys::U64(7), "bad");
  Effects fx = f.notifier.OnSettled(Settled(4), f.txn, kT0 + 10);
  CHECK(fx.corrupt_rows == 2);
  REQUIRE(fx.stopped.size() == 1);
  CHECK(fx.stopped[0].idempotency_key == keys::Hex(f.ops_id));
  CHECK(keys::DecodeU64(*f.txn.Get(keys::kSettledTable, keys::U64(7))) == 4u);  // repaired

  // A settled row that does not decode counts as none: the alert pages.
  f.txn.Put(keys::kSettledTable, keys::U64(7), "bad");
  Effects alert = f.notifier.OnAlert(AnAlert(), f.txn, kT0 + 20);
  CHECK(alert.corrupt_rows == 1);
  CHECK_FALSE(alert.superseded);
  CHECK(alert.dispatch.size() == 1);  // ann has one channel
}

TEST_CASE("notifier: a delivery settled before its attempt was sent is called off, not sent",
          "[notify][notifier]") {
  Fixture f;
  f.notifier.OnAlert(AnAlert(), f.txn, kT0);  // attempt 1 in flight, not sent yet
  CHECK(f.notifier.CallOff(f.ops_id, f.txn, kT0).stopped.empty());  // not marked: nothing
  f.notifier.OnSettled(Settled(4, "cancelled"), f.txn, kT0 + 10);
  CHECK(f.Row(f.ops_id).stopped_by == 90);

  Effects fx = f.notifier.CallOff(f.ops_id, f.txn, kT0 + 20);
  REQUIRE(fx.stopped.size() == 1);
  CHECK(fx.stopped[0].attempts == 0);  // the one in flight was never sent
  CHECK(fx.stopped[0].reason == "cancelled");
  CHECK(fx.stopped[0].cause_seq == 90);
  CHECK(fx.stopped[0].at == kT0 + 20);
  CHECK(fx.dispatch.empty());
  CHECK(f.txn.Rows("deliveries").empty());
  CHECK(f.notifier.CallOff(f.ops_id, f.txn, kT0 + 30).stopped.empty());  // gone: nothing
}

TEST_CASE("notifier: an alert that reaches the bus after its incident was settled pages nobody",
          "[notify][notifier]") {
  Fixture f;
  Effects settled = f.notifier.OnSettled(Settled(4), f.txn, kT0);
  CHECK(settled.stopped.empty());
  REQUIRE(settled.forget.size() == 1);
  CHECK(settled.forget[0] == ForgetTimer{kT0 + kRememberSettled, 7, 4});

  Effects late = f.notifier.OnAlert(AnAlert(), f.txn, kT0 + 10);  // version 3 < 4
  CHECK(late.superseded);
  CHECK(late.dispatch.empty());
  CHECK(f.txn.Rows("deliveries").empty());

  // An older settle neither lowers the version nor sets another timer.
  CHECK(f.notifier.OnSettled(Settled(2), f.txn, kT0 + 20).forget.empty());
  CHECK(f.notifier.OnAlert(AnAlert(), f.txn, kT0 + 30).superseded);

  // A newer alert (after an unacknowledge, say) is delivered.
  Alert newer = AnAlert();
  newer.event_id = std::string(16, '\x05');
  newer.version = 5;
  Effects fx = f.notifier.OnAlert(newer, f.txn, kT0 + 40);
  CHECK_FALSE(fx.superseded);
  CHECK(fx.dispatch.size() == 1);

  // A stale forget timer keeps the row; the right one drops it, and then even an old
  // alert is delivered again (the window is over).
  f.notifier.OnForget(ForgetTimer{kT0, 7, 3}, f.txn);
  CHECK(f.notifier.OnAlert(AnAlert(), f.txn, kT0 + 50).superseded);
  f.notifier.OnForget(settled.forget[0], f.txn);
  CHECK(f.txn.Rows("settled").empty());
  CHECK_FALSE(f.notifier.OnAlert(AnAlert(), f.txn, kT0 + 60).superseded);
}

TEST_CASE(
    "Supersede check: an attempt is sent only while its delivery waits for exactly it, "
    "unstopped",
    "[notify][supersede]") {
  Fixture f;
  f.notifier.OnAlert(AnAlert(), f.txn, kT0);
  CHECK(Notifier::ShouldSend(f.ops_id, 1, f.txn));
  CHECK_FALSE(Notifier::ShouldSend(f.ops_id, 2, f.txn));  // not the attempt in flight
  CHECK_FALSE(Notifier::ShouldSend(std::string(16, '\x09'), 1, f.txn));  // no such delivery
  // Acknowledged at a newer version while in flight: not sent, and CallOff ends it.
  Effects settled = f.notifier.OnSettled(Settled(4), f.txn, kT0 + 1);
  CHECK(settled.marked == std::vector<std::string>{f.ops_id});
  CHECK_FALSE(Notifier::ShouldSend(f.ops_id, 1, f.txn));
  Effects off = f.notifier.CallOff(f.ops_id, f.txn, kT0 + 2);
  REQUIRE(off.stopped.size() == 1);
  CHECK(off.stopped[0].attempts == 0);
  CHECK(f.txn.Rows("deliveries").empty());
}

}  // namespace picket::notify

namespace picket::notify {

TEST_CASE("notifier: a due timer row is read as the adapter wrote it, and a foreign one is named",
          "[notifier]") {
  Fixture f;
  DeliveryTimer retry = f.FailFirstAttempt();
  // The delivery's row, as Carry stores it: attempt 2 starts.
  Effects fx =
      f.notifier.OnTimerRow(keys::TimerId(retry.delivery_id), keys::TimerPayload(retry.attempt),
                            retry.due, f.txn, retry.due);
  CHECK_FALSE(fx.unknown_timer);
  CHECK(fx.dispatch == std::vector<std::string>{f.ops_id});
  CHECK(f.Row(f.ops_id).attempts == 2);
  // A forget row drops the settled version it names, and only that one.
  f.txn.Put(keys::kSettledTable, keys::U64(7), keys::U64(5));
  f.notifier.OnTimerRow(keys::SettledTimerId(7), keys::U64(4), kT0, f.txn, kT0);
  CHECK(f.txn.Get(keys::kSettledTable, keys::U64(7)).has_value());
  fx = f.notifier.OnTimerRow(keys::SettledTimerId(7), keys::U64(5), kT0, f.txn, kT0);
  CHECK_FALSE(fx.unknown_timer);
  CHECK_FALSE(f.txn.Get(keys::kSettledTable, keys::U64(7)).has_value());
  // Neither kind: nothing changes.
  fx = f.notifier.OnTimerRow("not a timer id", "x", kT0, f.txn, kT0);
  CHECK(fx.unknown_timer);
  CHECK(fx.dispatch.empty());
  CHECK(f.Row(f.ops_id).attempts == 2);
}

TEST_CASE(
    "notifier: a webhook job becomes the request of its row's attempt, or fails for good "
    "unsent when its channel is gone or its row is damaged",
    "[notifier]") {
  Fixture f;
  f.notifier.OnAlert(AnAlert(), f.txn, kT0);
  const std::string row = *f.txn.Get(keys::kDeliveriesTable, f.ops_id);
  auto sent = f.notifier.Attempt(f.ops_id, row, "north", kT0 + kSec);
  REQUIRE(std::holds_alternative<WebhookRequest>(sent));
  const auto& request = std::get<WebhookRequest>(sent);
  CHECK(request.delivery_id == f.ops_id);
  CHECK(request.attempt == 1);
  CHECK(request.origin == "http://127.0.0.1:9000");
  CHECK(request.path == "/hook");

  // The same row, with a site whose config no longer has that channel.
  NotifyConfig without = f.config;
  without.channels.erase("ops");
  Notifier later(without, kSeed);
  auto gone = later.Attempt(f.ops_id, row, "north", kT0 + kSec);
  REQUIRE(std::holds_alternative<AttemptResult>(gone));
  CHECK(std::get<AttemptResult>(gone).channel_gone);
  CHECK(std::get<AttemptResult>(gone).attempt == 1);
  CHECK(std::get<AttemptResult>(gone).finished_at == kT0 + kSec);

  auto damaged = f.notifier.Attempt(f.ops_id, "\x01\x02", "north", kT0);
  REQUIRE(std::holds_alternative<AttemptResult>(damaged));
  CHECK(std::get<AttemptResult>(damaged).channel_gone);
  CHECK(std::get<AttemptResult>(damaged).attempt == 0);
}

}  // namespace picket::notify
