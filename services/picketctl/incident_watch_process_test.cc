// `picketctl incident watch` as a real process against a real picket-bus: the watched
// person's alerts appear on its stdout (with the incident type and post from the opening
// event), other people's do not, state changes of the incidents it showed follow, --from
// replays with --json, Ctrl-C exits 0, no bus is exit 3, and a bus that goes away (and
// comes back) is reported. The bus runs with keys (BusUnderTest): the watch connects with
// the site's picketctl_key (the probe), and the escalation events are published with
// picket-escalation's key, as their producer.
#include <signal.h>
#include <sys/wait.h>

#include <capnp/message.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "picket/schemas/bus.capnp.h"
#include "picketctl/incident_process_test_support.h"
#include "support/bus_fixture.h"
#include "wire/codec.h"
#include "wire/event_json.h"

namespace picket {
namespace {

using namespace std::chrono_literals;
using Catch::Contains;
using testing::BinaryPath;
using testing::ChildProcess;
using testing::ReadFile;
using testing::TempDir;
using testing::WaitUntil;

// Publishes one escalation event (body as JSON, 64-bit integers as strings) and REQUIREs
// the bus's ack.
void Publish(testing::IngestProbe& probe, const std::string& type, const std::string& body,
             const std::string& actor = "") {
  nlohmann::ordered_json j = {{"id", EventId::Random().ToHex()},
                              {"site", "test-site"},
                              {"type", type},
                              {"producer", "escalation"},
                              {"actor", actor},
                              {"observedAt", 1'764'104'584'000'000},
                              {"body", nlohmann::ordered_json::parse(body)}};
  capnp::MallocMessageBuilder b;
  std::string error;
  INFO(type << ": " << error);
  REQUIRE(EventFromJson(j, b.initRoot<wire::BusRequest>().initPublish(), &error));
  probe.Send(Encode(b));
  auto frame = probe.Receive(10s);
  REQUIRE(frame.has_value());
  auto reply = testing::ParseReply(*frame);
  INFO(reply.code << ": " << reply.message);
  REQUIRE(reply.kind == testing::Reply::kAck);
}

std::string Opened(int incident, const std::string& type, const std::string& post) {
  return R"({"incident":")" + std::to_string(incident) + R"(","version":"1","incidentType":")" +
         type + R"(","severity":"high","post":")" + post + R"("})";
}

std::string Alert(int incident, const std::string& person) {
  return R"({"incident":")" + std::to_string(incident) + R"(","version":"2","person":")" + person +
         R"(","level":1,"target":"role:duty_officer","reason":"opened"})";
}

std::string Ref(int incident) { return R"({"incident":")" + std::to_string(incident) + R"("})"; }

bool LogHas(const std::string& path, const std::string& text) {
  return ReadFile(path).find(text) != std::string::npos;
}

// Sends SIGINT (Ctrl-C) and REQUIREs a clean exit 0.
void RequireCtrlCExits0(ChildProcess& p) {
  p.Signal(SIGINT);
  auto status = p.Wait(20s);
  REQUIRE(status.has_value());
  CHECK(WIFEXITED(*status));
  CHECK(WEXITSTATUS(*status) == 0);
}

}  // namespace

