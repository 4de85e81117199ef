// picket-sim as a real process: every event it generates is accepted by a real bus; on a
// site with [security] its publish mode refuses to start (no bus is needed to see that).
#include <signal.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <sstream>

#include "support/bus_probe.h"
#include "support/process.h"
#include "testing/site_keys_fixture.h"

namespace picket {

using namespace std::chrono_literals;
using testing::BinaryPath;
using testing::ChildProcess;
using testing::ReadFile;
using testing::TempDir;
using testing::WaitUntil;
using testing::WriteFile;

TEST_CASE("picket-sim publishes --count events, all recorded", "[sim][process]") {
  TempDir dir;
  std::string config = testing::WriteSiteConfig(dir.path(), "sim-site", false);
  ChildProcess site({BinaryPath("picket-site"), "--config", config}, dir / "site.log");
  REQUIRE(WaitUntil([&] { return testing::ReadBusReady(dir / "data/bus").has_value(); }, 20s));

  ChildProcess sim({BinaryPath("picket-sim"), "--config", config, "--count", "30", "--rate", "500",
                    "--posts", "gate-1,gate-2,north", "--seed", "5"},
                   dir / "sim.log");
  auto status = sim.Wait(30s);
  INFO(ReadFile(dir / "sim.log"));
  REQUIRE(status.has_value());
  CHECK(WIFEXITED(*status));
  CHECK(WEXITSTATUS(*status) == 0);
  CHECK_THAT(ReadFile(dir / "sim.log"), Catch::Contains("30 recorded, 0 refused"));

  ChildProcess tail(
      {BinaryPath("picketctl"), "tail", "--config", config, "--from", "1", "--no-follow", "--json"},
      dir / "tail.out");
  REQUIRE(tail.Wait(30s).has_value());
  std::istringstream lines(ReadFile(dir / "tail.out"));
  int n = 0;
  for (std::string line; std::getline(lines, line); ++n) {
    auto j = nlohmann::json::parse(line);
    CHECK(j["seq"] == n + 1);
    CHECK(j["site"] == "sim-site");
    CHECK(j["type"].get<std::string>().rfind("terminal.", 0) == 0);
  }
  CHECK(n == 30);

  site.Signal(SIGTERM);
  REQUIRE(site.Wait(15s).has_value());
}

TEST_CASE("picket-sim publish mode refuses a site with [security], pointing at --drive",
          "[sim][process][security]") {
  TempDir dir;
  testing::SiteKeysFixture keys(dir.path());
  keys.Add("bus", "service");
  std::string config = testing::WriteSiteConfig(dir.path(), "sim-site", false);
  WriteFile(config, ReadFile(config) + keys.SecuritySection());
  ChildProcess sim({BinaryPath("picket-sim"), "--config", config, "--count", "3"}, dir / "sim.log");
  auto status = sim.Wait(30s);
  INFO(ReadFile(dir / "sim.log"));
  REQUIRE(status.has_value());
  REQUIRE(WIFEXITED(*status));
  CHECK(WEXITSTATUS(*status) == 2);
  CHECK_THAT(ReadFile(dir / "sim.log"),
             Catch::Contains("[security]") && Catch::Contains("--drive"));
}

}  // namespace picket
