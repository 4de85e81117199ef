// picket-terminal's adapter (TerminalService) on a ServiceHost, in-process: a real
// RocksDB, a scripted bus, a hand-moved clock. Lines typed go out as the terminal's
// events; a decision of picket-access for one of its scans comes back as the big verdict
// and the standard phrase; an incident at its post shows with its steps.
#include "terminal/terminal_service.h"

#include <catch2/catch.hpp>

#include "terminal/core/terminal_test_support.h"
#include "testing/service_harness.h"
#include "wire/codec.h"

namespace picket::terminal {
namespace {

using picket::testing::kTestTime;
using picket::testing::MakeTypedEvent;
using picket::testing::ServiceHarness;

ServiceHostOptions Options() {
  ServiceHostOptions o;
  o.name = "gate-1-terminal";
  return o;
}

struct Seen {
  std::string type, producer, actor;
  uint64_t seq = 0;
};

std::vector<Seen> Published(const ServiceHarness& h) {
  std::vector<Seen> out;
  for (const auto& frame : h.Derived()) {
    std::string error;
    auto msg = DecodedMessage::Decode(frame, &error);
    auto e = msg->Root<wire::Event>();
    out.push_back({e.getType().cStr(), e.getProducer().cStr(), e.getActor().cStr(), e.getSeq()});
  }
  return out;
}

bool Printed(const std::vector<std::string>& lines, const std::string& line) {
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

}  // namespace

TEST_CASE(
    "terminal in the harness: typed lines go out as its events, a decision for its scan "
    "comes back with the standard phrase, an incident at its post with its steps",
    "[terminal][harness]") {
  ServiceHarness h(Options());
  const TerminalConfig config = testing::TestConfig();
  std::vector<std::string> printed;
  int draws = 0;
  TerminalService service(
      h.host(), config,
      [&](const std::vector<std::string>& lines) {
        printed.insert(printed.end(), lines.begin(), lines.end());
      },
      [&](const ScreenModel&) { ++draws; });
  REQUIRE(h.Start());
  // The bus is there: its heartbeat heard (else the terminal says the network is down).
  h.bus().Heartbeat();
  REQUIRE(h.RunUntil([&] { return h.host().bus_last_heard() > 0; }, std::chrono::seconds(10)));

  service.OnLine("/login g-7 2468");
  service.OnLine("/ack");
  service.OnLine("P-4711");
  REQUIRE(h.Settle([&] { return Published(h).size() == 2; }));
  auto out = Published(h);
  CHECK(out[0].type == "shift.started");
  CHECK(out[1].type == "terminal.pass_scanned");
  CHECK(out[1].producer == "gate-1-terminal");
  CHECK(out[1].actor == "g-7");
  CHECK(service.session().screen().stage == Stage::kOnDuty);
  CHECK(service.session().screen().last.verdict == Verdict::kChecking);
  CHECK(service.session().screen().connection == Connection::kUp);

  // picket-access denies the scan (its seq on the bus): the phrase of the site's language.
  const uint64_t scan_seq = out[1].seq;
  h.Publish(
      MakeTypedEvent(event_types::kAccessDenied, kTestTime, [&](wire::AccessDenied::Builder b) {
        b.setPost("gate-1");
        b.setReason("expired");
        b.setPassCode("P-4711");
        b.setScanSeq(scan_seq);
      }));
  REQUIRE(h.Settle([&] { return service.session().screen().last.verdict == Verdict::kDenied; }));
  CHECK(service.session().screen().last.phrase == testing::kFrDeniedExpired);
  CHECK(Printed(printed, "SAY " + std::string(testing::kFrDeniedExpired)));

  // A decision for a scan of another post, or one it did not publish, changes nothing.
  h.Publish(
      MakeTypedEvent(event_types::kAccessGranted, kTestTime, [&](wire::AccessGranted::Builder b) {
        b.setPost("gate-1");
        b.setPerson("p-1");
        b.setScanSeq(scan_seq - 1);  // shift.started: not a scan
      }));
  REQUIRE(h.Settle());
  CHECK(service.session().screen().last.verdict == Verdict::kDenied);

  // An incident opened at its post shows with its procedure; a step done is ticked.
  h.Publish(
      MakeTypedEvent(event_types::kIncidentOpened, kTestTime, [&](wire::IncidentOpened::Builder b) {
        b.setIncident(5);
        b.setIncidentType("fire");
        b.setPost("gate-1");
        b.setSeverity(wire::Severity::HIGH);
      }));
  REQUIRE(h.Settle([&] { return service.session().screen().incidents.size() == 1; }));
  const IncidentOnScreen& fire = service.session().screen().incidents[0];
  CHECK(fire.id == 5);
  CHECK(fire.steps.size() == 3);
  h.Publish(MakeTypedEvent(event_types::kStepDone, kTestTime, [&](wire::StepDone::Builder b) {
    b.setIncident(5);
    b.setStep("call");
  }));
  REQUIRE(h.Settle([&] { return service.session().screen().incidents[0].steps[0].done; }));
  h.Publish(MakeTypedEvent(event_types::kIncidentResolved, kTestTime,
                           [&](wire::IncidentResolved::Builder b) { b.setIncident(5); }));
  REQUIRE(h.Settle([&] { return service.session().screen().incidents.empty(); }));
  CHECK(draws > 3);

  // A round: patrol completes it (another post's completion changes nothing).
  service.OnLine("/round start north");
  REQUIRE(h.Settle([&] { return service.session().screen().in_round; }));
  auto completed = [&](const char* post) {
    return MakeTypedEvent(event_types::kRoundCompleted, kTestTime,
                          [&](wire::RoundCompleted::Builder b) {
                            b.setPost(post);
                            b.setRoute("north");
                            b.setOnTime(2);
                            b.setMissed(1);
                          });
  };
  h.Publish(completed("gate-2"));
  REQUIRE(h.Settle());
  CHECK(service.session().screen().in_round);
  h.Publish(completed("gate-1"));
  REQUIRE(h.Settle([&] { return !service.session().screen().in_round; }));
  CHECK(Printed(printed, "OK Round complete: 2 on time, 0 late, 1 missed."));

  // A malformed line: refused with a message, nothing published, the terminal goes on.
  const size_t before = Published(h).size();
  service.OnLine("/frobnicate");
  service.OnLine("/logout");
  REQUIRE(h.Settle([&] { return Published(h).size() == before + 1; }));
  CHECK(Published(h).back().type == "shift.ended");
  CHECK(std::any_of(printed.begin(), printed.end(),
                    [](const std::string& l) { return l.rfind("ERR unknown_command", 0) == 0; }));
}

}  // namespace picket::terminal
