// What every libFuzzer harness of services/fuzz/ shares: the input as bytes or text, and
// the check of an invariant, which aborts (a crash libFuzzer records, with its input) when
// a decoder's result breaks a promise its header makes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace picket::fuzz {

inline std::string_view Bytes(const uint8_t* data, size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

// Aborts with `what` on stderr unless `ok`.
inline void Require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

}  // namespace picket::fuzz
