// The webhook body, its signature and its headers.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "notify/core/delivery_keys.h"
#include "notify/core/webhook_request.h"

namespace picket::notify {
namespace {

std::string Header(const WebhookRequest& r, const std::string& name) {
  for (const auto& [n, v] : r.headers)
    if (n == name) return v;
  return "<absent>";
}

Delivery Sample() {
  Delivery d;
  d.alert.event_id = std::string(16, '\x11');
  d.id = keys::DeliveryId(d.alert.event_id, "ops");
  d.channel = "ops";
  d.attempts = 3;
  d.alert.seq = 42;
  d.alert.recorded_at = 1'764'000'000'123'456;
  d.alert.incident = 7;
  d.alert.version = 4;
  d.alert.person = "ann";
  d.alert.level = 2;
  d.alert.pass = 1;
  d.alert.target = "role:duty_officer";
  d.alert.reason = "escalated";
  d.alert.lateness = 1500;
  d.alert.respond_by = 1'764'000'030'123'456;
  d.alert.incident_type = "intrusion";
  d.alert.post = "gate-1";
  d.alert.severity = "high";
  d.alert.note = "fence cut near the north gate";
  return d;
}

Channel Ops() {
  Channel c;
  c.name = "ops";
  std::string error;
  c.target = *ParseWebhookUrl("http://127.0.0.1:9000/hook?x=1", &error);
  c.secret = "0123456789abcdef-secret";
  c.timeout = 2 * kMicrosPerSecond;
  c.headers = {{"Authorization", "Bearer abc"}};
  return c;
}

}  // namespace

TEST_CASE("webhook signature: HMAC-SHA256 over timestamp.body matches an independent vector",
          "[notify][signature]") {
  // python3 -c "import hmac,hashlib; print(hmac.new(b'0123456789abcdef-secret',
  //   b'1764000000.{\"site\":\"north\"}', hashlib.sha256).hexdigest())"
  CHECK(Signature("0123456789abcdef-secret", 1764000000, R"({"site":"north"})") ==
        "sha256=ee3a83a45537a39f23aa60cc78a415d9f38db8c05c9a2aee28d46094224b1b7f");
  // A key longer than the SHA-256 block (64 bytes) is hashed first, as HMAC says:
  // hmac.new(b'k' * 100, b'1.x', hashlib.sha256).hexdigest()
  CHECK(Signature(std::string(100, 'k'), 1, "x") ==
        "sha256=8dc72019a8a249d8f2d36e36fac06f4497511f4f50cfee8600a5d97fb8a91da5");
  CHECK(Signature("0123456789abcdef-secret", 1764000001, R"({"site":"north"})") !=
        Signature("0123456789abcdef-secret", 1764000000, R"({"site":"north"})"));
}

TEST_CASE("webhook payload: every documented field, from the delivery", "[notify][payload]") {
  auto j = nlohmann::json::parse(PayloadJson(Sample(), "north"));
  CHECK(j["site"] == "north");
  CHECK(j["delivery_id"] == keys::Hex(Sample().id));
  CHECK(j["attempt"] == 3);
  CHECK(j["channel"] == "ops");
  CHECK(j["incident"] == 7);
  CHECK(j["version"] == 4);
  CHECK(j["person"] == "ann");
  CHECK(j["level"] == 2);
  CHECK(j["pass"] == 1);
  CHECK(j["fallback"] == false);
  CHECK(j["target"] == "role:duty_officer");
  CHECK(j["reason"] == "escalated");
  CHECK(j["alert_event_id"] == "11111111111111111111111111111111");
  CHECK(j["alert_seq"] == 42);
  CHECK(j["raised_at"] == 1'764'000'000'123'456);
  CHECK(j["respond_by"] == 1'764'000'030'123'456);
  CHECK(j["lateness"] == 1500);
  CHECK(j["type"] == "intrusion");
  CHECK(j["post"] == "gate-1");
  CHECK(j["severity"] == "high");
  CHECK(j["note"] == "fence cut near the north gate");
  CHECK(j.size() == 21);
}

TEST_CASE("webhook payload: text that is not UTF-8 is replaced, not an error",
          "[notify][payload]") {
  Delivery d = Sample();
  d.alert.person = "ann\xff\xfe";
  std::string body;
  REQUIRE_NOTHROW(body = PayloadJson(d, "north"));
  CHECK(nlohmann::json::parse(body)["person"] == "ann\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST_CASE("webhook request: headers carry a verifiable signature and the idempotency key",
          "[notify][signature]") {
  Micros now = 1'764'000'010'999'999;
  WebhookRequest r = BuildWebhookRequest(Sample(), Ops(), "north", now);
  CHECK(r.origin == "http://127.0.0.1:9000");
  CHECK(r.path == "/hook?x=1");
  CHECK(r.timeout == 2 * kMicrosPerSecond);
  CHECK(r.attempt == 3);
  CHECK(r.body == PayloadJson(Sample(), "north"));
  CHECK(Header(r, "X-Picket-Timestamp") == "1764000010");
  CHECK(Header(r, "X-Picket-Signature") ==
        Signature("0123456789abcdef-secret", 1764000010, r.body));
  CHECK(Header(r, "Idempotency-Key") == keys::Hex(Sample().id));
  CHECK(Header(r, "Authorization") == "Bearer abc");
  // Another attempt of the same delivery: same key, new body and signature.
  Delivery next = Sample();
  next.attempts = 4;
  WebhookRequest r2 = BuildWebhookRequest(next, Ops(), "north", now + kMicrosPerSecond);
  CHECK(Header(r2, "Idempotency-Key") == Header(r, "Idempotency-Key"));
  CHECK(Header(r2, "X-Picket-Signature") != Header(r, "X-Picket-Signature"));
}

}  // namespace picket::notify
