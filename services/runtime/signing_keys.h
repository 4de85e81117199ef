// Ed25519 signing key pairs (the bus's checkpoint key, wire/chain_checkpoint.h) and their
// files, made by `picketctl keys new --name N --signing`:
//   N.sign     public and secret key, mode 0600: only picket-bus reads it
//   N.verify   the public key alone: what an auditor gives `picketctl audit verify`
// Both are text, like the CURVE key files (runtime/curve_keys.h), in hex:
//   # picket signing key pair 'N' (keep this file secret)
//   name = "N"
//   public = "<64 hex digits>"
//   secret = "<128 hex digits>"      (N.sign only)
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "wire/chain_checkpoint.h"

namespace picket {

struct SigningKeyPair {
  std::string name;
  SigningPublicKey public_key{};
  std::optional<SigningSecretKey> secret_key;  // none when read from a .verify file
};

SigningKeyPair NewSigningKeyPair(std::string name);

// Writes dir/N.sign (0600, created new) and dir/N.verify; nothing is overwritten. False
// with *error (naming the path) otherwise.
bool WriteSigningKeyFiles(const std::filesystem::path& dir, const SigningKeyPair& keys,
                          std::string* error);

// Reads a .sign or .verify file. nullopt with *error ("path:line: ...") if it is not one,
// or if `need_secret` and it has no secret key, or the secret key is readable by group or
// others, or the public key is not the secret key's.
std::optional<SigningKeyPair> ReadSigningKeyFile(const std::filesystem::path& path,
                                                 bool need_secret, std::string* error);

}  // namespace picket
