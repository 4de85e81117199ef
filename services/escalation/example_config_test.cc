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
  CHECK(config->FindType("patrol_not_started") != nullptr);
  CHECK(config->FindType("patrol_missed") != nullptr);
  // intrusion, panic, the three access alarms and the three patrol ones.
  CHECK(config->rules.size() == 8);
  // A night round nobody starts opens the high-severity incident.
  bool night = false;
  for (const auto& rule : config->rules)
    night = night || (rule.event_type == "patrol.round_not_started" &&
                      rule.incident_type == "patrol_not_started");
  CHECK(night);
}

}  // namespace picket::escalation
