// The stored formats of picket-notify, pinned byte for byte (DO NOT CHANGE them).
#include <catch2/catch.hpp>

#include "notify/core/delivery.h"
#include "notify/core/delivery_keys.h"

namespace picket::notify {
namespace {

std::string Bytes16() {
  std::string s;
  for (int i = 0; i < 16; ++i) s.push_back(static_cast<char>(i));
  return s;
}

Delivery Sample() {
  Delivery d;
  d.id = keys::DeliveryId(Bytes16(), "ops");
  d.channel = "ops";
  d.state = DeliveryState::kScheduled;
  d.attempts = 2;
  d.next_attempt_at = 1'764'000'005'000'000;
  d.created_at = 1'764'000'000'000'000;
  d.alert = Alert{Bytes16(),
                  42,
                  1'764'000'000'000'001,
                  7,
                  3,
                  "ann",
                  1,
                  0,
                  false,
                  "role:duty_officer",
                  "opened",
                  0,
                  1'764'000'030'000'000,
                  "intrusion",
                  "gate-1",
                  "high",
                  "fence cut"};
  return d;
}

// The bytes appended last: the alert's type, post, severity and note.
constexpr size_t kWhatTail = 4 + 9 + 4 + 6 + 4 + 4 + 4 + 9;
// And before them `stopped` and `stopped_by`.
constexpr size_t kStoppedTail = 4 + 8;

// Sample() as it decodes from a row written before the alert's what (`what`) or before
// `stopped` (`stopped`) existed.
Delivery Without(bool what, bool stopped) {
  Delivery d = Sample();
  if (what) d.alert.incident_type = d.alert.post = d.alert.severity = d.alert.note = "";
  if (stopped) {
    d.stopped.clear();
    d.stopped_by = 0;
  }
  return d;
}

}  // namespace

TEST_CASE("notify keys: the delivery id is BLAKE2b-128 of domain, alert id and channel",
          "[notify][keys]") {
  // python3: hashlib.blake2b(b'picket.notify.delivery.v1\x00' + bytes(range(16)) + b'ops',
  //                          digest_size=16).hexdigest()
  CHECK(keys::Hex(keys::DeliveryId(Bytes16(), "ops")) == "1e03db5c0717fce4be7425380a04028a");
  CHECK(keys::DeliveryId(Bytes16(), "ops") != keys::DeliveryId(Bytes16(), "ops2"));
  CHECK(keys::DeliveryId(Bytes16(), "ops").size() == 16);
}

TEST_CASE("notify keys: settled rows and their forget timers are pinned", "[notify][keys]") {
  CHECK(keys::Hex(keys::U64(0x0102030405060708)) == "0102030405060708");
  CHECK(keys::DecodeU64(keys::U64(42)) == 42u);
  CHECK_FALSE(keys::DecodeU64("1234567").has_value());
  CHECK(keys::SettledTimerId(7) == std::string("set/") + keys::U64(7));
  CHECK(keys::DecodeSettledTimerId(keys::SettledTimerId(7)) == 7u);
  CHECK_FALSE(keys::DecodeSettledTimerId("dlv/" + keys::U64(7)).has_value());
  CHECK_FALSE(keys::DecodeSettledTimerId("set/123").has_value());
  // A delivery timer id is never taken for a settled one, nor the other way round.
  CHECK_FALSE(keys::DecodeTimerId(keys::SettledTimerId(7)).has_value());
  CHECK(keys::AllTables() == std::vector<std::string>{"deliveries", "settled"});
}

TEST_CASE("notify keys: timer ids and payloads round-trip and refuse junk", "[notify][keys]") {
  std::string id = keys::DeliveryId(Bytes16(), "ops");
  CHECK(keys::TimerId(id) == "dlv/" + id);
  CHECK(keys::DecodeTimerId(keys::TimerId(id)) == id);
  CHECK_FALSE(keys::DecodeTimerId("dlv/short").has_value());
  CHECK_FALSE(keys::DecodeTimerId("esc/" + id).has_value());
  CHECK(keys::TimerPayload(258) == std::string("\x00\x00\x01\x02", 4));
  CHECK(keys::DecodeTimerPayload(keys::TimerPayload(7)) == 7u);
  CHECK_FALSE(keys::DecodeTimerPayload("abc").has_value());
}

TEST_CASE("notify keys: a delivery row round-trips and its encoding is pinned", "[notify][keys]") {
  Delivery d = Sample();
  std::string bytes = EncodeDelivery(d);
  auto back = DecodeDelivery(bytes);
  REQUIRE(back.has_value());
  CHECK(*back == d);
  // Version 1, then the fields in order (domain/record_codec.h encodings).
  CHECK(keys::Hex(bytes.substr(0, 5)) == "0100000010");
  CHECK(keys::Hex(bytes.substr(21, 4 + 3 + 1 + 4)) == "000000036f70730100000002");
  CHECK(bytes.size() == 1 + 20 + 7 + 1 + 4 + 8 + 8 + 20 + 8 + 8 + 8 + 8 + 7 + 4 + 4 + 1 + 21 + 10 +
                            8 + 8 + kStoppedTail + kWhatTail);
  // `stopped` and `stopped_by`, appended later; then the alert's type, post, severity, note.
  CHECK(keys::Hex(bytes.substr(bytes.size() - kWhatTail - kStoppedTail, kStoppedTail)) ==
        "000000000000000000000000");
  CHECK(bytes.substr(bytes.size() - kWhatTail) ==
        std::string("\0\0\0\x09intrusion\0\0\0\x06gate-1\0\0\0\x04high\0\0\0\x09"
                    "fence cut",
                    kWhatTail));

  d.stopped = "acknowledged";
  d.stopped_by = 77;
  auto stopped = DecodeDelivery(EncodeDelivery(d));
  REQUIRE(stopped.has_value());
  CHECK(*stopped == d);
}

TEST_CASE("notify keys: a row written before `stopped` existed still decodes", "[notify][keys]") {
  std::string bytes = EncodeDelivery(Sample());
  auto old = DecodeDelivery(bytes.substr(0, bytes.size() - kWhatTail - kStoppedTail));
  REQUIRE(old.has_value());
  CHECK(*old == Without(true, true));
  CHECK(old->stopped.empty());
  CHECK(old->stopped_by == 0);
}

TEST_CASE("notify keys: a row written before alerts carried type, post, severity and note decodes",
          "[notify][keys]") {
  Delivery d = Sample();
  d.stopped = "acknowledged";
  d.stopped_by = 77;
  std::string bytes = EncodeDelivery(d);
  auto old = DecodeDelivery(bytes.substr(0, bytes.size() - kWhatTail));
  REQUIRE(old.has_value());
  Delivery expected = Without(true, false);
  expected.stopped = "acknowledged";
  expected.stopped_by = 77;
  CHECK(*old == expected);
}

TEST_CASE("notify keys: truncated or malformed rows do not decode", "[notify][keys]") {
  std::string bytes = EncodeDelivery(Sample());
  for (size_t n = 0; n < bytes.size(); n += 7) {
    // The older layouts (without `stopped`, without the alert's what) decode.
    if (n == bytes.size() - kWhatTail - kStoppedTail || n == bytes.size() - kWhatTail) continue;
    CHECK_FALSE(DecodeDelivery(bytes.substr(0, n)).has_value());
  }
  std::string bad_state = bytes;
  bad_state[1 + 20 + 7] = 9;  // the state byte
  CHECK_FALSE(DecodeDelivery(bad_state).has_value());
  std::string bad_version = bytes;
  bad_version[0] = 2;
  CHECK_FALSE(DecodeDelivery(bad_version).has_value());
}

}  // namespace picket::notify
