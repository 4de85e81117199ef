// Lowercase hex of bytes: the one way Picket shows ids and keys in logs and causes.
// Pure, header-only.
#pragma once

#include <string>
#include <string_view>

namespace picket {

inline std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

}  // namespace picket
