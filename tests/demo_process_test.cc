// The demo site (deploy/demo/site.toml, what `scripts/demo` runs) for a few minutes under
// picket-site: every service, three real picket-terminal processes driven by picket-sim
// --drive, the pager. What a visitor of the demo should see must happen through the real
// system: incidents opened, escalated and acknowledged; rounds completed and missed;
// access decisions for the scans typed at the terminals; scores moved; the incidents on
// the duty officer's console, logged in with the demo's login. Every endpoint runs CURVE
// with the keys scripts/demo-keys makes (a plain client gets nothing from the bus). Then
// Ctrl-C (SIGTERM to picket-site) stops everything cleanly.
//
// The demo's schedules are compressed (a round per post about every 2.5 minutes), so
// this waits for up to 7 minutes of site time (3 to 4 as a rule); the conditions are checked on the
// bus's log, which is the truth every service reads.
#include <sys/stat.h>
#include <sys/wait.h>

#include <capnp/message.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <map>
#include <regex>

#include <httplib.h>

#include <nlohmann/json.hpp>

#include "picket/schemas/envelope.capnp.h"
#include "picket/schemas/escalation.capnp.h"
#include "picket/schemas/patrol.capnp.h"
#include "runtime/curve_keys.h"
#include "support/bus_probe.h"
#include "support/process.h"
#include "wire/codec.h"

using namespace picket;
using namespace picket::testing;
using std::chrono::milliseconds;

namespace {

// What the demo has done so far, from the bus's log.
struct DemoSoFar {
  std::map<std::string, size_t> types;        // event type -> count
  size_t escalated_alerts = 0;                // alert_raised at level 2 or more
  size_t clean_rounds = 0;                    // round_completed with nothing missed
  std::map<std::string, size_t> by_terminal;  // terminal producer -> events

  size_t Count(const std::string& type) const {
    auto it = types.find(type);
    return it == types.end() ? 0 : it->second;
  }
  bool Done() const {
    return Count("escalation.incident_opened") > 0 && escalated_alerts > 0 &&
           Count("escalation.incident_acknowledged") > 0 && clean_rounds > 0 &&
           Count("patrol.checkpoint_missed") + Count("patrol.round_not_started") > 0 &&
           Count("access.granted") > 0 && Count("access.denied") > 0 &&
           Count("scoring.points_awarded") > 0 && by_terminal.size() == 3;
  }
  std::string Summary() const {
    std::string s;
    for (const auto& [type, n] : types) s += type + " " + std::to_string(n) + "\n";
    s += "escalated alerts " + std::to_string(escalated_alerts) + ", clean rounds " +
         std::to_string(clean_rounds) + ", terminals heard " + std::to_string(by_terminal.size());
    return s;
  }
};

DemoSoFar Read(zmq::context_t& ctx, const BusEndpoints& bus, const CurveClientKeys& key) {
  DemoSoFar so_far;
  auto log = ReplayAll(ctx, bus.replay, 1, milliseconds(10000), key);
  if (!log) return so_far;
  for (const auto& le : *log) {
    ++so_far.types[le.type];
    if (le.producer.ends_with("-terminal")) ++so_far.by_terminal[le.producer];
    if (le.type != "escalation.alert_raised" && le.type != "patrol.round_completed") continue;
    std::string error;
    auto msg = DecodedMessage::Decode(le.event, &error);
    REQUIRE(msg);
    auto body = msg->Root<wire::Event>().getBody();
    if (le.type == "escalation.alert_raised" && body.getAs<wire::AlertRaised>().getLevel() >= 2)
      ++so_far.escalated_alerts;
    if (le.type == "patrol.round_completed") {
      auto done = body.getAs<wire::RoundCompleted>();
      if (done.getMissed() == 0 && !done.getEndedEarly()) ++so_far.clean_rounds;
    }
  }
  return so_far;
}

}  // namespace

