#include "console/core/password.h"

#include <catch2/catch.hpp>

#include "console/core/accounts.h"

namespace picket::console {

TEST_CASE("console: a password verifies against its argon2id hash and nothing else does") {
  auto hash = HashPassword("correct horse", HashCost::kMinimum);
  REQUIRE(hash);
  REQUIRE(LooksLikeArgon2idHash(*hash));
  REQUIRE(VerifyPassword(*hash, "correct horse"));
  REQUIRE_FALSE(VerifyPassword(*hash, "correct horsE"));
  REQUIRE_FALSE(VerifyPassword(*hash, ""));
  // Two hashes of one password differ (their salts do) and both verify.
  auto again = HashPassword("correct horse", HashCost::kMinimum);
  REQUIRE(*again != *hash);
  REQUIRE(VerifyPassword(*again, "correct horse"));
}

TEST_CASE("console: malformed hashes and oversized passwords are refused without a crash") {
  REQUIRE_FALSE(LooksLikeArgon2idHash(""));
  REQUIRE_FALSE(LooksLikeArgon2idHash("$argon2i$v=19$m=65536,t=2,p=1$abc$def"));
  REQUIRE_FALSE(LooksLikeArgon2idHash("plain-text-password"));
  REQUIRE_FALSE(VerifyPassword("$argon2id$v=19$m=garbage", "x"));
  REQUIRE_FALSE(VerifyPassword("", "x"));
  std::string huge(kMaxPasswordBytes + 1, 'a');
  REQUIRE_FALSE(HashPassword(huge, HashCost::kMinimum));
  auto hash = HashPassword("x", HashCost::kMinimum);
  REQUIRE_FALSE(VerifyPassword(*hash, huge));
}

TEST_CASE("console: accounts authenticate by login and password") {
  Accounts accounts;
  REQUIRE(accounts.Add(
      {"ann", "Ann", Role::kOfficer, *HashPassword("pw-ann", HashCost::kMinimum), Lang::kChinese}));
  REQUIRE_FALSE(accounts.Add({"ann", "", Role::kViewer, "", Lang::kEnglish}));     // duplicate
  REQUIRE_FALSE(accounts.Add({"Ann Li", "", Role::kViewer, "", Lang::kEnglish}));  // malformed
  const Account* a = accounts.Authenticate("ann", "pw-ann");
  REQUIRE(a);
  REQUIRE(a->role == Role::kOfficer);
  REQUIRE_FALSE(accounts.Authenticate("ann", "pw-bob"));
  REQUIRE_FALSE(accounts.Authenticate("bob", "pw-ann"));
  REQUIRE(IsLoginName("duty.officer-2"));
  REQUIRE_FALSE(IsLoginName(""));
  REQUIRE_FALSE(IsLoginName(std::string(65, 'a')));
}

}  // namespace picket::console
