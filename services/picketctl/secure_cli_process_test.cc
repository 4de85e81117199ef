// picketctl as a real process against a real picket-bus (run by picket-site) on a site
// with [security]: every bus endpoint is a CURVE server admitting only the listed keys.
// picketctl connects with --key (or the config's picketctl_key), publishes under the key's
// identity, and says clearly why it cannot when it has no key or an unlisted one; the
// bus's refusals (a role publishing what it may not) are printed like any nack.
#include <signal.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "picketctl/cli_process_support.h"
#include "support/bus_probe.h"
#include "support/process.h"
#include "testing/site_keys_fixture.h"

namespace picket {
namespace {

using namespace std::chrono_literals;
using testing::BinaryPath;
using testing::ChildProcess;
using testing::ReadFile;
using testing::TempDir;
using testing::WaitUntil;
using testing::WriteFile;

using ToolResult = testing::CliRun;
using testing::Picketctl;

// A site with only the bus, run by picket-site, with [security] listing the bus, an admin,
// an officer and a terminal, and a key nobody listed. site.toml has no picketctl_key;
// default.toml (the same site, beside it) names otto's key as picketctl's.
struct SecureSite {
  TempDir dir;
  testing::SiteKeysFixture keys{dir.path()};
  std::string config, default_config = dir / "default.toml";

  SecureSite() {
    keys.Add("bus", "service");
    keys.Add("admin", "admin");
    keys.Add("otto", "officer");
    keys.Add("gate-1-terminal", "terminal", "gate-1");
    keys.AddUnlisted("stranger");
    config = testing::WriteSiteConfig(dir.path(), "test-site", false);
    const std::string text = ReadFile(config);
    WriteFile(config, text + keys.SecuritySection());
    WriteFile(default_config, text + keys.SecuritySection("otto"));
    process_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{BinaryPath("picket-site"), "--config", config}, dir / "site.log");
    bool ready =
        WaitUntil([&] { return testing::ReadBusReady(dir / "data/bus").has_value(); }, 20s);
    INFO(ReadFile(dir / "site.log"));
    INFO(ReadFile(dir / "data/logs/bus.log"));
    REQUIRE(ready);
  }
  ~SecureSite() {
    process_->Signal(SIGTERM);
    process_->Wait(15s);
  }
  // `picketctl publish` of a panic at gate-1 with the key of `who`.
  ToolResult PublishPanicAs(const TempDir& work, const std::string& who) const {
    return Picketctl(work, {"publish", "--config", config, "--key", keys.KeyFile(who), "--type",
                            "terminal.panic_pressed", "--body", R"({"post":"gate-1"})"});
  }

