#include "bus/log_keys.h"

#include <catch2/catch.hpp>

namespace keys = picket::bus_keys;
using picket::EventId;

namespace {
EventId IdOf(uint8_t fill) {
  std::array<uint8_t, 16> b{};
  for (size_t i = 0; i < b.size(); ++i) b[i] = static_cast<uint8_t>(fill + i);
  return EventId(b);
}
}  // namespace

TEST_CASE("u64 keys are 8 big-endian bytes that sort numerically", "[bus][keys]") {
  // Pinned bytes: the on-disk format.
  CHECK(keys::EncodeU64(0x0102030405060708ULL) ==
        std::string("\x01\x02\x03\x04\x05\x06\x07\x08", 8));
  CHECK(keys::EventKey(1) == std::string("\0\0\0\0\0\0\0\x01", 8));
  for (uint64_t v : {0ULL, 1ULL, 255ULL, 256ULL, 1ULL << 40, ~0ULL}) {
    CHECK(keys::DecodeU64(keys::EncodeU64(v)) == v);
    CHECK(keys::DecodeEventKey(keys::EventKey(v)) == v);
  }
  CHECK(keys::EventKey(255) < keys::EventKey(256));
  CHECK(keys::EventKey(1ULL << 32) < keys::EventKey((1ULL << 32) + 1));
  CHECK_FALSE(keys::DecodeU64("short"));
  CHECK_FALSE(keys::DecodeU64(std::string(9, 'x')));
}

TEST_CASE("i64 values round-trip, negative ones too", "[bus][keys]") {
  for (int64_t v : {int64_t{0}, int64_t{1}, int64_t{-1}, int64_t{1764000000000000},
                    std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()})
    CHECK(keys::DecodeI64(keys::EncodeI64(v)) == v);
}

TEST_CASE("dedup key is the raw id", "[bus][keys]") {
  EventId id = IdOf(0x10);
  CHECK(keys::DedupKey(id) == std::string(id.Bytes()));
  CHECK(keys::DecodeDedupKey(keys::DedupKey(id)) == id);
  CHECK_FALSE(keys::DecodeDedupKey("0123456789abcde"));
}

TEST_CASE("dedup values round-trip and have a fixed layout", "[bus][keys]") {
  keys::DedupValue v{42, 1764000000123456};
  std::string bytes = keys::EncodeDedupValue(v);
  REQUIRE(bytes.size() == 16);
  CHECK(bytes.substr(0, 8) == keys::EncodeU64(42));
  CHECK(bytes.substr(8) == keys::EncodeI64(1764000000123456));
  CHECK(keys::DecodeDedupValue(bytes) == v);
  CHECK_FALSE(keys::DecodeDedupValue(bytes.substr(1)));
}

TEST_CASE("dedup order values round-trip and have a fixed layout", "[bus][keys]") {
  keys::DedupOrderValue v{IdOf(0x80), 1764000000999999};
  std::string bytes = keys::EncodeDedupOrderValue(v);
  REQUIRE(bytes.size() == 24);
  CHECK(bytes.substr(0, 16) == std::string(v.id.Bytes()));
  CHECK(keys::DecodeDedupOrderValue(bytes) == v);
  CHECK_FALSE(keys::DecodeDedupOrderValue(bytes + "x"));
}

TEST_CASE("names and the format version are frozen", "[bus][keys]") {
  CHECK(keys::kFormatVersion == 1);
  CHECK(std::string(keys::kEventsFamily) == "events");
  CHECK(std::string(keys::kDedupFamily) == "dedup");
  CHECK(std::string(keys::kDedupOrderFamily) == "dedup_order");
  CHECK(std::string(keys::kMetaFamily) == "meta");
  CHECK(std::string(keys::kMetaHeadSeq) == "head_seq");
  CHECK(std::string(keys::kMetaFirstSeq) == "first_seq");
  CHECK(std::string(keys::kMetaLastRecordedAt) == "last_rec");
  CHECK(std::string(keys::kMetaFormat) == "format");
}
