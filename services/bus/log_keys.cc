#include "bus/log_keys.h"

#include "base/big_endian.h"

namespace picket::bus_keys {

std::string EncodeU64(uint64_t v) { return big_endian::U64(v); }

std::optional<uint64_t> DecodeU64(std::string_view bytes) { return big_endian::ParseU64(bytes); }

std::string EncodeI64(int64_t v) { return EncodeU64(static_cast<uint64_t>(v)); }

std::optional<int64_t> DecodeI64(std::string_view bytes) {
  auto u = DecodeU64(bytes);
  if (!u) return std::nullopt;
  return static_cast<int64_t>(*u);
}

std::optional<EventId> DecodeDedupKey(std::string_view key) { return EventId::FromBytes(key); }

std::string EncodeDedupValue(const DedupValue& v) {
  return EncodeU64(v.seq) + EncodeI64(v.recorded_at);
}

std::optional<DedupValue> DecodeDedupValue(std::string_view bytes) {
  if (bytes.size() != 16) return std::nullopt;
  return DedupValue{*DecodeU64(bytes.substr(0, 8)), *DecodeI64(bytes.substr(8, 8))};
}

std::string EncodeDedupOrderValue(const DedupOrderValue& v) {
  return std::string(v.id.Bytes()) + EncodeI64(v.recorded_at);
}

std::optional<DedupOrderValue> DecodeDedupOrderValue(std::string_view bytes) {
  if (bytes.size() != 24) return std::nullopt;
  return DedupOrderValue{*EventId::FromBytes(bytes.substr(0, 16)), *DecodeI64(bytes.substr(16))};
}

}  // namespace picket::bus_keys
