// picket-notify's real adapter (NotifyService) on a ServiceHost, in-process: a real
// RocksDB, a scripted bus, a hand-moved clock and a scripted HTTP sender in place of the
// network. An alert in, a failed attempt, its retry fired by moving the clock, the
// delivery events read back from the bus's log; an ack calls a waiting retry off.
#include <catch2/catch.hpp>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>

#include "notify/core/delivery_keys.h"
#include "notify/notify_config_toml.h"
#include "notify/notify_service.h"
#include "testing/service_harness.h"
#include "wire/codec.h"

namespace picket::notify {
namespace {

using picket::testing::kTestTime;
using picket::testing::MakeTypedEvent;
using picket::testing::ServiceHarness;

NotifyConfig Config(int workers = 4) {
  std::string error;
  auto c = ParseNotifyConfig("[notify]\nworkers = " + std::to_string(workers) + R"(
http = ""
[notify.retry]
initial_backoff = "10s"
max_backoff = "10s"
max_attempts = 5
[notify.channels.ops]
url = "http://127.0.0.1:9/hook"
secret = "0123456789abcdef-secret"
[notify.people]
ann = ["ops"]
[site]
id = "test-site"
data_root = "/tmp/x"
)",
                             "site.toml", &error);
  INFO(error);
  REQUIRE(c.has_value());
  return *c;
}

ServiceHostOptions Options() {
  ServiceHostOptions o;
  o.name = "notify";
  o.tables = keys::AllTables();
  return o;
}

std::string AlertEvent(uint64_t incident, uint64_t version,
                       const std::string& producer = "escalation") {
  return MakeTypedEvent(
      event_types::kAlertRaised, kTestTime,
      [&](wire::AlertRaised::Builder b) {
        b.setIncident(incident);
        b.setVersion(version);
        b.setPerson("ann");
        b.setLevel(1);
        b.setTarget("person:ann");
        b.setReason("opened");
        b.setRespondBy(kTestTime + 3600 * kMicrosPerSecond);
      },
      producer);
}

std::string AckEvent(uint64_t incident, uint64_t version,
                     const std::string& producer = "escalation") {
  return MakeTypedEvent(
      event_types::kIncidentAcknowledged, kTestTime,
      [&](wire::IncidentAcknowledged::Builder b) {
        b.setIncident(incident);
        b.setVersion(version);
      },
      producer, "otto");
}

// The types of the delivery events the service published, in bus order.
std::vector<std::string> DeliveryTypes(const ServiceHarness& h) {
  std::vector<std::string> out;
  for (const auto& frame : h.Derived()) {
    std::string error;
    auto msg = DecodedMessage::Decode(frame, &error);
    out.emplace_back(msg->Root<wire::Event>().getType().cStr());
  }
  return out;
}

// An HTTP sender that answers with the next status of a script (then 200).
class ScriptedSender {
 public:
  explicit ScriptedSender(std::vector<int> statuses) : statuses_(std::move(statuses)) {}
  AttemptResult operator()(const WebhookRequest& r) {
    std::lock_guard<std::mutex> lock(mu_);
    AttemptResult result;
    result.delivery_id = r.delivery_id;
    result.attempt = r.attempt;
    result.http_status = sent_ < statuses_.size() ? statuses_[sent_] : 200;
    ++sent_;
    return result;
  }
  size_t sent() {
    std::lock_guard<std::mutex> lock(mu_);
    return sent_;
  }

 private:
  std::mutex mu_;
  std::vector<int> statuses_;
  size_t sent_ = 0;
};

}  // namespace

TEST_CASE(
    "notify in the harness: a failed attempt is retried when its timer falls due, and an "
    "ack calls the next retry off",
    "[notify][harness]") {
  ServiceHarness h(Options());
  NotifyConfig config = Config();
  ScriptedSender sender({503, 503});
  NotifyService service(h.host(), config, /*jitter_seed=*/1,
                        [&](const WebhookRequest& r) { return sender(r); });
  service.Start();
  REQUIRE(h.Start());

  h.Publish(AlertEvent(7, 1));
  REQUIRE(h.Settle([&] { return DeliveryTypes(h).size() == 1; }));
  CHECK(DeliveryTypes(h) == std::vector<std::string>{"notify.delivery_failed"});

  // The retry is a timer row: nothing is sent before it falls due.
  REQUIRE(h.Advance(5 * kMicrosPerSecond));
  CHECK(sender.sent() == 1);
  REQUIRE(h.Advance(6 * kMicrosPerSecond));
  REQUIRE(h.Settle([&] { return DeliveryTypes(h).size() == 2; }));
  CHECK(sender.sent() == 2);

  // The incident is acknowledged: the retry waiting for its timer is called off.
  h.Publish(AckEvent(7, 2));
  REQUIRE(h.Settle([&] { return DeliveryTypes(h).size() == 3; }));
  CHECK(DeliveryTypes(h) == std::vector<std::string>{"notify.delivery_failed",
                                                     "notify.delivery_failed",
                                                     "notify.delivery_stopped"});
  REQUIRE(h.Advance(60 * kMicrosPerSecond));
  CHECK(sender.sent() == 2);
}

