#include "console/core/password.h"

#include <sodium.h>

#include <stdexcept>

namespace picket::console {
namespace {

void EnsureSodium() {
  // sodium_init is idempotent and thread-safe; < 0 means no usable random source.
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
}

}  // namespace

std::optional<std::string> HashPassword(std::string_view password, HashCost cost) {
  EnsureSodium();
  if (password.size() > kMaxPasswordBytes) return std::nullopt;
  unsigned long long ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
  size_t mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
  if (cost == HashCost::kMinimum) {
    ops = crypto_pwhash_OPSLIMIT_MIN;
    mem = crypto_pwhash_MEMLIMIT_MIN;
  }
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), ops, mem,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    return std::nullopt;
  return std::string(out);
}

bool VerifyPassword(std::string_view hash, std::string_view password) {
  EnsureSodium();
  if (password.size() > kMaxPasswordBytes || !LooksLikeArgon2idHash(hash)) return false;
  std::string terminated(hash);  // crypto_pwhash_str_verify reads a C string
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

bool LooksLikeArgon2idHash(std::string_view text) {
  constexpr std::string_view kPrefix = "$argon2id$v=19$m=";
  if (text.size() >= crypto_pwhash_STRBYTES || text.substr(0, kPrefix.size()) != kPrefix)
    return false;
  for (char c : text)
    if (c <= ' ' || c > '~') return false;
  return true;
}

}  // namespace picket::console
