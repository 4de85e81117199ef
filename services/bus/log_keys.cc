#include "bus/log_keys.h"

namespace picket::bus_keys {

std::string EncodeU64(uint64_t v) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i) {
    out[static_cast<size_t>(i)] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
  return out;
}

std::optional<uint64_t> DecodeU64(std::string_view bytes) {
  if (bytes.size() != 8) return std::nullopt;
  uint64_t v = 0;
  for (char c : bytes) v = (v << 8) | static_cast<uint8_t>(c);
  return v;
}

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
