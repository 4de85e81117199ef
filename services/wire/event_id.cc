#include "wire/event_id.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>

namespace picket {
namespace {

void EnsureSodium() {
  // sodium_init is idempotent and thread-safe; < 0 means no usable entropy source.
  if (sodium_init() < 0) std::abort();
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

EventId EventId::Random() {
  EnsureSodium();
  std::array<uint8_t, kSize> b;
  randombytes_buf(b.data(), b.size());
  return EventId(b);
}

EventId EventId::Derived(std::string_view service, uint64_t cause_seq, uint32_t index) {
  EnsureSodium();
  // Domain-separated, length-prefixed input so ("ab", 1) and ("a", ...) never collide.
  std::string input = "picket.derived.v1";
  input.push_back('\0');
  uint32_t len = static_cast<uint32_t>(service.size());
  for (int i = 3; i >= 0; --i) input.push_back(static_cast<char>((len >> (8 * i)) & 0xff));
  input.append(service);
  for (int i = 7; i >= 0; --i) input.push_back(static_cast<char>((cause_seq >> (8 * i)) & 0xff));
  for (int i = 3; i >= 0; --i) input.push_back(static_cast<char>((index >> (8 * i)) & 0xff));
  std::array<uint8_t, kSize> b;
  crypto_generichash(b.data(), b.size(), reinterpret_cast<const unsigned char*>(input.data()),
                     input.size(), nullptr, 0);
  return EventId(b);
}

namespace {
void AppendU32(std::string& s, uint32_t v) {
  for (int i = 3; i >= 0; --i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
}  // namespace

EventId EventId::DerivedLocal(std::string_view service, std::string_view cause, uint32_t index) {
  EnsureSodium();
  std::string input = "picket.local.v1";
  input.push_back('\0');
  AppendU32(input, static_cast<uint32_t>(service.size()));
  input.append(service);
  AppendU32(input, static_cast<uint32_t>(cause.size()));
  input.append(cause);
  AppendU32(input, index);
  std::array<uint8_t, kSize> b;
  crypto_generichash(b.data(), b.size(), reinterpret_cast<const unsigned char*>(input.data()),
                     input.size(), nullptr, 0);
  return EventId(b);
}

std::optional<EventId> EventId::FromBytes(std::string_view bytes) {
  if (bytes.size() != kSize) return std::nullopt;
  std::array<uint8_t, kSize> b;
  for (size_t i = 0; i < kSize; ++i) b[i] = static_cast<uint8_t>(bytes[i]);
  return EventId(b);
}

std::optional<EventId> EventId::FromHex(std::string_view hex) {
  if (hex.size() != 2 * kSize) return std::nullopt;
  std::array<uint8_t, kSize> b;
  for (size_t i = 0; i < kSize; ++i) {
    int hi = HexValue(hex[2 * i]), lo = HexValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    b[i] = static_cast<uint8_t>(hi * 16 + lo);
  }
  return EventId(b);
}

std::string EventId::ToHex() const {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(2 * kSize, '0');
  for (size_t i = 0; i < kSize; ++i) {
    out[2 * i] = kDigits[bytes_[i] >> 4];
    out[2 * i + 1] = kDigits[bytes_[i] & 0xf];
  }
  return out;
}

bool EventId::IsZero() const {
  for (uint8_t b : bytes_)
    if (b != 0) return false;
  return true;
}

}  // namespace picket
