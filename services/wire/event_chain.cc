#include "wire/event_chain.h"

#include <capnp/message.h>
#include <sodium.h>

#include <algorithm>

#include "base/hex.h"

namespace picket {

ChainHash ChainHashOf(wire::Event::Reader event) {
  kj::Array<capnp::word> canonical = capnp::canonicalize(event);
  auto bytes = canonical.asBytes();
  ChainHash hash;
  crypto_generichash(hash.data(), hash.size(), bytes.begin(), bytes.size(), nullptr, 0);
  return hash;
}

std::optional<ChainHash> PrevHashOf(wire::Event::Reader event) {
  if (!event.hasPrevHash()) return std::nullopt;
  auto data = event.getPrevHash();
  if (data.size() != sizeof(ChainHash)) return std::nullopt;
  ChainHash hash;
  std::copy(data.begin(), data.end(), hash.begin());
  return hash;
}

std::string ChainHex(const ChainHash& hash) {
  return Hex(std::string_view(reinterpret_cast<const char*>(hash.data()), hash.size()));
}

}  // namespace picket
