// CURVE key pairs (ZeroMQ's CurveZMQ: Curve25519 keys, written as 40-character Z85 text)
// and the files that hold them.
//
// A key pair is two files in one folder, made by `picketctl keys new --name N`:
//   N.key   public and secret key, mode 0600: the process that is N reads it
//   N.pub   the public key alone: what the site config lists (docs/security.md)
// Both are text:
//   # picket CURVE key pair 'N' (keep N.key secret)
//   name = "N"
//   public = "<40 Z85 characters>"
//   secret = "<40 Z85 characters>"      (N.key only)
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace picket {

struct CurveKeyPair {
  std::string name;
  std::string public_key;  // Z85, 40 characters
  std::string secret_key;  // Z85, 40 characters; empty when read from a .pub file
};

inline constexpr size_t kZ85KeyChars = 40;

// How one client socket connects (ApplyCurveClient): plain when `server_public_key` is
// empty, else a CURVE client with `own` that admits only that server.
struct CurveClientKeys {
  CurveKeyPair own;
  std::string server_public_key;
  bool secure() const { return !server_public_key.empty(); }
};

// A fresh key pair from libzmq (libsodium's random source). Throws std::runtime_error if
// this libzmq has no CURVE.
CurveKeyPair NewCurveKeyPair(std::string name);

// Whether `text` is a Z85-encoded 32-byte key (40 characters of the Z85 alphabet).
bool IsZ85Key(std::string_view text);

// Whether `name` may name a key: 1-64 of [a-z0-9_.-], starting with a letter or digit.
bool IsKeyName(std::string_view name);

// Creates `path` (it must not exist) with `mode`, writes `text` and syncs it. False with
// *error (naming the path) otherwise.
bool WriteNewFile(const std::filesystem::path& path, const std::string& text, unsigned mode,
                  std::string* error);

// Writes dir/N.key (0600, created new: an existing file is not overwritten) and dir/N.pub.
// False with *error (naming the path) if either exists or cannot be written.
bool WriteKeyFiles(const std::filesystem::path& dir, const CurveKeyPair& keys, std::string* error);

// Reads the `field = "value"` lines of a key file at `path` (blank lines and # comments
// skipped), calling accept(field, value) for each; accept returns false for a field it
// does not take. False with *error ("path:line: ...") if the file cannot be read, a line
// is too long or malformed, or a field is refused.
bool ReadKeyFileLines(const std::filesystem::path& path,
                      const std::function<bool(const std::string&, const std::string&)>& accept,
                      std::string* error);

// Reads a .key or .pub file. nullopt with *error ("path:line: ...") if it is not one, or
// if `need_secret` and it has no secret key. A .key file readable by others is refused.
std::optional<CurveKeyPair> ReadKeyFile(const std::filesystem::path& path, bool need_secret,
                                        std::string* error);

}  // namespace picket
