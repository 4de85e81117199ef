// Officers' passwords: argon2id hashes in libsodium's string format
// ("$argon2id$v=19$m=...,t=...,p=1$salt$hash"), which carries its own salt and cost, so a
// hash made at one cost verifies at any other.
//
// Hashing is deliberately slow (about 0.1-0.5 s and 64 MiB at kInteractive): call it on an
// HTTP worker thread or in a tool, never on an event loop. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace picket::console {

enum class HashCost {
  kInteractive,  // libsodium's OPSLIMIT/MEMLIMIT_INTERACTIVE: what hash-password uses
  kMinimum,      // the least libsodium allows: for tests only
};

// The argon2id hash string of `password`, or nullopt if libsodium cannot make one (out of
// memory, or a password over kMaxPasswordBytes).
std::optional<std::string> HashPassword(std::string_view password,
                                        HashCost cost = HashCost::kInteractive);

// Whether `password` matches `hash`. False for a hash that is not argon2id or is
// malformed, and for a password over kMaxPasswordBytes (no work is done then).
bool VerifyPassword(std::string_view hash, std::string_view password);

// Whether `text` has the shape of an argon2id hash string (for the config reader).
bool LooksLikeArgon2idHash(std::string_view text);

// Longer passwords are refused outright (bounds the work one request can cause).
inline constexpr size_t kMaxPasswordBytes = 1024;

}  // namespace picket::console
