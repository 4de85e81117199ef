// `picketctl patrol ...` as real processes. Against a fake endpoint in the test: a retry
// reuses the command id and `unavailable` is exit 3. Against a real picket-bus and a real
// picket-patrol (its command port picked at start and found through its ready file):
// gate-1's terminal starts a round and scans A through the bus; then the real picketctl
// shows the round in progress, waits for B to be declared missed (3 s after A: leg_max
// 2 s + grace 1 s), excuses it, is refused an unknown round (exit 1), refuses a command
// without --by (exit 2), lists the completion per guard and gets no answer from a dead
// port (exit 3). The site runs with keys (BusUnderTest): the terminal publishes with its
// own key, chief (a supervisor) changes rounds with his, and queries go with the site's
// picketctl_key (the probe, an admin).
#include <capnp/message.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>
#include <zmq.hpp>
#include <zmq_addon.hpp>

#include "picket/schemas/patrol.capnp.h"
#include "picket/schemas/terminal.capnp.h"
#include "picketctl/cli_process_support.h"
#include "picketctl/fake_endpoint.h"
#include "support/bus_fixture.h"
#include "support/bus_probe.h"
#include "support/process.h"
#include "support/service_fixture.h"
#include "wire/codec.h"

namespace picket {
namespace {

using namespace std::chrono_literals;
using testing::BinaryPath;
using testing::ChildProcess;
using testing::ReadFile;
using testing::TempDir;
using testing::WaitUntil;

// Route "perimeter" of post gate-1: A, B, C in order, each leg at most 2 s, 1 s of grace.
const std::string kPatrolToml = R"(
[patrol]
commands = "tcp://127.0.0.1:*"
http = ""
time_zone = "UTC0"
skew_limit = "30s"

[[patrol.checkpoints]]
tag = "A"
name = "North fence"
[[patrol.checkpoints]]
tag = "B"
name = "Tank farm"
[[patrol.checkpoints]]
tag = "C"
name = "South yard"

[[patrol.routes]]
id = "perimeter"
post = "gate-1"
checkpoints = ["A", "B", "C"]
leg_min = "0s"
leg_max = "2s"
grace = "1s"
)";

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

using Run = testing::CliRun;
using testing::Picketctl;

// gate-1's terminal publishes a patrol fact for guard-7, observed now.
void Publish(testing::IngestProbe& probe, const std::string& type,
             const std::function<void(capnp::AnyPointer::Builder)>& body) {
  testing::EventSpec spec;
  spec.type = type;
  spec.producer = "gate-1-terminal";
  spec.actor = "guard-7";
  spec.observed_at = NowMicros();
  spec.body = body;
  auto reply = probe.Publish(spec, 10s);
  REQUIRE(reply);
  INFO(reply->message);
  REQUIRE(reply->kind == testing::Reply::kAck);
}

// The whitespace-separated cells of the first line of `text` whose first cell is `first`
// (after leading spaces); empty if none.
std::vector<std::string> LineStartingWith(const std::string& text, const std::string& first) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::vector<std::string> cells;
    for (std::string w; words >> w;) cells.push_back(w);
    if (!cells.empty() && cells[0] == first) return cells;
  }
  return {};
}

// The state `patrol round` printed for checkpoint `tag` ("  #  CHECKPOINT  STATE ..."
// rows), or "" if it has no such row.
std::string StateOf(const Run& round, const std::string& tag) {
  size_t at = round.out.find("checkpoints:\n");
  if (at == std::string::npos) return "";
  std::istringstream lines(round.out.substr(at));
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string position, checkpoint, state;
    if (words >> position >> checkpoint >> state && checkpoint == tag) return state;
  }
  return "";
}

// The service's `unavailable` reply, which a fake endpoint answers retries with.
std::string Unavailable() {
  capnp::MallocMessageBuilder b;
  auto r = b.initRoot<wire::PatrolReply>();
  r.setError(wire::PatrolError::UNAVAILABLE);
  r.setMessage("store busy");
  return Encode(b);
}

}  // namespace

