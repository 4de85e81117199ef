// Signed checkpoints of the hash chain: what is signed, and that any change is caught.
#include "wire/chain_checkpoint.h"

#include <catch2/catch.hpp>

namespace picket {

TEST_CASE("checkpoint: a signature holds for its site, seq and hash only", "[checkpoint]") {
  SigningPublicKey pk{};
  SigningSecretKey sk{};
  NewSigningKeys(&pk, &sk);
  CHECK(PublicKeyOf(sk) == pk);
  ChainHash tip{};
  for (size_t i = 0; i < tip.size(); ++i) tip[i] = static_cast<uint8_t>(i * 7);
  const CheckpointSignature sig = SignCheckpoint(sk, "north-plant", 1000, tip);
  CHECK(CheckpointSignatureValid(pk, "north-plant", 1000, tip, sig));

  CHECK_FALSE(CheckpointSignatureValid(pk, "south-plant", 1000, tip, sig));
  CHECK_FALSE(CheckpointSignatureValid(pk, "north-plant", 999, tip, sig));
  ChainHash other = tip;
  other[31] ^= 1;
  CHECK_FALSE(CheckpointSignatureValid(pk, "north-plant", 1000, other, sig));
  CheckpointSignature bent = sig;
  bent[0] ^= 0x80;
  CHECK_FALSE(CheckpointSignatureValid(pk, "north-plant", 1000, tip, bent));
  SigningPublicKey pk2{};
  SigningSecretKey sk2{};
  NewSigningKeys(&pk2, &sk2);
  CHECK_FALSE(CheckpointSignatureValid(pk2, "north-plant", 1000, tip, sig));
}

TEST_CASE("checkpoint: the signed message is the documented layout", "[checkpoint]") {
  ChainHash tip{};
  tip.fill(0xab);
  const std::string m = CheckpointMessage("s1", 0x0102030405060708ULL, tip);
  const std::string head =
      std::string("picket.checkpoint.v1") + '\0' + "s1" + '\0' + "\x01\x02\x03\x04\x05\x06\x07\x08";
  REQUIRE(m.size() == head.size() + 32);
  CHECK(m.substr(0, head.size()) == head);
  CHECK(m.substr(head.size()) == std::string(32, '\xab'));
}

TEST_CASE("checkpoint: hex round-trips and refuses anything but 2N hex digits", "[checkpoint]") {
  const std::array<uint8_t, 32> bytes = {0x00, 0x0f, 0xf0, 0xff};
  const std::string hex = Hex(bytes);
  CHECK(hex.substr(0, 8) == "000ff0ff");
  CHECK(FromHex<32>(hex) == bytes);
  CHECK(FromHex<32>("ABCDEF" + hex.substr(6))->at(0) == 0xab);
  CHECK_FALSE(FromHex<32>(hex.substr(1)));
  CHECK_FALSE(FromHex<32>(hex + "00"));
  CHECK_FALSE(FromHex<32>("g" + hex.substr(1)));
  CHECK_FALSE(FromHex<64>(hex));
}

}  // namespace picket
