#include "wire/chain_checkpoint.h"

#include <sodium.h>

#include <stdexcept>

namespace picket {
namespace {

void EnsureSodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialized");
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string CheckpointMessage(std::string_view site, uint64_t up_to, const ChainHash& tip) {
  std::string m = "picket.checkpoint.v1";
  m.push_back('\0');
  m.append(site);
  m.push_back('\0');
  for (int i = 7; i >= 0; --i) m.push_back(static_cast<char>((up_to >> (8 * i)) & 0xff));
  m.append(reinterpret_cast<const char*>(tip.data()), tip.size());
  return m;
}

CheckpointSignature SignCheckpoint(const SigningSecretKey& secret, std::string_view site,
                                   uint64_t up_to, const ChainHash& tip) {
  EnsureSodium();
  const std::string m = CheckpointMessage(site, up_to, tip);
  CheckpointSignature sig{};
  crypto_sign_detached(sig.data(), nullptr, reinterpret_cast<const unsigned char*>(m.data()),
                       m.size(), secret.data());
  return sig;
}

bool CheckpointSignatureValid(const SigningPublicKey& key, std::string_view site, uint64_t up_to,
                              const ChainHash& tip, const CheckpointSignature& signature) {
  EnsureSodium();
  const std::string m = CheckpointMessage(site, up_to, tip);
  return crypto_sign_verify_detached(signature.data(),
                                     reinterpret_cast<const unsigned char*>(m.data()), m.size(),
                                     key.data()) == 0;
}

void NewSigningKeys(SigningPublicKey* public_key, SigningSecretKey* secret_key) {
  EnsureSodium();
  crypto_sign_keypair(public_key->data(), secret_key->data());
}

SigningPublicKey PublicKeyOf(const SigningSecretKey& secret_key) {
  EnsureSodium();
  SigningPublicKey pk{};
  crypto_sign_ed25519_sk_to_pk(pk.data(), secret_key.data());
  return pk;
}

std::string Hex(const uint8_t* bytes, size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    out.push_back(kDigits[bytes[i] >> 4]);
    out.push_back(kDigits[bytes[i] & 0xf]);
  }
  return out;
}

template <size_t N>
std::optional<std::array<uint8_t, N>> FromHex(std::string_view text) {
  if (text.size() != 2 * N) return std::nullopt;
  std::array<uint8_t, N> out{};
  for (size_t i = 0; i < N; ++i) {
    int hi = HexDigit(text[2 * i]), lo = HexDigit(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return out;
}

template std::optional<std::array<uint8_t, 32>> FromHex<32>(std::string_view);
template std::optional<std::array<uint8_t, 64>> FromHex<64>(std::string_view);

}  // namespace picket