TEST_CASE(
    "notify in the harness: an ack withdraws an attempt no worker has taken (never sent), and "
    "an attempt being sent has its result recorded without a retry",
    "[notify][harness]") {
  ServiceHarness h(Options());
  NotifyConfig config = Config(/*workers=*/1);
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::string> sent;  // bodies of the requests that reached the sender
  bool release = false;
  NotifyService service(h.host(), config, /*jitter_seed=*/1, [&](const WebhookRequest& r) {
    std::unique_lock<std::mutex> lock(mu);
    sent.push_back(r.body);
    cv.wait(lock, [&] { return release; });  // the one worker stays busy
    AttemptResult result;
    result.delivery_id = r.delivery_id;
    result.attempt = r.attempt;
    result.http_status = 503;
    return result;
  });
  service.Start();
  REQUIRE(h.Start());
  auto sent_count = [&] {
    std::lock_guard<std::mutex> lock(mu);
    return sent.size();
  };
  h.Publish(AlertEvent(7, 1));
  REQUIRE(h.Settle([&] { return sent_count() == 1; }));
  h.Publish(AlertEvent(8, 1));  // queued behind 7's attempt
  REQUIRE(h.Settle());
  h.Publish(AckEvent(8, 2));
  REQUIRE(h.Settle([&] { return DeliveryTypes(h).size() == 1; }));
  CHECK(DeliveryTypes(h) == std::vector<std::string>{"notify.delivery_stopped"});
  h.Publish(AckEvent(7, 2));  // while its attempt is being sent
  REQUIRE(h.Settle());
  {
    std::lock_guard<std::mutex> lock(mu);
    release = true;
  }
  cv.notify_all();
  REQUIRE(h.Settle([&] { return DeliveryTypes(h).size() == 2; }));
  REQUIRE(h.Advance(3600 * kMicrosPerSecond));
  CHECK(DeliveryTypes(h) ==
        std::vector<std::string>{"notify.delivery_stopped", "notify.delivery_failed"});
  std::string error;
  const std::string frame = h.Derived()[1];
  auto failed = DecodedMessage::Decode(frame, &error);
  auto body = failed->Root<wire::Event>().getBody().getAs<wire::DeliveryAttempt>();
  CHECK(body.getIncident() == 7);
  CHECK_FALSE(body.getWillRetry());
  REQUIRE(sent.size() == 1);  // 8's attempt was never sent
  CHECK(sent[0].find("\"incident\":7") != std::string::npos);
  CHECK(h.Metric("picket_service_jobs_cancelled_total{queue=\"webhook\"}") == 1);
}

}  // namespace picket::notify