TEST_CASE("picketctl patrol retries a command with the same id, and unavailable is exit 3",
          "[picketctl][patrol][process]") {
  TempDir work;
  testing::FakeEndpoint fake(3, testing::FakeEndpoint::SilentThen(Unavailable()));
  auto r = Picketctl(work, {"patrol", "extend", "4", "--by", "10m", "--reason", "gate jammed",
                            "--actor", "chief", "--commands", fake.endpoint(), "--timeout", "2s"});
  CHECK(r.exit_code == 3);
  CHECK(r.out.empty());
  CHECK(r.err ==
        "picketctl patrol extend: unavailable: store busy\nnothing was applied; try again\n");
  const auto& requests = fake.Requests();
  REQUIRE(requests.size() == 3);
  std::vector<std::string> ids;
  for (const auto& frame : requests) {
    std::string error;
    auto msg = DecodedMessage::Decode(frame, &error);
    REQUIRE(msg);
    auto q = msg->Root<wire::PatrolRequest>();
    REQUIRE(q.isExtendDeadline());
    CHECK(q.getActor() == "chief");
    CHECK(q.getExtendDeadline().getRound() == 4);
    CHECK(q.getExtendDeadline().getBy() == 600'000'000);
    auto d = q.getCommandId();
    ids.emplace_back(reinterpret_cast<const char*>(d.begin()), d.size());
  }
  CHECK(ids[0].size() == 16);
  CHECK(ids[1] == ids[0]);
  CHECK(ids[2] == ids[0]);
}

