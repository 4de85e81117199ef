// Guards' login and duress codes as stored in the terminal's configuration: a salted
// SHA-256, never the code itself.
//
//   stored = "sha256$" salt "$" hex(SHA-256(salt || code))
//   salt   = 8..64 lowercase hex digits, an even number (random, chosen by whoever writes
//            the config)
//
// Why a hash, and what it does not do: the config file sits on a box at a gate, and a
// duress code that can be read off it is worthless. A hash keeps the codes from being read
// at a glance or copied from a backup. It does NOT stop an attacker who has the file and
// time: a 4..8 digit code falls to brute force in seconds whatever the hash. Sites must
// still protect the file (mode 0600) and change codes when a terminal is lost. SHA-256 is
// written here (sha256.cc) because a core links nothing but the standard library; the
// adapter may later verify with libsodium's argon2id through the same two functions.
//
// Pure functions; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace picket::terminal {

// SHA-256 of `bytes` (FIPS 180-4).
std::array<uint8_t, 32> Sha256(std::string_view bytes);

// The stored form of `code` with `salt_hex` (as above; the caller checks
// it with IsStoredCode on the result).
std::string HashCode(std::string_view code, std::string_view salt_hex);

// Whether `stored` has the form above (it says nothing about which code it holds).
bool IsStoredCode(std::string_view stored);

// Whether `code` is the code `stored` holds. False for a malformed `stored` or an empty
// code. Compares digests in constant time.
bool CodeMatches(std::string_view stored, std::string_view code);

}  // namespace picket::terminal
