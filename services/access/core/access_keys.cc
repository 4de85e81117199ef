#include "access/core/access_keys.h"

#include "base/big_endian.h"

namespace picket::access::keys {
namespace {

constexpr std::string_view kOverstayPrefix = "ovs/";  // DO NOT CHANGE: stored
constexpr char kWatchByName = 'n';                    // DO NOT CHANGE: stored
constexpr char kWatchByPerson = 'p';                  // DO NOT CHANGE: stored
constexpr uint64_t kTimeBias = uint64_t{1} << 63;
constexpr int64_t kDayBias = int64_t{1} << 31;
constexpr Micros kMicrosPerDay = 86400 * kMicrosPerSecond;

std::string TextPrefix(char tag, std::string_view text) {
  std::string key;
  if (tag) key.push_back(tag);
  key.append(text);
  key.push_back('\0');
  return key;
}

}  // namespace

std::vector<std::string> AllTables() {
  return {std::string(kPeopleTable),         std::string(kPassesTable),
          std::string(kPersonPassesTable),   std::string(kWatchlistTable),
          std::string(kWatchlistIndexTable), std::string(kVisitsTable),
          std::string(kVisitsByDayTable),    std::string(kOnSiteTable),
          std::string(kArrivalsTable),       std::string(kCountersTable),
          std::string(kPendingWalkUpsTable)};
}

std::string U64(uint64_t v) { return big_endian::U64(v); }
std::optional<uint64_t> DecodeU64(std::string_view bytes) { return big_endian::ParseU64(bytes); }

std::string PersonPassPrefix(std::string_view person) { return TextPrefix(0, person); }
std::string PersonPassKey(std::string_view person, std::string_view code) {
  return PersonPassPrefix(person) + std::string(code);
}
std::optional<std::string> DecodePersonPassKey(std::string_view key) {
  size_t zero = key.find('\0');
  if (zero == std::string_view::npos || zero + 1 == key.size()) return std::nullopt;
  return std::string(key.substr(zero + 1));
}

std::string WatchNamePrefix(std::string_view normalized_name) {
  return TextPrefix(kWatchByName, normalized_name);
}
std::string WatchNameKey(std::string_view normalized_name, uint64_t id) {
  return WatchNamePrefix(normalized_name) + U64(id);
}
std::string WatchPersonPrefix(std::string_view person) {
  return TextPrefix(kWatchByPerson, person);
}
std::string WatchPersonKey(std::string_view person, uint64_t id) {
  return WatchPersonPrefix(person) + U64(id);
}
std::string WatchAnyNamePrefix() { return std::string(1, kWatchByName); }
std::optional<std::string> DecodeWatchNameKey(std::string_view key) {
  if (key.empty() || key[0] != kWatchByName || !DecodeWatchIndexId(key)) return std::nullopt;
  return std::string(key.substr(1, key.size() - 10));
}
std::optional<uint64_t> DecodeWatchIndexId(std::string_view key) {
  if (key.size() < 10 || key[key.size() - 9] != '\0') return std::nullopt;
  return DecodeU64(key.substr(key.size() - 8));
}

uint32_t DayOf(Micros t) {
  int64_t day = t / kMicrosPerDay - ((t % kMicrosPerDay) < 0 ? 1 : 0);
  return static_cast<uint32_t>(day + kDayBias);
}

std::string VisitDayPrefix(uint32_t day) { return big_endian::U32(day); }

std::string VisitTimeKey(Micros checked_in_at, uint64_t visit) {
  std::string key = VisitDayPrefix(DayOf(checked_in_at));
  big_endian::Append(key, static_cast<uint64_t>(checked_in_at) + kTimeBias, 8);
  big_endian::Append(key, visit, 8);
  return key;
}

std::optional<VisitTimeKeyParts> DecodeVisitTimeKey(std::string_view key) {
  if (key.size() != 20) return std::nullopt;
  VisitTimeKeyParts parts;
  parts.checked_in_at = static_cast<Micros>(big_endian::Read(key, 4, 8) - kTimeBias);
  parts.visit = big_endian::Read(key, 12, 8);
  if (DayOf(parts.checked_in_at) != big_endian::Read(key, 0, 4)) return std::nullopt;
  return parts;
}

std::string OverstayTimerId(uint64_t visit) { return std::string(kOverstayPrefix) + U64(visit); }
std::optional<uint64_t> DecodeOverstayTimerId(std::string_view timer_id) {
  if (timer_id.substr(0, kOverstayPrefix.size()) != kOverstayPrefix) return std::nullopt;
  return DecodeU64(timer_id.substr(kOverstayPrefix.size()));
}
std::string OverstayPayload(uint32_t number) { return big_endian::U32(number); }
std::optional<uint32_t> DecodeOverstayPayload(std::string_view payload) {
  return big_endian::ParseU32(payload);
}

}  // namespace picket::access::keys
