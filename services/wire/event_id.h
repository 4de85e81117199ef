// EventId: the 16-byte identity of an event, chosen by its producer.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace picket {

class EventId {
 public:
  static constexpr size_t kSize = 16;

  EventId() = default;  // all zeros: "no id"
  explicit EventId(const std::array<uint8_t, kSize>& bytes) : bytes_(bytes) {}

  // A fresh random id (libsodium's CSPRNG). Thread-safe.
  static EventId Random();

  // The id of the `index`-th event that `service` derives from the event with sequence
  // number `cause_seq`: BLAKE2b-128 of (service, cause_seq, index). The same inputs always
  // give the same id, so a re-publish after a crash is dropped by the bus's dedup.
  static EventId Derived(std::string_view service, uint64_t cause_seq, uint32_t index);

  // The id of the `index`-th event `service` derives from an input that is not a bus event
  // (a timer firing, a command), named by `cause` (bytes unique per input, e.g. the timer
  // row or the command id): BLAKE2b-128 of ("picket.local.v1\0", u32be len, service,
  // u32be len, cause, u32be index). Never equal to a Derived id (domain separation).
  static EventId DerivedLocal(std::string_view service, std::string_view cause, uint32_t index);

  // Returns nullopt unless `bytes` is exactly 16 bytes.
  static std::optional<EventId> FromBytes(std::string_view bytes);
  // Returns nullopt unless `hex` is exactly 32 hex digits.
  static std::optional<EventId> FromHex(std::string_view hex);

  std::string ToHex() const;  // 32 lower-case hex digits
  std::string_view Bytes() const { return {reinterpret_cast<const char*>(bytes_.data()), kSize}; }
  bool IsZero() const;

  friend bool operator==(const EventId&, const EventId&) = default;
  friend auto operator<=>(const EventId&, const EventId&) = default;

 private:
  std::array<uint8_t, kSize> bytes_{};
};

}  // namespace picket
