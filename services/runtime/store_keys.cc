#include "runtime/store_keys.h"

#include <algorithm>

#include "base/big_endian.h"

namespace picket::store_keys {
namespace {

constexpr uint64_t kSignBit = uint64_t{1} << 63;
constexpr size_t kJobFixedBytes = 8 + 4 + 8 + 1;  // token, tries, not_before, flags

}  // namespace

std::string EncodeU64(uint64_t v) {
  std::string out;
  big_endian::Append(out, v, 8);
  return out;
}

std::optional<uint64_t> DecodeU64(std::string_view bytes) {
  if (bytes.size() != 8) return std::nullopt;
  return big_endian::Read(bytes, 0, 8);
}

std::string EncodeTimerKey(int64_t due, std::string_view timer_id) {
  std::string out = EncodeU64(static_cast<uint64_t>(due) ^ kSignBit);
  out.append(timer_id);
  return out;
}

std::optional<TimerKey> DecodeTimerKey(std::string_view key) {
  if (key.size() < 8) return std::nullopt;
  TimerKey k;
  k.due = static_cast<int64_t>(big_endian::Read(key, 0, 8) ^ kSignBit);
  k.timer_id = std::string(key.substr(8));
  return k;
}

std::string EncodeTimerDue(int64_t due) { return EncodeTimerKey(due, ""); }

std::optional<int64_t> DecodeTimerDue(std::string_view bytes) {
  if (bytes.size() != 8) return std::nullopt;
  return static_cast<int64_t>(big_endian::Read(bytes, 0, 8) ^ kSignBit);
}

std::string TimerUpperBound(int64_t due) {
  // Every key of a timer due at `due` starts with EncodeU64(due ^ sign); the next 8-byte
  // value is strictly greater than all of them. due == INT64_MAX has no upper bound key
  // of 8 bytes; 9 bytes of 0xff sort after every timer key with an id shorter than that.
  if (due == INT64_MAX) return std::string(9, '\xff');
  return EncodeU64((static_cast<uint64_t>(due) ^ kSignBit) + 1);
}

std::string EncodeDeadLetter(const DeadLetter& d) {
  std::string out;
  big_endian::Append(out, d.code, 2);
  big_endian::Append(out, d.message.size(), 4);
  out.append(d.message);
  out.append(d.event);
  return out;
}

std::optional<DeadLetter> DecodeDeadLetter(std::string_view bytes) {
  if (bytes.size() < 6) return std::nullopt;
  DeadLetter d;
  d.code = static_cast<uint16_t>(big_endian::Read(bytes, 0, 2));
  uint64_t len = big_endian::Read(bytes, 2, 4);
  if (len > bytes.size() - 6) return std::nullopt;
  d.message = std::string(bytes.substr(6, len));
  d.event = std::string(bytes.substr(6 + len));
  return d;
}

std::string EncodeCommandRecord(const CommandRecord& r) {
  return EncodeU64(static_cast<uint64_t>(r.applied_at)) + r.reply;
}

std::optional<CommandRecord> DecodeCommandRecord(std::string_view bytes) {
  if (bytes.size() < 8) return std::nullopt;
  auto at = DecodeU64(bytes.substr(0, 8));
  return CommandRecord{static_cast<int64_t>(*at), std::string(bytes.substr(8))};
}

std::string EncodeJobKey(std::string_view queue, std::string_view id) {
  std::string out;
  out.push_back(static_cast<char>(std::min(queue.size(), kMaxJobQueueBytes)));
  out.append(queue.substr(0, kMaxJobQueueBytes));
  out.append(id);
  return out;
}

std::optional<JobKey> DecodeJobKey(std::string_view key) {
  if (key.empty()) return std::nullopt;
  size_t n = static_cast<uint8_t>(key[0]);
  if (key.size() < 1 + n) return std::nullopt;
  return JobKey{std::string(key.substr(1, n)), std::string(key.substr(1 + n))};
}

std::string EncodeJobRecord(const JobRecord& r) {
  std::string out;
  out.reserve(kJobFixedBytes + r.payload.size());
  big_endian::Append(out, r.token, 8);
  big_endian::Append(out, r.tries, 4);
  big_endian::Append(out, static_cast<uint64_t>(r.not_before) ^ kSignBit, 8);
  out.push_back(r.cancelled ? 1 : 0);
  out.append(r.payload);
  return out;
}

std::optional<JobRecord> DecodeJobRecord(std::string_view bytes) {
  if (bytes.size() < kJobFixedBytes) return std::nullopt;
  JobRecord r;
  r.token = big_endian::Read(bytes, 0, 8);
  r.tries = static_cast<uint32_t>(big_endian::Read(bytes, 8, 4));
  r.not_before = static_cast<int64_t>(big_endian::Read(bytes, 12, 8) ^ kSignBit);
  r.cancelled = (static_cast<uint8_t>(bytes[20]) & 1) != 0;
  r.payload = std::string(bytes.substr(kJobFixedBytes));
  return r;
}

}  // namespace picket::store_keys
