#include "notify/core/delivery_keys.h"

#include "base/big_endian.h"
#include "base/hex.h"

#include "domain/record_codec.h"

#include <sodium.h>

namespace picket::notify::keys {
namespace {
constexpr std::string_view kTimerPrefix = "dlv/";
constexpr std::string_view kDeliveryDomain{"picket.notify.delivery.v1\0", 26};
}  // namespace

std::vector<std::string> AllTables() {
  return {std::string(kDeliveriesTable), std::string(kSettledTable)};
}

std::string DeliveryId(std::string_view alert_id, std::string_view channel) {
  crypto_generichash_state st;
  crypto_generichash_init(&st, nullptr, 0, 16);
  auto feed = [&](std::string_view s) {
    crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(s.data()), s.size());
  };
  feed(kDeliveryDomain);
  feed(alert_id);
  feed(channel);
  unsigned char out[16];
  crypto_generichash_final(&st, out, sizeof out);
  return std::string(reinterpret_cast<const char*>(out), sizeof out);
}

std::string Hex(std::string_view bytes) { return picket::Hex(bytes); }

std::string TimerId(std::string_view delivery_id) {
  return std::string(kTimerPrefix) + std::string(delivery_id);
}

std::optional<std::string> DecodeTimerId(std::string_view timer_id) {
  if (timer_id.size() != kTimerPrefix.size() + 16 || timer_id.substr(0, 4) != kTimerPrefix)
    return std::nullopt;
  return std::string(timer_id.substr(kTimerPrefix.size()));
}

std::string TimerPayload(uint32_t attempt) { return big_endian::U32(attempt); }

std::optional<uint32_t> DecodeTimerPayload(std::string_view payload) {
  return big_endian::ParseU32(payload);
}

constexpr std::string_view kSettledTimerPrefix = "set/";

std::string U64(uint64_t v) { return record::EncodeU64Key(v); }

std::optional<uint64_t> DecodeU64(std::string_view bytes) {
  uint64_t v = 0;
  if (!record::DecodeU64Key(bytes, &v)) return std::nullopt;
  return v;
}

std::string SettledTimerId(uint64_t incident) {
  return std::string(kSettledTimerPrefix) + U64(incident);
}

std::optional<uint64_t> DecodeSettledTimerId(std::string_view timer_id) {
  if (timer_id.substr(0, kSettledTimerPrefix.size()) != kSettledTimerPrefix) return std::nullopt;
  return DecodeU64(timer_id.substr(kSettledTimerPrefix.size()));
}

}  // namespace picket::notify::keys