TEST_CASE(
    "demo: the demo site with simulated people opens, escalates and acknowledges incidents, "
    "completes and misses rounds, decides at the gates and moves scores",
    "[demo][process]") {
  TempDir dir;
  namespace fs = std::filesystem;
  const std::string config = dir / "site.toml";
  fs::copy_file(PICKET_DEMO_DIR "/site.toml", config);
  fs::copy_file(PICKET_DEMO_DIR "/terminal-codes.toml", dir / "terminal-codes.toml");
  REQUIRE(::chmod((dir / "terminal-codes.toml").c_str(), 0600) == 0);
  // What scripts/demo does before it starts the site: a FIFO per post terminal.
  const std::string text = ReadFile(config);
  fs::create_directories(dir / "data/inputs");
  std::regex post_table(R"(\n\[terminal\.posts\.([A-Za-z0-9._-]+)\])");
  size_t posts = 0;
  for (std::sregex_iterator it(text.begin(), text.end(), post_table), end; it != end; ++it) {
    const std::string fifo = dir / ("data/inputs/" + (*it)[1].str() + ".keys");
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    ++posts;
  }
  REQUIRE(posts == 3);
  // And its keys (scripts/demo-keys): the checkpoint key, a CURVE key per identity.
  {
    ChildProcess keys({PICKET_SCRIPTS_DIR "/demo-keys", dir.path(), BinaryPath("picketctl")},
                      dir / "keys.log");
    auto made = keys.Wait(milliseconds(60000));
    REQUIRE(made);
    INFO(ReadFile(dir / "keys.log"));
    REQUIRE(WEXITSTATUS(*made) == 0);
  }
  CHECK_THAT(ReadFile(config), Catch::Contains("[security.identities]"));

  ChildProcess site({BinaryPath("picket-site"), "--config", config}, dir / "site.log");
  std::optional<BusEndpoints> bus;
  REQUIRE(WaitUntil([&] { return (bus = ReadBusReady(dir / "data/bus")).has_value(); },
                    milliseconds(30000)));

  // The site runs CURVE: the test reads the log with the admin's key, checking the bus's.
  std::string error;
  auto admin = ReadKeyFile(dir / "keys/admin.key", true, &error);
  auto bus_key = ReadKeyFile(dir / "keys/bus.pub", false, &error);
  INFO(error);
  REQUIRE((admin && bus_key));
  const CurveClientKeys as_admin{*admin, bus_key->public_key};
  zmq::context_t ctx;
  CHECK_FALSE(QueryStatus(ctx, bus->replay, milliseconds(1500)));  // a plain client: nothing
  DemoSoFar so_far;
  const bool done = WaitUntil(
      [&] {
        so_far = Read(ctx, *bus, as_admin);
        return so_far.Done();
      },
      milliseconds(7 * 60 * 1000));
  INFO(so_far.Summary());
  INFO("picket-sim's log:\n" << ReadFile(dir / "data/logs/sim.log"));
  CHECK(done);
  CHECK(so_far.Count("terminal.pass_scanned") > 0);
  CHECK(so_far.Count("shift.started") >= 3);

  // The duty officer's console shows them: otto logs in as scripts/demo tells him to.
  const auto console =
      nlohmann::json::parse(ReadFile(dir / "data/console/console.json"), nullptr, false);
  REQUIRE(console.is_object());
  std::smatch where;
  const std::string url = console.value("url", "");
  REQUIRE(std::regex_match(url, where, std::regex(R"(http://([0-9.]+):([0-9]+)/)")));
  httplib::Client http(where[1].str(), std::stoi(where[2].str()));
  auto login =
      http.Post("/api/login", R"({"login": "otto", "password": "otto-demo"})", "application/json");
  REQUIRE(login);
  INFO(login->body);
  REQUIRE(login->status == 200);
  const std::string cookie = login->get_header_value("Set-Cookie");
  REQUIRE(cookie.rfind("picket_session=", 0) == 0);
  auto incidents = http.Get("/api/incidents", {{"Cookie", cookie.substr(0, cookie.find(';'))}});
  REQUIRE(incidents);
  REQUIRE(incidents->status == 200);
  const auto board = nlohmann::json::parse(incidents->body);
  CHECK(board["open"].size() + board["closed"].size() > 0);

  // The log's chain and the bus's signed checkpoints check out.
  {
    ChildProcess audit({BinaryPath("picketctl"), "audit", "verify", "--config", config,
                        "--checkpoint-key", dir / "keys/bus-checkpoint.verify"},
                       dir / "audit.log");
    auto verified = audit.Wait(milliseconds(60000));
    REQUIRE(verified);
    INFO(ReadFile(dir / "audit.log"));
    CHECK(WEXITSTATUS(*verified) == 0);
    CHECK_THAT(ReadFile(dir / "audit.log"), Catch::Contains("signed checkpoints verified"));
  }

  // Ctrl-C: everything stops cleanly.
  site.Signal(SIGTERM);
  auto status = site.Wait(milliseconds(30000));
  REQUIRE(status);
  INFO(ReadFile(dir / "site.log"));
  CHECK(WIFEXITED(*status));
  CHECK(WEXITSTATUS(*status) == 0);
}
