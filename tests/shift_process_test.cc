// `picketctl shift start|end|list` against a real picket-bus and picket-escalation: the
// shift events go through the bus, escalation's roster applies them, and list shows it.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/bus_fixture.h"
#include "support/intrusion_toml.h"
#include "support/process.h"
#include "support/service_fixture.h"

using namespace picket;
using namespace picket::testing;
using std::chrono::milliseconds;

namespace {

// gate-1 and hq form the north squad; the roster's leader role is squad_leader.
const char* const kSiteToml = R"(
[escalation]
commands = "tcp://127.0.0.1:*"
http = ""

[escalation.roster]
squads = { north = ["gate-1", "hq"] }
people = { chief = ["manager"] }

[escalation.policies.standard]
fallback = ["person:chief"]
[[escalation.policies.standard.levels]]
targets = ["post_leader"]
wait = "1m"
)";

// Each person runs picketctl with their own key: chief (a supervisor) puts lea on duty,
// lea (the squad leader, an officer) puts rita on duty and takes her off.
const std::vector<TestIdentity> kIdentities = {
    {"chief", "supervisor", "", {}},
    {"lea", "officer", "", {}},
};

}  // namespace

TEST_CASE(
    "picketctl shift start and end go through the bus to escalation's roster, and list "
    "shows who is on duty by post and role",
    "[picketctl][shift][process]") {
  BusUnderTest bus(std::string(kSiteToml) + kIntrusionTypeAndRule, kIdentities);
  bus.Start();
  ServiceUnderTest esc("picket-escalation", bus.config_path(),
                       bus.dir().path() + "/data/escalation");
  esc.Start();
  const std::string out = bus.dir().path() + "/picketctl.out";
  // `picketctl shift <args> --config <site> --key <who's key>`.
  auto shift = [&](const std::string& who, std::vector<std::string> args) {
    args.insert(args.begin(), {BinaryPath("picketctl"), "shift"});
    args.insert(args.end(), {"--config", bus.config_path(), "--key", bus.KeyFile(who)});
    return RunCommand(args, out);
  };

  auto empty = shift("chief", {"list"});
  INFO(empty.output);
  CHECK(empty.exit_code == 0);
  CHECK(empty.output == "nobody is on duty\n");

  // The documented example (docs/picketctl.md).
  auto lea =
      shift("chief", {"start", "lea", "--post", "hq", "--role", "squad_leader", "--as", "chief"});
  INFO(lea.output);
  REQUIRE(lea.exit_code == 0);
  CHECK_THAT(lea.output, Catch::StartsWith("lea is on duty at hq as squad_leader (seq "));
  auto rita = shift("lea", {"start", "rita", "--post", "gate-1", "--role", "guard", "--as", "lea"});
  REQUIRE(rita.exit_code == 0);

  // Escalation applies the events from the bus; list asks it.
  nlohmann::json duty;
  REQUIRE(WaitUntil(
      [&] {
        auto r = shift("chief", {"list", "--json"});
        duty = nlohmann::json::parse(r.output, nullptr, false);
        return r.exit_code == 0 && !duty.is_discarded() && duty["onDuty"].size() == 2;
      },
      milliseconds(10000)));
  CHECK(duty["onDuty"][0]["person"] == "rita");  // gate-1 before hq
  CHECK(duty["onDuty"][0]["leadsPost"] == false);
  CHECK(duty["onDuty"][1]["person"] == "lea");
  CHECK(duty["onDuty"][1]["role"] == "squad_leader");
  CHECK(duty["onDuty"][1]["leadsPost"] == true);
  auto table = shift("chief", {"list"});
  INFO(table.output);
  CHECK_THAT(table.output, Catch::StartsWith("POST    ROLE          PERSON  SINCE"));
  CHECK_THAT(table.output, Catch::Contains("\nhq      squad_leader  lea     "));

  auto off = shift("lea", {"end", "rita", "--as", "lea"});
  INFO(off.output);
  CHECK(off.exit_code == 0);
  CHECK_THAT(off.output, Catch::StartsWith("rita is off duty (seq "));
  CHECK(WaitUntil(
      [&] {
        auto r = shift("chief", {"list", "--json"});
        auto j = nlohmann::json::parse(r.output, nullptr, false);
        return !j.is_discarded() && j["onDuty"].size() == 1;
      },
      milliseconds(10000)));

  // Refused before anything is published: no actor, a missing flag. A person's key is its
  // own actor, so "no actor" takes a key that names nobody: the console's (a service's key
  // acts for the person it is told).
  auto nobody = shift("console", {"start", "bob", "--post", "gate-1", "--role", "guard"});
  CHECK(nobody.exit_code == 2);
  CHECK_THAT(nobody.output, Catch::Contains("give --as PERSON"));
  CHECK(shift("lea", {"start", "bob", "--post", "gate-1", "--as", "lea"}).exit_code != 0);
}
