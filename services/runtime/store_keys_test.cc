#include "runtime/store_keys.h"

#include <catch2/catch.hpp>

#include <climits>

namespace picket::store_keys {

TEST_CASE("u64 keys are big-endian and round-trip", "[store_keys]") {
  // DO NOT CHANGE: these bytes are on disk.
  CHECK(EncodeU64(0x0102030405060708ULL) == std::string("\x01\x02\x03\x04\x05\x06\x07\x08", 8));
  for (uint64_t v : {uint64_t{0}, uint64_t{1}, uint64_t{255}, uint64_t{256}, UINT64_MAX})
    CHECK(DecodeU64(EncodeU64(v)) == v);
  CHECK(EncodeU64(255) < EncodeU64(256));
  CHECK_FALSE(DecodeU64("short").has_value());
  CHECK_FALSE(DecodeU64(std::string(9, 'x')).has_value());
}

TEST_CASE("Timer keys sort by due time, then id, and round-trip", "[store_keys]") {
  CHECK(EncodeTimerKey(1, "") == std::string("\x80\0\0\0\0\0\0\x01", 8));
  CHECK(EncodeTimerKey(-5, "z") < EncodeTimerKey(0, "a"));
  CHECK(EncodeTimerKey(100, "b") < EncodeTimerKey(101, "a"));
  CHECK(EncodeTimerKey(100, "a") < EncodeTimerKey(100, "b"));
  for (int64_t due : {INT64_MIN, int64_t{-1}, int64_t{0}, int64_t{1764000000000000}, INT64_MAX}) {
    auto k = DecodeTimerKey(EncodeTimerKey(due, "round/7"));
    REQUIRE(k.has_value());
    CHECK(k->due == due);
    CHECK(k->timer_id == "round/7");
  }
  CHECK_FALSE(DecodeTimerKey("1234567").has_value());
  CHECK(EncodeTimerKey(100, "zzzz") < TimerUpperBound(100));
  CHECK_FALSE(EncodeTimerKey(101, "") < TimerUpperBound(100));
}

TEST_CASE("Timer index values are the due prefix of a timer key and round-trip", "[store_keys]") {
  // DO NOT CHANGE: these bytes are on disk.
  CHECK(EncodeTimerDue(1) == std::string("\x80\0\0\0\0\0\0\x01", 8));
  for (int64_t due : {INT64_MIN, int64_t{-1}, int64_t{0}, int64_t{1764000000000000}, INT64_MAX})
    CHECK(DecodeTimerDue(EncodeTimerDue(due)) == due);
  CHECK_FALSE(DecodeTimerDue("1234567").has_value());
  CHECK_FALSE(DecodeTimerDue(std::string(9, 'x')).has_value());
}

TEST_CASE("Dead letters round-trip and reject truncation", "[store_keys]") {
  DeadLetter d{11, "unknown type", std::string("\0\1\2event", 8)};
  std::string bytes = EncodeDeadLetter(d);
  CHECK(bytes.substr(0, 6) == std::string("\0\x0b\0\0\0\x0c", 6));
  auto back = DecodeDeadLetter(bytes);
  REQUIRE(back.has_value());
  CHECK(back->code == 11);
  CHECK(back->message == "unknown type");
  CHECK(back->event == d.event);
  CHECK_FALSE(DecodeDeadLetter(bytes.substr(0, 10)).has_value());
  CHECK_FALSE(DecodeDeadLetter("abc").has_value());
}

}  // namespace picket::store_keys

TEST_CASE("Command records round-trip and reject truncation", "[store_keys]") {
  using namespace picket::store_keys;
  CommandRecord r{1'764'000'000'000'123, std::string("reply\0bytes", 11)};
  auto back = DecodeCommandRecord(EncodeCommandRecord(r));
  REQUIRE(back);
  CHECK(back->applied_at == r.applied_at);
  CHECK(back->reply == r.reply);
  CHECK(DecodeCommandRecord(EncodeCommandRecord({5, ""}))->reply.empty());
  CHECK_FALSE(DecodeCommandRecord("1234567").has_value());
}

TEST_CASE("Job keys and records round-trip, sort by queue, and reject truncation", "[store_keys]") {
  using namespace picket::store_keys;
  std::string key = EncodeJobKey("webhook", std::string("id\0x", 4));
  CHECK(key == std::string("\x07webhookid\0x", 12));
  auto k = DecodeJobKey(key);
  REQUIRE(k);
  CHECK(k->queue == "webhook");
  CHECK(k->id == std::string("id\0x", 4));
  CHECK(EncodeJobKey("a", "zzz") < EncodeJobKey("b", "a"));  // same-length queues group
  CHECK_FALSE(DecodeJobKey("").has_value());
  CHECK_FALSE(DecodeJobKey("\x09short").has_value());

  JobRecord r{0x0102030405060708, 3, -5, true, std::string("pay\0load", 8)};
  std::string bytes = EncodeJobRecord(r);
  CHECK(bytes.substr(0, 12) == std::string("\1\2\3\4\5\6\7\x08\0\0\0\3", 12));
  CHECK(DecodeJobRecord(bytes) == r);
  JobRecord plain{1, 0, 1'764'000'000'000'000, false, ""};
  CHECK(DecodeJobRecord(EncodeJobRecord(plain)) == plain);
  CHECK_FALSE(DecodeJobRecord(bytes.substr(0, 20)).has_value());
}
