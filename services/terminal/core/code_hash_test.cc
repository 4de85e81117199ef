// Stored codes: SHA-256 against the FIPS 180-4 vectors, the stored form, matching.
#include "terminal/core/code_hash.h"

#include <catch2/catch.hpp>

#include <string>

namespace picket::terminal {
namespace {

std::string HexOf(const std::array<uint8_t, 32>& d) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (uint8_t b : d) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 15]);
  }
  return out;
}

}  // namespace

TEST_CASE("code hash: SHA-256 matches the standard test vectors", "[terminal][code]") {
  CHECK(HexOf(Sha256("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(HexOf(Sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // 56 bytes: the padding needs a second block.
  CHECK(HexOf(Sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  // Several whole blocks.
  CHECK(HexOf(Sha256(std::string(1000, 'a'))) ==
        "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3");
  // 64 bytes exactly: a whole block, then a padding block.
  CHECK(HexOf(Sha256(std::string(64, 'a'))) ==
        "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

TEST_CASE("code hash: a stored code matches its code and nothing else", "[terminal][code]") {
  const std::string stored = HashCode("2468", "a1b2c3d4");
  CHECK(stored.rfind("sha256$a1b2c3d4$", 0) == 0);
  CHECK(stored.find("2468") == std::string::npos);
  CHECK(IsStoredCode(stored));
  CHECK(CodeMatches(stored, "2468"));
  CHECK_FALSE(CodeMatches(stored, "2469"));
  CHECK_FALSE(CodeMatches(stored, "246"));
  CHECK_FALSE(CodeMatches(stored, "24680"));
  CHECK_FALSE(CodeMatches(stored, ""));
  // The salt changes the digest: the same code under two salts stores differently.
  CHECK(HashCode("2468", "00000000") != stored);
  CHECK(CodeMatches(HashCode("2468", "00000000"), "2468"));
}

TEST_CASE("code hash: malformed stored codes match nothing", "[terminal][code]") {
  const std::string good = HashCode("2468", "a1b2c3d4");
  const std::string digest = good.substr(good.rfind('$') + 1);
  for (const std::string& bad : {
           std::string("2468"),                              // a plain code
           "sha256$a1b2c3$" + digest,                        // salt too short
           "sha256$a1b2c3d4e$" + digest,                     // odd salt length
           "sha256$A1B2C3D4$" + digest,                      // uppercase salt
           "sha256$a1b2c3d4$" + digest.substr(1),            // digest too short
           "sha1$a1b2c3d4$" + digest,                        // another scheme
           "sha256$a1b2c3d4" + digest,                       // no separator
           "sha256$" + std::string(66, 'a') + "$" + digest,  // salt too long
       }) {
    INFO(bad);
    CHECK_FALSE(IsStoredCode(bad));
    CHECK_FALSE(CodeMatches(bad, "2468"));
  }
}

}  // namespace picket::terminal
