#include "escalation/core/incident_keys.h"

#include "base/big_endian.h"

#include "domain/record_codec.h"

namespace picket::escalation::keys {
namespace {

constexpr std::string_view kTimerPrefix = "esc/";  // DO NOT CHANGE: stored

}  // namespace

std::vector<std::string> AllTables() {
  return {std::string(kIncidentsTable), std::string(kHistoryTable),  std::string(kGroupKeysTable),
          std::string(kOpenTable),      std::string(kCountersTable), std::string(kRosterTable)};
}

std::string EncodeId(uint64_t id) { return record::EncodeU64Key(id); }

std::optional<uint64_t> DecodeId(std::string_view bytes) {
  uint64_t v = 0;
  if (!record::DecodeU64Key(bytes, &v)) return std::nullopt;
  return v;
}

std::string IncidentKey(uint64_t id) { return EncodeId(id); }
std::optional<uint64_t> DecodeIncidentKey(std::string_view key) { return DecodeId(key); }

std::string HistoryPrefix(uint64_t id) { return EncodeId(id); }

std::string HistoryKey(uint64_t id, uint32_t n) {
  std::string key = EncodeId(id);
  big_endian::Append(key, n, 4);
  return key;
}

std::optional<HistoryKeyParts> DecodeHistoryKey(std::string_view key) {
  if (key.size() != 12) return std::nullopt;
  HistoryKeyParts parts;
  parts.id = *DecodeId(key.substr(0, 8));
  parts.n = static_cast<uint32_t>(big_endian::Read(key, 8, 4));
  return parts;
}

std::string GroupKey(std::string_view type, std::string_view rendered_key) {
  std::string key(type);
  key.push_back('\0');
  key.append(rendered_key);
  return key;
}

std::string TimerId(uint64_t incident) { return std::string(kTimerPrefix) + EncodeId(incident); }

std::optional<uint64_t> DecodeTimerId(std::string_view timer_id) {
  if (timer_id.substr(0, kTimerPrefix.size()) != kTimerPrefix) return std::nullopt;
  return DecodeId(timer_id.substr(kTimerPrefix.size()));
}

std::string TimerPayload(uint64_t version) { return EncodeId(version); }
std::optional<uint64_t> DecodeTimerPayload(std::string_view payload) { return DecodeId(payload); }

}  // namespace picket::escalation::keys