TEST_CASE(
    "picketctl patrol follows a round through picket-patrol, excuses a missed checkpoint and "
    "refuses an unknown round",
    "[picketctl][patrol][process]") {
  testing::BusUnderTest bus(kPatrolToml, {{"chief", "supervisor", "", {}},
                                          {"gate-1-terminal", "terminal", "gate-1", {}}});
  auto endpoints = bus.Start();
  testing::ServiceUnderTest patrol("picket-patrol", bus.config_path(),
                                   bus.dir().path() + "/data/patrol");
  patrol.Start();
  TempDir work;
  // `picketctl patrol VERB --config ...` with the key of identity `key` (none: the site's
  // picketctl_key).
  auto ctl = [&](std::vector<std::string> args, const std::string& key = "") {
    args.insert(args.begin(), {"patrol"});
    args.insert(args.begin() + 2, {"--config", bus.config_path()});
    if (!key.empty()) args.insert(args.begin() + 4, {"--key", bus.KeyFile(key)});
    auto r = Picketctl(work, args);
    UNSCOPED_INFO("picketctl patrol " << args[1] << ": exit " << r.exit_code
                                      << "\nstdout: " << r.out << "\nstderr: " << r.err);
    return r;
  };

  zmq::context_t ctx;
  testing::IngestProbe probe(ctx, endpoints.ingest, bus.As("gate-1-terminal"));
  Publish(probe, "terminal.round_started", [](capnp::AnyPointer::Builder b) {
    auto s = b.initAs<wire::PatrolStart>();
    s.setPost("gate-1");
    s.setRoute("perimeter");
  });
  Publish(probe, "terminal.checkpoint_scanned", [](capnp::AnyPointer::Builder b) {
    auto s = b.initAs<wire::CheckpointScanned>();
    s.setPost("gate-1");
    s.setTag("A");
  });

  // picket-patrol judges the facts as it reads them off the bus: wait for A's verdict.
  Run current;
  bool progressed = WaitUntil(
      [&] {
        current = ctl({"current"});
        return current.exit_code == 0 && current.out.find("1 of 3") != std::string::npos;
      },
      10s);
  INFO(ReadFile(patrol.log_path()));
  REQUIRE(progressed);
  CHECK_THAT(current.out, Catch::StartsWith("ROUND  ROUTE "));
  auto row = LineStartingWith(current.out, "1");
  REQUIRE(row.size() >= 9);  // ROUND ROUTE POST GUARD STARTED 1 of 3 NEXT NOTE
  CHECK(row[1] == "perimeter");
  CHECK(row[2] == "gate-1");
  CHECK(row[3] == "guard-7");
  CHECK(row[5] + " " + row[6] + " " + row[7] == "1 of 3");
  CHECK(row[8] == "B");  // next expected
  CHECK(ctl({"current", "--post", "gate-2"}).out == "no rounds in progress at gate-2\n");

  auto round = ctl({"round", "1"});
  REQUIRE(round.exit_code == 0);
  CHECK_THAT(round.out, Catch::StartsWith("round 1: perimeter at gate-1, in_progress\n"));
  CHECK(StateOf(round, "A") == "on_time");

  // B was due within 2 s of A, with 1 s of grace: missed 3 s after A.
  bool missed = WaitUntil(
      [&] {
        round = ctl({"round", "1"});
        return StateOf(round, "B") == "missed";
      },
      15s);
  REQUIRE(missed);
  auto b_row = LineStartingWith(round.out.substr(round.out.find("checkpoints:")), "2");
  REQUIRE(b_row.size() == 6);
  CHECK(b_row[3] == "-");                                       // not scanned
  CHECK_THAT(b_row[4], Catch::Matches("20[0-9-]+T[0-9:.]+Z"));  // declared missed at
  CHECK(b_row[5] == "no");

  // Nobody acting (a service's key, here the console's, names nobody by itself; a person's
  // key would act as its person).
  auto anonymous = ctl({"excuse", "1", "B", "--reason", "fence under repair"}, "console");
  CHECK(anonymous.exit_code == 2);
  CHECK(anonymous.err ==
        "picketctl patrol excuse: who is acting? give --as PERSON (or set $PICKET_ACTOR)\n");

  auto excuse =
      ctl({"excuse", "1", "B", "--reason", "fence under repair", "--as", "chief"}, "chief");
  CHECK(excuse.exit_code == 0);
  CHECK(excuse.out == "round 1 (perimeter at gate-1): checkpoint B excused: fence under repair\n");
  round = ctl({"round", "1"});
  CHECK(StateOf(round, "B") == "excused");
  auto again =
      ctl({"excuse", "1", "B", "--reason", "fence under repair", "--as", "chief"}, "chief");
  CHECK(again.exit_code == 1);
  CHECK_THAT(again.err, Catch::StartsWith("picketctl patrol excuse: wrongState: "));

  auto cancel = ctl({"cancel", "999", "--reason", "x", "--as", "chief"}, "chief");
  CHECK(cancel.exit_code == 1);
  CHECK(cancel.out.empty());
  CHECK_THAT(cancel.err, Catch::StartsWith("picketctl patrol cancel: unknownRound: "));

  auto no_by = ctl({"extend", "1", "--reason", "x", "--as", "chief"}, "chief");
  CHECK(no_by.exit_code == 2);
  CHECK_THAT(no_by.err, Catch::Contains("--by"));

  auto rounds = ctl({"rounds", "--csv"});
  REQUIRE(rounds.exit_code == 0);
  CHECK_THAT(rounds.out,
             Catch::StartsWith("round,route,post,") && Catch::Contains("\r\n1,perimeter,gate-1,,"));

  auto completion = ctl({"completion", "--by", "guard"});
  REQUIRE(completion.exit_code == 0);
  CHECK_THAT(completion.out, Catch::StartsWith("completion by guard, "));
  auto guard = LineStartingWith(completion.out, "guard-7");
  REQUIRE(guard.size() == 10);  // GUARD ROUNDS COMPLETED NOT-STARTED LATE CP... RATE
  CHECK(guard[1] == "1");       // rounds
  CHECK(guard[5] == "1");       // checkpoints on time: A
  CHECK(guard[8] == "1");       // checkpoints excused: B
  CHECK_THAT(guard[9], Catch::EndsWith("%"));

  auto json = ctl({"round", "1", "--json"});
  REQUIRE(json.exit_code == 0);
  auto j = nlohmann::json::parse(json.out);
  CHECK(j["error"] == "none");
  CHECK(j["rounds"][0]["guard"] == "guard-7");
  CHECK(j["rounds"][0]["checkpoints"][1]["state"] == "excused");

  // Nobody at the endpoint: exit 3 within the timeout.
  auto nobody = Picketctl(
      work, {"patrol", "current", "--commands", "tcp://127.0.0.1:1", "--timeout", "300ms"});
  CHECK(nobody.exit_code == 3);
  CHECK_THAT(nobody.err, Catch::StartsWith("picketctl patrol current: no answer from "
                                           "picket-patrol at tcp://127.0.0.1:1"));
}

}  // namespace picket