TEST_CASE("incident watch prints the person's alerts as they arrive, and their fate",
          "[picketctl][incident][watch][process]") {
  testing::BusUnderTest bus;
  auto endpoints = bus.Start();
  TempDir dir;
  const std::string log = dir / "watch.log";
  ChildProcess watch({BinaryPath("picketctl"), "incident", "watch", "--config", bus.config_path(),
                      "--person", "ann"},
                     log);
  // Live from the bus's head: publish only once it says it is watching.
  bool watching = WaitUntil([&] { return LogHas(log, "watching alerts for ann"); }, 20s);
  INFO(ReadFile(log));
  REQUIRE(watching);

  zmq::context_t ctx;
  testing::IngestProbe probe(ctx, endpoints.ingest, bus.As("escalation"));
  Publish(probe, "escalation.incident_opened", Opened(1, "intrusion", "gate-1"));
  Publish(probe, "escalation.alert_raised", Alert(1, "ann"));
  Publish(probe, "escalation.incident_opened", Opened(2, "panic", "gate-2"));
  Publish(probe, "escalation.alert_raised", Alert(2, "bob"));
  Publish(probe, "escalation.incident_acknowledged", Ref(2), "bob");
  Publish(probe, "escalation.incident_acknowledged", Ref(1), "bob");

  // Events reach the watch in seq order, so once the last one is shown every earlier one
  // has been looked at.
  bool last_shown = WaitUntil([&] { return LogHas(log, "incident 1 acknowledged by bob"); }, 20s);
  std::string out = ReadFile(log);
  INFO(out);
  REQUIRE(last_shown);
  CHECK_THAT(out, Contains("#2 ") && Contains(" incident 1 alert to ann: level 1, opened, target "
                                              "role:duty_officer, intrusion at gate-1\n"));
  CHECK_THAT(out, !Contains("alert to bob"));
  CHECK_THAT(out, !Contains("incident 2"));
  RequireCtrlCExits0(watch);

  // --from replays what was recorded; without --person, everyone's alerts; --json.
  const std::string json_log = dir / "json.log";
  ChildProcess replay({BinaryPath("picketctl"), "incident", "watch", "--config", bus.config_path(),
                       "--from", "1", "--json"},
                      json_log);
  bool replayed = WaitUntil([&] { return LogHas(json_log, "watching alerts for everyone"); }, 20s);
  INFO(ReadFile(json_log));
  REQUIRE(replayed);
  std::vector<nlohmann::json> lines;
  std::istringstream in(ReadFile(json_log));
  for (std::string l; std::getline(in, l);)
    if (!l.empty() && l[0] == '{') lines.push_back(nlohmann::json::parse(l));
  REQUIRE(lines.size() == 4);  // two alerts, two acks
  CHECK(lines[1]["person"] == "bob");
  CHECK(lines[1]["incidentType"] == "panic");
  CHECK(lines[1]["post"] == "gate-2");
  CHECK(lines[2]["type"] == "escalation.incident_acknowledged");
  CHECK(lines[2]["incident"] == 2);
  RequireCtrlCExits0(replay);
}

TEST_CASE("incident watch says when the bus goes quiet and when it is back",
          "[picketctl][incident][watch][process]") {
  testing::BusUnderTest bus;
  bus.Start();
  TempDir dir;
  const std::string log = dir / "watch.log";
  ChildProcess watch({BinaryPath("picketctl"), "incident", "watch", "--config", bus.config_path()},
                     log);
  REQUIRE(WaitUntil([&] { return LogHas(log, "watching alerts for everyone"); }, 20s));
  CHECK_FALSE(LogHas(log, "no word from the bus"));  // heartbeats keep it quiet

  bus.Kill();  // SIGKILL: no more heartbeats
  bool noticed = WaitUntil([&] { return LogHas(log, "no word from the bus for 3 s"); }, 20s);
  INFO(ReadFile(log));
  REQUIRE(noticed);
  bus.Start();  // the same endpoints
  bool back = WaitUntil([&] { return LogHas(log, "the bus is back after"); }, 20s);
  INFO(ReadFile(log));
  CHECK(back);
  RequireCtrlCExits0(watch);
}

TEST_CASE("incident watch without a bus is exit 3", "[picketctl][incident][watch][process]") {
  TempDir dir;
  const std::string nowhere = "ipc://" + (dir / "nobody.sock");
  auto r = testing::Picketctl(
      dir, {"incident", "watch", "--events", nowhere, "--replay", nowhere, "--timeout", "300ms"});
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err, Contains("no answer from the bus"));
}

}  // namespace picket
