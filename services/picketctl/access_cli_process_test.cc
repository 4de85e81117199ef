// `picketctl access ...` as real processes: a real picket-bus and a real picket-access
// (whose command port is picked at start and found through its ready file), a staff
// member registered and given a pass, a scan at the gate published through the bus, the
// roll call as CSV and JSON, a refused second revoke, and the exit codes for no actor and
// no answer. And against a fake endpoint in the test: a retry reuses the command id.
// The sites run with keys (BusUnderTest): picketctl sends each command with the key of the
// person it acts as (--key), queries with the site's picketctl_key (an admin's), and gate-1's
// terminal publishes its scan with its own key.
#include <capnp/message.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <thread>
#include <zmq.hpp>
#include <zmq_addon.hpp>

#include "picket/schemas/access.capnp.h"
#include "picketctl/fake_endpoint.h"
#include "wire/codec.h"

#include "picketctl/cli_process_support.h"
#include "support/bus_fixture.h"
#include "support/process.h"
#include "support/service_fixture.h"

namespace picket {
namespace {

using namespace std::chrono_literals;
using testing::BinaryPath;
using testing::ChildProcess;
using testing::ReadFile;
using testing::TempDir;
using testing::WaitUntil;

const std::string kAccessToml = R"(
[access]
commands = "tcp://127.0.0.1:*"
http = ""
time_zone = "UTC0"
[[access.gates]]
id = "north"
post = "gate-1"
)";

const std::string kWalkUpToml = R"(
[access]
commands = "tcp://127.0.0.1:*"
http = ""
time_zone = "UTC0"
walkups_need_approval = true
officers = ["chief"]
[[access.gates]]
id = "north"
post = "gate-1"
)";

using Run = testing::CliRun;
using testing::Picketctl;

// The keys of the access sites besides the standard ones: chief registers people (an
// admin), guard-7 and host-1 are officers, and gate-1's terminal serves gate north.
const std::vector<testing::TestIdentity> kAccessIdentities = {
    {"chief", "admin", "", {}},
    {"guard-7", "officer", "", {}},
    {"host-1", "officer", "", {}},
    {"gate-1-terminal", "terminal", "gate-1", {"north"}},
};

using FakeAccess = testing::FakeEndpoint;

std::string Reply(wire::AccessError error, const std::string& message) {
  capnp::MallocMessageBuilder b;
  auto r = b.initRoot<wire::AccessReply>();
  r.setError(error);
  r.setMessage(message);
  return Encode(b);
}

std::string CommandIdOf(const std::string& frame) {
  std::string error, id;
  auto msg = DecodedMessage::Decode(frame, &error);
  REQUIRE(msg);
  auto d = msg->Root<wire::AccessRequest>().getCommandId();
  return std::string(reinterpret_cast<const char*>(d.begin()), d.size());
}

// A real picket-bus and picket-access for `toml` on a site with keys, and `picketctl access
// VERB --config ...`.
struct AccessSite {
  explicit AccessSite(const std::string& toml) : bus(toml, kAccessIdentities) {
    bus.Start();
    access.Start();
  }
  // Runs `picketctl access <args[0]> --config <site> <args[1..]>` with the key of identity
  // `key` (--key), or without --key (the site's picketctl_key: the probe, an admin) if
  // `key` is empty; its output kept for a failure's report.
  Run Access(std::vector<std::string> args, const std::string& key = "") {
    args.insert(args.begin(), {"access"});
    args.insert(args.begin() + 2, {"--config", bus.config_path()});
    if (!key.empty()) args.insert(args.begin() + 4, {"--key", bus.KeyFile(key)});
    auto r = Picketctl(work, args);
    UNSCOPED_INFO("picketctl " << args[1] << ": exit " << r.exit_code << "\nstdout: " << r.out
                               << "\nstderr: " << r.err);
    return r;
  }

  testing::BusUnderTest bus;
  testing::ServiceUnderTest access{"picket-access", bus.config_path(),
                                   bus.dir().path() + "/data/access"};
  TempDir work;
};

}  // namespace

