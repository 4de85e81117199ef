// The example configuration shipped in deploy/ is read by the same code as a real site's.
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "escalation/escalation_config_toml.h"
#include "runtime/site_config.h"

namespace picket::escalation {

TEST_CASE("deploy/config/site.toml is a valid site with a valid [escalation] section",
          "[escalation][config]") {
  std::string error;
  auto site = LoadSiteConfig(PICKET_EXAMPLE_SITE, &error);
  INFO(error);
  REQUIRE(site);
  std::ifstream in(PICKET_EXAMPLE_SITE);
  std::stringstream text;
  text << in.rdbuf();
  auto config = ParseEscalationConfig(text.str(), "site.toml", &error);
  INFO(error);
  REQUIRE(config);
  CHECK(config->commands == "tcp://127.0.0.1:7411");
  CHECK(config->FindType("intrusion") != nullptr);
  CHECK(config->FindType("panic") != nullptr);
  CHECK(config->FindType("watchlist") != nullptr);
  CHECK(config->FindType("unregistered_entry") != nullptr);
  CHECK(config->FindType("overstay") != nullptr);
  // intrusion, panic, and the three access alarms.
  CHECK(config->rules.size() == 5);
}

}  // namespace picket::escalation
