#include "picketctl/escalation_target.h"

#include <catch2/catch.hpp>

#include "runtime/config.h"

namespace picket {
namespace {

std::optional<std::string> FromToml(const std::string& text, std::string* error) {
  auto table = ParseToml(text, "site.toml", error);
  REQUIRE(table.has_value());
  return EscalationCommandsFromToml(*table, "site.toml", error);
}

}  // namespace

TEST_CASE("The escalation endpoint comes from [escalation] commands, with a default",
          "[escalation_target]") {
  std::string error;
  CHECK(FromToml("[site]\nid = \"s\"\n", &error) == std::string(kDefaultEscalationCommands));
  CHECK(FromToml("[escalation]\ncommands = \"ipc:///run/esc.sock\"\n", &error) ==
        "ipc:///run/esc.sock");
  CHECK_FALSE(FromToml("[escalation]\ncommands = 7411\n", &error));
  CHECK(error == "site.toml:2:12: escalation.commands: must be a non-empty endpoint string");
}

TEST_CASE("A wildcard endpoint is read from the service's ready file", "[escalation_target]") {
  std::string error;
  CHECK(CommandsFromReady(
            R"({"name":"picket-escalation","pid":4,"commands":"tcp://127.0.0.1:4100"})", &error) ==
        "tcp://127.0.0.1:4100");
  CHECK_FALSE(CommandsFromReady(R"({"pid":4})", &error));
  CHECK(error == "no \"commands\" endpoint");
  CHECK_FALSE(CommandsFromReady("{", &error));
}

TEST_CASE("The --commands flag wins, and without it and without --config it is a usage error",
          "[escalation_target]") {
  std::string error;
  bool missing = true;
  CHECK(ResolveEscalationEndpoint({.config = "", .commands = "ipc://x"}, &error, &missing) ==
        "ipc://x");
  CHECK_FALSE(missing);
  CHECK_FALSE(ResolveEscalationEndpoint({}, &error, &missing));
  CHECK_FALSE(missing);
  CHECK_THAT(error, Catch::Contains("give --config site.toml or --commands ENDPOINT"));
}

TEST_CASE("The same resolution serves picket-access, from [access] commands",
          "[escalation_target]") {
  std::string error;
  auto table = ParseToml("[escalation]\ncommands = \"ipc://esc\"\n", "site.toml", &error);
  REQUIRE(table.has_value());
  CHECK(CommandsFromToml(kAccessService, *table, "site.toml", &error) ==
        std::string(kDefaultAccessCommands));
  table = ParseToml("[access]\ncommands = \"\"\n", "site.toml", &error);
  REQUIRE(table.has_value());
  CHECK_FALSE(CommandsFromToml(kAccessService, *table, "site.toml", &error));
  CHECK(error == "site.toml:2:12: access.commands: must be a non-empty endpoint string");
  bool missing = true;
  CHECK_FALSE(ResolveCommandsEndpoint(kAccessService, {}, &error, &missing));
  CHECK_FALSE(missing);
  CHECK(error == "no access commands endpoint: give --config site.toml or --commands ENDPOINT");
}

}  // namespace picket
