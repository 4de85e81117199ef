#include "console/console_config.h"

#include <catch2/catch.hpp>

#include "console/core/password.h"
#include "runtime/config.h"

namespace picket::console {
namespace {

std::optional<ConsoleConfig> Read(const std::string& text, std::string* error) {
  auto root = ParseToml(text, "site.toml", error);
  REQUIRE(root);
  return ReadConsoleConfig(*root, "site.toml", error);
}

}  // namespace

TEST_CASE("console: the console section reads accounts, limits and endpoints") {
  std::string hash = *HashPassword("pw", HashCost::kMinimum);
  std::string error;
  auto c = Read(
      "[escalation]\ncommands = \"tcp://127.0.0.1:9411\"\n"
      "[console]\nlisten = \"0.0.0.0:8080\"\nsession_idle = \"10m\"\n"
      "lockout_after = 3\n[console.accounts]\n" +
          AccountLine("ann", Role::kOfficer, Lang::kChinese, hash) + "\n",
      &error);
  INFO(error);
  REQUIRE(c);
  REQUIRE(c->listen == "0.0.0.0:8080");
  REQUIRE(c->escalation_commands == "tcp://127.0.0.1:9411");
  REQUIRE(c->sessions.idle == 10 * 60 * kMicrosPerSecond);
  REQUIRE(c->login.max_failures == 3);
  const Account* ann = c->accounts.Find("ann");
  REQUIRE(ann);
  REQUIRE(ann->role == Role::kOfficer);
  REQUIRE(ann->lang == Lang::kChinese);
  REQUIRE(c->accounts.Authenticate("ann", "pw"));
}

TEST_CASE("console: an absent section gives the defaults") {
  std::string error;
  auto c = Read("", &error);
  REQUIRE(c);
  REQUIRE(c->listen == "127.0.0.1:7490");
  REQUIRE(c->escalation_commands == "tcp://127.0.0.1:7411");
  REQUIRE(c->access_commands == "tcp://127.0.0.1:7412");
  REQUIRE(c->patrol_commands == "tcp://127.0.0.1:7413");
  REQUIRE(c->scoring_commands == "tcp://127.0.0.1:7414");
  REQUIRE(c->gate_feed == 200);
  REQUIRE(c->accounts.empty());
}

TEST_CASE("console: every problem of the section is reported with file and line") {
  std::string error;
  auto c = Read(
      "[console]\n"
      "listen = \"nowhere\"\n"
      "session_idle = \"forever\"\n"
      "colour = \"blue\"\n"
      "[console.accounts]\n"
      "ann = { role = \"captain\", hash = \"secret\" }\n"
      "\"Bad Name\" = { role = \"viewer\", hash = \"$argon2id$v=19$m=8,t=1,p=1$x$y\" }\n"
      "bob = { hash = \"$argon2id$v=19$m=8,t=1,p=1$x$y\", lang = \"fr\" }\n",
      &error);
  REQUIRE_FALSE(c);
  INFO(error);
  REQUIRE(error.find("site.toml:2") != std::string::npos);
  REQUIRE(error.find("console.listen") != std::string::npos);
  REQUIRE(error.find("console.session_idle") != std::string::npos);
  REQUIRE(error.find("console.colour: unknown key") != std::string::npos);
  REQUIRE(error.find("captain") != std::string::npos);
  REQUIRE(error.find("console.accounts.ann.hash") != std::string::npos);
  REQUIRE(error.find("Bad Name") != std::string::npos);
  REQUIRE(error.find("console.accounts.bob.role") != std::string::npos);
  REQUIRE(error.find("console.accounts.bob.lang") != std::string::npos);
}

}  // namespace picket::console