TEST_CASE("picketctl access retries with the same command id, and unavailable is exit 3",
          "[picketctl][access][process]") {
  TempDir work;
  std::string first_id;
  {
    // No answer to the first attempt; the second is answered.
    FakeAccess fake(2, [](size_t i) -> std::optional<std::string> {
      if (i == 0) return std::nullopt;
      return Reply(wire::AccessError::NONE, "");
    });
    auto r = Picketctl(work, {"access", "revoke", "PASS-1", "--reason", "lost", "--as", "chief",
                              "--commands", fake.endpoint(), "--timeout", "3s"});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out == "pass PASS-1 revoked: lost\n");
    const auto& requests = fake.Requests();
    REQUIRE(requests.size() == 2);
    first_id = CommandIdOf(requests[0]);
    CHECK(first_id.size() == 16);
    CHECK(CommandIdOf(requests[1]) == first_id);
  }
  {
    // Only `unavailable`: every attempt gets it (same id), then exit 3.
    FakeAccess fake(3, [](size_t) -> std::optional<std::string> {
      return Reply(wire::AccessError::UNAVAILABLE, "store busy");
    });
    auto r = Picketctl(work, {"access", "revoke", "PASS-1", "--reason", "lost", "--as", "chief",
                              "--commands", fake.endpoint(), "--timeout", "900ms"});
    CHECK(r.exit_code == 3);
    CHECK(r.err ==
          "picketctl access revoke: unavailable: store busy\nnothing was applied; try again\n");
    const auto& requests = fake.Requests();
    REQUIRE(requests.size() == 3);
    CHECK(CommandIdOf(requests[2]) == CommandIdOf(requests[0]));
    CHECK(CommandIdOf(requests[0]) != first_id);  // a new invocation, a new id
  }
}

TEST_CASE("picketctl access registers, issues a pass, calls the roll and refuses a second revoke",
          "[picketctl][access][process]") {
  AccessSite site(kAccessToml);
  auto& bus = site.bus;
  auto& access = site.access;
  auto& work = site.work;
  auto ctl = [&](std::vector<std::string> args, const std::string& key = "") {
    return site.Access(std::move(args), key);
  };

  auto reg = ctl({"register-person", "p1", "--name", "Smith, Ann \"Red\"", "--alias", "Annie",
                  "--kind", "staff", "--as", "chief"},
                 "chief");
  REQUIRE(reg.exit_code == 0);
  CHECK(reg.out == "person p1 registered: Smith, Ann \"Red\" (staff)\n");

  auto issue = ctl({"issue-pass", "PASS-1", "--person", "p1", "--from", "-1m", "--until", "+8h",
                    "--as", "chief"},
                   "chief");
  REQUIRE(issue.exit_code == 0);
  CHECK_THAT(issue.out, Catch::StartsWith("pass PASS-1 issued to p1, valid "));

  // A command without anyone acting is refused before anything is sent. (A person's key
  // acts as that person: a service's key, here the console's, names nobody by itself.)
  auto anonymous = ctl({"revoke", "PASS-1", "--reason", "lost"}, "console");
  CHECK(anonymous.exit_code == 2);
  CHECK(anonymous.err ==
        "picketctl access revoke: who is acting? give --as PERSON (or set $PICKET_ACTOR)\n");

  // The guard at gate-1 scans the pass: the terminal's fact goes to the bus.
  auto scan = Picketctl(
      work, {"publish", "--config", bus.config_path(), "--key", bus.KeyFile("gate-1-terminal"),
             "--type", "terminal.pass_scanned", "--actor", "guard-7", "--body",
             R"({"post":"gate-1","passCode":"PASS-1","direction":"in"})"});
  INFO(scan.err);
  REQUIRE(scan.exit_code == 0);

  Run roll;
  bool on_site = WaitUntil(
      [&] {
        roll = ctl({"on-site", "--csv"});
        return roll.exit_code == 0 && roll.out.find("p1") != std::string::npos;
      },
      10s);
  INFO(ReadFile(access.log_path()));
  REQUIRE(on_site);
  std::regex csv(
      "name,person,gate,post,since,pass,kind\r\n"
      "\"Smith, Ann \"\"Red\"\"\",p1,north,gate-1,"
      "20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9](\\.[0-9]{3})?Z,"
      "PASS-1,staff\r\n");
  CHECK(std::regex_match(roll.out, csv));

  auto table = ctl({"on-site"});
  CHECK(table.exit_code == 0);
  CHECK_THAT(table.out, Catch::StartsWith("NAME ") && Catch::Contains("PASS-1  staff\n"));

  auto json = ctl({"on-site", "--json"});
  REQUIRE(json.exit_code == 0);
  auto j = nlohmann::json::parse(json.out);
  REQUIRE(j["onSite"].size() == 1);
  CHECK(j["onSite"][0]["visit"]["person"] == "p1");
  CHECK(j["onSite"][0]["visit"]["gate"] == "north");
  CHECK(j["error"] == "none");

  auto revoke = ctl({"revoke", "PASS-1", "--reason", "lost", "--as", "chief"}, "chief");
  CHECK(revoke.exit_code == 0);
  CHECK(revoke.out == "pass PASS-1 revoked: lost\n");
  auto again = ctl({"revoke", "PASS-1", "--reason", "lost", "--as", "chief"}, "chief");
  CHECK(again.exit_code == 1);
  CHECK(again.out.empty());
  CHECK_THAT(again.err, Catch::StartsWith("picketctl access revoke: alreadyRevoked: "));

  auto pass = ctl({"pass", "PASS-1"});
  CHECK(pass.exit_code == 0);
  CHECK_THAT(pass.out, Catch::StartsWith("pass PASS-1: p1 (staff), valid ") &&
                           Catch::Contains(", revoked\n") && Catch::Contains("by chief: lost\n"));

  // Nobody at the endpoint: exit 3 within the timeout.
  auto nobody = Picketctl(
      work, {"access", "watchlist", "--commands", "tcp://127.0.0.1:1", "--timeout", "300ms"});
  CHECK(nobody.exit_code == 3);
  CHECK_THAT(nobody.err, Catch::StartsWith("picketctl access watchlist: no answer from "
                                           "picket-access at tcp://127.0.0.1:1"));
}