 private:
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace

TEST_CASE("On a secure site picketctl publishes and tails with its key, as its identity",
          "[picketctl][security][process]") {
  SecureSite s;
  TempDir work;
  auto pub = s.PublishPanicAs(work, "admin");
  INFO(pub.err);
  REQUIRE(pub.exit_code == 0);
  CHECK(pub.out == "1\n");

  auto tail = Picketctl(work, {"tail", "--config", s.config, "--key", s.keys.KeyFile("otto"),
                               "--from", "1", "--no-follow"});
  INFO(tail.err);
  CHECK(tail.exit_code == 0);
  CHECK_THAT(tail.out, Catch::StartsWith("#1 ") && Catch::Contains("terminal.panic_pressed admin"));

  auto status = Picketctl(work, {"status", "--config", s.config, "--key", s.keys.KeyFile("admin")});
  INFO(status.err);
  CHECK(status.exit_code == 0);
  CHECK_THAT(status.out, Catch::Contains("site test-site: head 1"));

  // An explicit --producer other than the key's identity goes out, and the bus refuses it.
  auto other = Picketctl(work, {"publish", "--config", s.config, "--key", s.keys.KeyFile("admin"),
                                "--type", "ops.note", "--producer", "picketctl"});
  CHECK(other.exit_code == 1);
  CHECK(other.out.empty());
  CHECK_THAT(other.err, Catch::Contains("nacked: unauthorized"));
}

TEST_CASE("Without --key picketctl uses the config's picketctl_key, and acts as its person",
          "[picketctl][security][process]") {
  SecureSite s;
  TempDir work;
  // otto (an officer) records his own shift: the actor and the producer are both otto.
  auto shift = Picketctl(work, {"shift", "start", "otto", "--config", s.default_config, "--post",
                                "gate-1", "--role", "guard"});
  INFO(shift.err);
  REQUIRE(shift.exit_code == 0);
  CHECK(shift.out == "otto is on duty at gate-1 as guard (seq 1)\n");

  auto tail = Picketctl(
      work, {"tail", "--config", s.default_config, "--from", "1", "--no-follow", "--json"});
  INFO(tail.err);
  CHECK(tail.exit_code == 0);
  CHECK_THAT(tail.out,
             Catch::Contains(R"("producer":"otto")") && Catch::Contains(R"("actor":"otto")"));
}

TEST_CASE("On a secure site picketctl without a usable key says why and sends nothing",
          "[picketctl][security][process]") {
  SecureSite s;
  TempDir work;
  auto none = Picketctl(work, {"tail", "--config", s.config, "--no-follow"});
  CHECK(none.exit_code == 2);
  CHECK_THAT(none.err, Catch::Contains("--key") && Catch::Contains("picketctl_key"));

  auto publish = Picketctl(work, {"publish", "--config", s.config, "--type", "ops.note"});
  CHECK(publish.exit_code == 2);
  CHECK_THAT(publish.err, Catch::Contains("--key"));

  auto stranger =
      Picketctl(work, {"status", "--config", s.config, "--key", s.keys.KeyFile("stranger")});
  CHECK(stranger.exit_code == 2);
  CHECK_THAT(stranger.err, Catch::Contains("not listed"));

  auto missing = Picketctl(work, {"status", "--config", s.config, "--key", (work / "no-such.key")});
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Catch::Contains("no-such.key"));

  auto no_config =
      Picketctl(work, {"status", "--ingest", "ipc:///nowhere", "--key", s.keys.KeyFile("admin")});
  CHECK(no_config.exit_code == 2);
  CHECK_THAT(no_config.err, Catch::Contains("--key needs --config"));

  // Nothing reached the log.
  auto tail = Picketctl(work, {"tail", "--config", s.config, "--key", s.keys.KeyFile("admin"),
                               "--from", "1", "--no-follow"});
  CHECK(tail.exit_code == 0);
  CHECK(tail.out.empty());
}

TEST_CASE("The bus refuses what the key's role may not publish, and picketctl prints it",
          "[picketctl][security][process]") {
  SecureSite s;
  TempDir work;
  auto officer = s.PublishPanicAs(work, "otto");
  CHECK(officer.exit_code == 1);
  CHECK(officer.out.empty());
  CHECK_THAT(officer.err, Catch::Contains("unauthorized"));

  // The post's own terminal key may. (The refusal itself is on the log, as
  // bus.publish_refused: the panic's seq is not asserted.)
  auto terminal = s.PublishPanicAs(work, "gate-1-terminal");
  INFO(terminal.err);
  CHECK(terminal.exit_code == 0);
  CHECK_THAT(terminal.out, Catch::Matches("[0-9]+\n"));

  auto panics = Picketctl(work, {"tail", "--config", s.config, "--key", s.keys.KeyFile("admin"),
                                 "--from", "1", "--no-follow", "--type", "terminal."});
  INFO(panics.err);
  CHECK(panics.exit_code == 0);
  CHECK_THAT(panics.out, Catch::Contains("terminal.panic_pressed gate-1-terminal"));
  CHECK(panics.out.find("otto") == std::string::npos);
}

}  // namespace picket
