// The example configuration shipped in deploy/ is read by the same code as a real site's.
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "escalation/escalation_config_toml.h"
#include "escalation/escalation_service.h"
#include "runtime/site_config.h"
#include "testing/service_harness.h"
#include "wire/codec.h"

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

TEST_CASE(
    "deploy/config/site.toml: a night round nobody started alerts the duty officer at once, a "
    "day round's does not open an incident",
    "[escalation][config]") {
  std::ifstream in(PICKET_EXAMPLE_SITE);
  std::stringstream text;
  text << in.rdbuf();
  std::string error;
  auto config = ParseEscalationConfig(text.str(), "site.toml", &error);
  INFO(error);
  REQUIRE(config);
  ServiceHostOptions options;
  options.name = "escalation";
  options.tables = Escalation::Tables();
  picket::testing::ServiceHarness h(options);
  EscalationService service(h.host(), *config);
  REQUIRE(h.Start());
  auto event = [](auto type, auto fill) {
    return picket::testing::MakeTypedEvent(type, picket::testing::kTestTime, fill, "patrol", "");
  };
  h.Publish(event(event_types::kShiftStarted, [](wire::ShiftStarted::Builder b) {
    b.setPerson("otto");
    b.setPost("hq");
    b.setRole("duty_officer");
  }));
  auto not_started = [&](const std::string& route, uint64_t round) {
    return event(event_types::kRoundNotStarted, [&](wire::RoundNotStarted::Builder b) {
      b.setPost("gate-2");
      b.setRoute(route);
      b.setRound(round);
    });
  };
  h.Publish(not_started("day-buildings", 1));
  h.Publish(not_started("night-perimeter", 2));
  REQUIRE(h.Settle());
  std::vector<std::string> seen;
  for (const auto& frame : h.Derived()) {
    auto msg = DecodedMessage::Decode(frame, &error);
    auto e = msg->Root<wire::Event>();
    std::string type = e.getType().cStr();
    if (type == "escalation.incident_opened")
      seen.push_back(type + " " +
                     e.getBody().getAs<wire::IncidentOpened>().getIncidentType().cStr() + " " +
                     e.getBody().getAs<wire::IncidentOpened>().getTriggerType().cStr());
    if (type == "escalation.alert_raised")
      seen.push_back(type + " " + e.getBody().getAs<wire::AlertRaised>().getPerson().cStr());
  }
  CHECK(seen == std::vector<std::string>{
                    "escalation.incident_opened patrol_not_started patrol.round_not_started",
                    "escalation.alert_raised otto"});
}

}  // namespace picket::escalation
