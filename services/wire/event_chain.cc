#include "wire/event_chain.h"

#include <capnp/message.h>
#include <sodium.h>

#include <algorithm>

#include "base/hex.h"

namespace picket {

namespace {

ChainHash Blake2b(kj::ArrayPtr<const kj::byte> bytes) {
  ChainHash hash;
  crypto_generichash(hash.data(), hash.size(), bytes.begin(), bytes.size(), nullptr, 0);
  return hash;
}

}  // namespace

ChainHash ChainHashOf(wire::Event::Reader event) {
  kj::Array<capnp::word> canonical = capnp::canonicalize(event);
  return Blake2b(canonical.asBytes());
}

CanonicalEvent Canonical(wire::Event::Reader event) {
  kj::Array<capnp::word> canonical = capnp::canonicalize(event);
  auto words = canonical.asBytes();
  CanonicalEvent out;
  out.hash = Blake2b(words);
  // The flat-array segment table of one segment: (segment count - 1) = 0, then its size in
  // words, each a little-endian u32 (the Cap'n Proto encoding spec, "Serialization").
  const uint32_t table[2] = {0, static_cast<uint32_t>(canonical.size())};
  uint8_t header[8];
  for (int i = 0; i < 2; ++i)
    for (int b = 0; b < 4; ++b) header[4 * i + b] = static_cast<uint8_t>(table[i] >> (8 * b));
  out.bytes.reserve(sizeof header + words.size());
  out.bytes.append(reinterpret_cast<const char*>(header), sizeof header);
  out.bytes.append(reinterpret_cast<const char*>(words.begin()), words.size());
  return out;
}

std::optional<ChainHash> PrevHashOf(wire::Event::Reader event) {
  if (!event.hasPrevHash()) return std::nullopt;
  auto data = event.getPrevHash();
  if (data.size() != sizeof(ChainHash)) return std::nullopt;
  ChainHash hash;
  std::copy(data.begin(), data.end(), hash.begin());
  return hash;
}

std::string ChainHex(const ChainHash& hash) { return Hex(hash); }

}  // namespace picket
