#include "runtime/signing_keys.h"

#include <sys/stat.h>

#include "runtime/curve_keys.h"

namespace picket {
namespace {

std::string Render(const SigningKeyPair& k, bool with_secret) {
  std::string out = "# picket signing key pair '" + k.name + "'" +
                    (with_secret ? " (keep this file secret)\n" : " (public key)\n");
  out += "name = \"" + k.name + "\"\n";
  out += "public = \"" + Hex(k.public_key) + "\"\n";
  if (with_secret && k.secret_key) out += "secret = \"" + Hex(*k.secret_key) + "\"\n";
  return out;
}

}  // namespace

SigningKeyPair NewSigningKeyPair(std::string name) {
  SigningKeyPair k;
  k.name = std::move(name);
  SigningSecretKey secret{};
  NewSigningKeys(&k.public_key, &secret);
  k.secret_key = secret;
  return k;
}

bool WriteSigningKeyFiles(const std::filesystem::path& dir, const SigningKeyPair& keys,
                          std::string* error) {
  const auto secret = dir / (keys.name + ".sign");
  const auto pub = dir / (keys.name + ".verify");
  if (std::filesystem::exists(pub)) {
    *error = pub.string() + ": already exists (not overwritten)";
    return false;
  }
  if (!WriteNewFile(secret, Render(keys, true), 0600, error)) return false;
  if (!WriteNewFile(pub, Render(keys, false), 0644, error)) {
    std::filesystem::remove(secret);
    return false;
  }
  return true;
}

std::optional<SigningKeyPair> ReadSigningKeyFile(const std::filesystem::path& path,
                                                 bool need_secret, std::string* error) {
  SigningKeyPair k;
  bool has_public = false;
  const bool read = ReadKeyFileLines(
      path,
      [&](const std::string& field, const std::string& value) {
        if (field == "name" && IsKeyName(value)) {
          k.name = value;
        } else if (auto pk = field == "public" ? FromHex<32>(value) : std::nullopt) {
          k.public_key = *pk;
          has_public = true;
        } else if (auto sk = field == "secret" ? FromHex<64>(value) : std::nullopt) {
          k.secret_key = *sk;
        } else {
          return false;
        }
        return true;
      },
      error);
  if (!read) return std::nullopt;
  if (k.name.empty() || !has_public) {
    *error = path.string() + ": not a picket signing key file (no name or public key)";
    return std::nullopt;
  }
  if (need_secret) {
    if (!k.secret_key) {
      *error = path.string() + ": has no secret key (a .verify file? the bus needs its .sign)";
      return std::nullopt;
    }
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
      *error = path.string() + ": a secret key readable by group or others (chmod 600 it)";
      return std::nullopt;
    }
    if (PublicKeyOf(*k.secret_key) != k.public_key) {
      *error = path.string() + ": the public key is not the secret key's";
      return std::nullopt;
    }
  }
  return k;
}

}  // namespace picket
