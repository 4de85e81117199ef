// Signed checkpoints of the site log's hash chain (wire/event_chain.h, docs/security.md).
//
// The chain alone shows that a recorded event was changed, unless whoever changed it also
// recomputed every later link: all of it is public arithmetic. A checkpoint closes that: the
// bus signs the chain hash of its newest event with an Ed25519 key held only by the bus,
// and records the signature as an event of its own (bus.checkpoint, schemas/bus.capnp
// ChainCheckpoint). A verifier that holds the public key recomputes the chain; a log
// rewritten before a checkpoint no longer matches the hash it signed, and a new signature
// cannot be made without the secret key.
//
// The signed message: "picket.checkpoint.v1" 0x00 site 0x00 upTo (8 bytes, big-endian)
// tipHash (32 bytes). libsodium's crypto_sign_detached / crypto_sign_verify_detached.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/hex.h"
#include "wire/event_chain.h"

namespace picket {

using SigningPublicKey = std::array<uint8_t, 32>;
using SigningSecretKey = std::array<uint8_t, 64>;  // libsodium's: the seed, then the public key
using CheckpointSignature = std::array<uint8_t, 64>;

// The bytes that are signed.
std::string CheckpointMessage(std::string_view site, uint64_t up_to, const ChainHash& tip);

CheckpointSignature SignCheckpoint(const SigningSecretKey& secret, std::string_view site,
                                   uint64_t up_to, const ChainHash& tip);

bool CheckpointSignatureValid(const SigningPublicKey& key, std::string_view site, uint64_t up_to,
                              const ChainHash& tip, const CheckpointSignature& signature);

// A fresh key pair from libsodium's random source.
void NewSigningKeys(SigningPublicKey* public_key, SigningSecretKey* secret_key);
// The public key of a secret key.
SigningPublicKey PublicKeyOf(const SigningSecretKey& secret_key);

}  // namespace picket
