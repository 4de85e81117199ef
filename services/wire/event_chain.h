// The site log's hash chain (tamper evidence, docs/security.md): every event the bus records
// carries in `prevHash` the chain hash of the event recorded just before it, so changing
// any byte of a recorded event (or deleting or inserting one) breaks the next link.
//
// ChainHashOf(e) = BLAKE2b-256 (crypto_generichash, no key) of the Cap'n Proto canonical
// encoding of e, `prevHash` included. Canonical form depends only on the values, not on how
// a message was laid out, so a client that gets the events over replay (re-encoded in a
// ReplayBatch) computes the same hashes as the bus that stored them.
//
// Pure: no I/O. Throws kj::Exception if `event` cannot be read (call it inside ReadSafely
// for untrusted bytes).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "picket/schemas/envelope.capnp.h"

namespace picket {

using ChainHash = std::array<uint8_t, 32>;

// The prevHash of the first event of a log: 32 zero bytes.
inline constexpr ChainHash kChainGenesis{};

ChainHash ChainHashOf(wire::Event::Reader event);

// The bus's way to record an event: its canonical encoding as a flat single-segment message
// (what it stores and sends), and the chain hash of it, in one pass.
struct CanonicalEvent {
  std::string bytes;  // segment table (one segment) + the canonical words
  ChainHash hash;
};
CanonicalEvent Canonical(wire::Event::Reader event);

// The event's prevHash, or nullopt if it has none of 32 bytes (recorded before the chain).
std::optional<ChainHash> PrevHashOf(wire::Event::Reader event);

// Lower-case hex, for messages.
std::string ChainHex(const ChainHash& hash);

}  // namespace picket
