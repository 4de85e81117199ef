// Big-endian integers in byte strings: the one encoding of numbers in Picket's keys and
// stored values (most significant byte first, so keys sort like the numbers). Every
// service's key module builds on these; the formats they make are frozen per service.
// Pure, header-only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace picket::big_endian {

// Appends the low `bytes` bytes (1..8) of `v`, most significant first.
inline void Append(std::string& out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

// Reads `bytes` bytes (1..8) at `pos`. The caller has checked in.size() >= pos + bytes.
inline uint64_t Read(std::string_view in, size_t pos, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v = (v << 8) | static_cast<uint8_t>(in[pos + i]);
  return v;
}

inline std::string U64(uint64_t v) {
  std::string out;
  Append(out, v, 8);
  return out;
}
// Nullopt unless `bytes` is exactly 8 bytes.
inline std::optional<uint64_t> ParseU64(std::string_view bytes) {
  if (bytes.size() != 8) return std::nullopt;
  return Read(bytes, 0, 8);
}

inline std::string U32(uint32_t v) {
  std::string out;
  Append(out, v, 4);
  return out;
}
// Nullopt unless `bytes` is exactly 4 bytes.
inline std::optional<uint32_t> ParseU32(std::string_view bytes) {
  if (bytes.size() != 4) return std::nullopt;
  return static_cast<uint32_t>(Read(bytes, 0, 4));
}

}  // namespace picket::big_endian