namespace picket::notify {

TEST_CASE(
    "notify in the harness: an attempt whose incident the bus has acknowledged at a newer "
    "version is never sent, even when the ack is not applied yet when its check reads the "
    "bus's head",
    "[notify][harness]") {
  ServiceHarness h(Options());
  NotifyConfig config = Config(/*workers=*/1);
  ScriptedSender sender({});
  NotifyService service(h.host(), config, /*jitter_seed=*/1,
                        [&](const WebhookRequest& r) { return sender(r); });
  service.Start();
  REQUIRE(h.Start());
  auto& bus = h.bus();
  bus.answer_status = false;  // the check's head query waits until answered below
  h.Publish(AlertEvent(7, 1));
  REQUIRE(h.RunUntil([&] { return bus.status_requests == 1; }, std::chrono::milliseconds(10000)));
  // The ack is recorded on the bus but not applied when the head is read: the check waits
  // until notify has applied it, and its settling calls the attempt off before any worker
  // has it.
  bus.RecordEvent(AckEvent(7, 2));
  bus.AnswerStatus();
  bus.answer_status = true;
  REQUIRE(h.Settle([&] { return DeliveryTypes(h).size() == 1; }));
  CHECK(DeliveryTypes(h) == std::vector<std::string>{"notify.delivery_stopped"});
  CHECK(sender.sent() == 0);
  CHECK(h.Metric("picket_notify_deliveries_stopped_total") == 1);
  CHECK(h.Metric("picket_service_jobs_cancelled_total{queue=\"webhook\"}") == 1);
  std::string error;
  const std::string frame = h.Derived()[0];
  auto stopped = DecodedMessage::Decode(frame, &error);
  auto body = stopped->Root<wire::Event>().getBody().getAs<wire::DeliveryStopped>();
  CHECK(body.getAttempts() == 0);  // the attempt withheld is not counted
  CHECK(std::string(body.getReason().cStr()) == "acknowledged");
  REQUIRE(h.Advance(3600 * kMicrosPerSecond));
  CHECK(sender.sent() == 0);

  // An alert of the newer version (raised after the ack lapsed, say) is checked and sent.
  h.Publish(AlertEvent(7, 3));
  REQUIRE(h.Settle([&] { return DeliveryTypes(h).size() == 2; }));
  CHECK(sender.sent() == 1);
  CHECK(h.Metric("picket_notify_deliveries_stopped_total") == 1);
}

TEST_CASE(
    "notify in the harness: the webhook body says what happened: incident type, post, "
    "severity and the reporter's note",
    "[notify][harness]") {
  ServiceHarness h(Options());
  NotifyConfig config = Config();
  std::mutex mu;
  std::vector<std::string> bodies;
  NotifyService service(h.host(), config, /*jitter_seed=*/1, [&](const WebhookRequest& r) {
    std::lock_guard<std::mutex> lock(mu);
    bodies.push_back(r.body);
    AttemptResult result;
    result.delivery_id = r.delivery_id;
    result.attempt = r.attempt;
    result.http_status = 200;
    return result;
  });
  service.Start();
  REQUIRE(h.Start());
  h.Publish(MakeTypedEvent(
      event_types::kAlertRaised, kTestTime,
      [&](wire::AlertRaised::Builder b) {
        b.setIncident(9);
        b.setVersion(1);
        b.setPerson("ann");
        b.setLevel(1);
        b.setTarget("person:ann");
        b.setReason("opened");
        b.setIncidentType("intrusion");
        b.setPost("gate-1");
        b.setSeverity(wire::Severity::HIGH);
        b.setNote("fence cut near the north gate");
      },
      "escalation"));
  REQUIRE(h.Settle([&] { return DeliveryTypes(h).size() == 1; }));
  std::lock_guard<std::mutex> lock(mu);
  REQUIRE(bodies.size() == 1);
  auto body = nlohmann::json::parse(bodies[0]);
  CHECK(body["incident"] == 9);
  CHECK(body["type"] == "intrusion");
  CHECK(body["post"] == "gate-1");
  CHECK(body["severity"] == "high");
  CHECK(body["note"] == "fence cut near the north gate");
}

TEST_CASE(
    "notify in the harness: an alert or an ack that escalation did not publish pages nobody "
    "and calls nothing off",
    "[notify][harness]") {
  ServiceHarness h(Options());
  NotifyConfig config = Config();
  ScriptedSender sender({503});
  NotifyService service(h.host(), config, /*jitter_seed=*/1,
                        [&](const WebhookRequest& r) { return sender(r); });
  service.Start();
  REQUIRE(h.Start());

  // The forgery of the security issue: an alert for incident 999 from a terminal's name.
  h.Publish(AlertEvent(999, 1, "gate-1-terminal"));
  // A real alert fails once; a forged ack must not call its retry off.
  h.Publish(AlertEvent(7, 1));
  REQUIRE(h.Settle([&] { return DeliveryTypes(h).size() == 1; }));
  h.Publish(AckEvent(7, 2, "gate-1-terminal"));
  REQUIRE(h.Settle());
  CHECK(sender.sent() == 1);
  REQUIRE(h.Advance(11 * kMicrosPerSecond));
  REQUIRE(h.Settle([&] { return DeliveryTypes(h).size() == 2; }));
  CHECK(DeliveryTypes(h) ==
        std::vector<std::string>{"notify.delivery_failed", "notify.delivery_succeeded"});
  CHECK(sender.sent() == 2);
  CHECK(h.Metric("picket_service_events_foreign_total{service=\"notify\"}") == 2);
}

}  // namespace picket::notify
