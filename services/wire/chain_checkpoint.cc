#include "wire/chain_checkpoint.h"

#include <sodium.h>

#include <stdexcept>

namespace picket {
namespace {

void EnsureSodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialized");
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

}  // namespace picket