TEST_CASE(
    "picketctl access walk-up waits for approval, pending lists it, approve registers it and "
    "deny removes it",
    "[picketctl][access][process][walkup]") {
  AccessSite site(kWalkUpToml);
  auto ctl = [&](std::vector<std::string> args, const std::string& key = "") {
    return site.Access(std::move(args), key);
  };
  REQUIRE(
      ctl({"register-person", "host-1", "--name", "Hana Host", "--kind", "staff", "--as", "chief"},
          "chief")
          .exit_code == 0);
  auto none = ctl({"pending"});
  CHECK(none.exit_code == 0);
  CHECK(none.out == "no walk-ups are waiting for approval\n");

  auto asked = ctl({"walk-up", "w1", "--name", "Walt Walker", "--company", "Acme", "--host",
                    "host-1", "--gate", "north", "--as", "guard-7"},
                   "guard-7");
  REQUIRE(asked.exit_code == 0);
  CHECK(asked.out ==
        "walk-up visitor w1 waiting for approval: Walt Walker, host host-1 (picketctl access "
        "approve w1 --by HOST-OR-OFFICER)\n");
  REQUIRE(
      ctl({"walk-up", "w2", "--name", "Wanda", "--host", "host-1", "--as", "guard-7"}, "guard-7")
          .exit_code == 0);
  auto again = ctl(
      {"walk-up", "w1", "--name", "Walt Walker", "--host", "host-1", "--as", "guard-7"}, "guard-7");
  CHECK(again.exit_code == 1);
  CHECK_THAT(again.err, Catch::StartsWith("picketctl access walk-up: alreadyPending: "));

  auto table = ctl({"pending"});
  REQUIRE(table.exit_code == 0);
  CHECK_THAT(table.out, Catch::StartsWith("SINCE ") &&
                            Catch::Contains("w1      Walt Walker  Acme     host-1  north  gate-1  "
                                            "guard-7\n"));
  CHECK(table.out.find("w1 ") < table.out.find("w2 "));  // oldest first
  auto json = ctl({"pending", "--json"});
  REQUIRE(json.exit_code == 0);
  auto j = nlohmann::json::parse(json.out);
  REQUIRE(j["pendingWalkUps"].size() == 2);
  CHECK(j["pendingWalkUps"][0]["person"] == "w1");
  CHECK(j["pendingWalkUps"][0]["requestedBy"] == "guard-7");

  // A guard may not approve; an unknown person is not pending; a deny needs a reason.
  auto by_guard = ctl({"approve", "w1", "--by", "guard-7", "--as", "guard-7"}, "guard-7");
  CHECK(by_guard.exit_code == 1);
  CHECK_THAT(by_guard.err, Catch::StartsWith("picketctl access approve: notAuthorized: "));
  auto unknown = ctl({"approve", "nobody", "--by", "chief", "--as", "chief"}, "chief");
  CHECK(unknown.exit_code == 1);
  CHECK_THAT(unknown.err, Catch::StartsWith("picketctl access approve: notPending: "));
  auto no_reason = ctl({"deny", "w2", "--by", "chief", "--as", "chief"}, "chief");
  CHECK(no_reason.exit_code == 2);

  auto approved = ctl({"approve", "w1", "--by", "host-1", "--as", "host-1"}, "host-1");
  REQUIRE(approved.exit_code == 0);
  CHECK(approved.out == "walk-up visitor w1 approved by host-1: registered\n");
  auto twice = ctl({"approve", "w1", "--by", "host-1", "--as", "host-1"}, "host-1");
  CHECK(twice.exit_code == 1);
  CHECK_THAT(twice.err, Catch::StartsWith("picketctl access approve: notPending: "));
  auto person = ctl({"person", "w1"});
  CHECK(person.exit_code == 0);
  CHECK_THAT(person.out, Catch::StartsWith("person w1: Walt Walker (visitor)\n") &&
                             Catch::Contains("approved by host-1"));

  auto denied =
      ctl({"deny", "w2", "--by", "chief", "--reason", "no appointment", "--as", "chief"}, "chief");
  REQUIRE(denied.exit_code == 0);
  CHECK(denied.out == "walk-up visitor w2 denied by chief: no appointment\n");
  CHECK(ctl({"pending"}).out == "no walk-ups are waiting for approval\n");
  CHECK(ctl({"person", "w2"}).exit_code == 1);
}

}  // namespace picket
