#include "terminal/wire_convert.h"

#include <capnp/message.h>

#include <catch2/catch.hpp>
#include <set>

#include "terminal/core/terminal_test_support.h"
#include "wire/event_id.h"
#include "wire/event_rules.h"

namespace picket::terminal {
namespace {

using testing::kSecond;
using testing::kT0;

// `e` as a whole bus event of the terminal: FillEvent plus the envelope the kit adds.
struct Built {
  capnp::MallocMessageBuilder message;
  bool ok = false;
  std::string error;
  wire::Event::Reader Read() { return message.getRoot<wire::Event>().asReader(); }
};

void Build(const OutgoingEvent& e, Built& b) {
  auto event = b.message.initRoot<wire::Event>();
  const EventId id = EventId::Random();
  event.setId(
      capnp::Data::Reader(reinterpret_cast<const capnp::byte*>(id.Bytes().data()), EventId::kSize));
  event.setSite("test-site");
  event.setProducer("gate-1-terminal");
  b.ok = FillEvent(e, event, &b.error);
}

}  // namespace

TEST_CASE("terminal wire: every event a guard's session emits is one the bus accepts",
          "[terminal][wire]") {
  testing::Terminal t;
  t.OnDuty();
  t.Type("PASS-1001");
  t.Type("/out");
  t.Type("PASS-1001");
  t.Type("/visitor v-42 g2");
  t.Type("/manual Jane Roe courier without a pass, called the office");
  t.Type("/round start");
  t.Type("CP-1");
  t.Type("/round end");
  t.Type("/incident fire smoke in hall 2");
  t.Type("/panic");
  t.Bind(t.session.OnTimer(kT0 + 11 * kSecond));
  t.Type("1357");  // the duress code, scanned: a silent panic
  t.Type("/logout", kT0 + 12 * kSecond);

  std::set<std::string> types;
  for (const OutgoingEvent& e : t.published) {
    Built b;
    Build(e, b);
    INFO(e.type << ": " << b.error);
    REQUIRE(b.ok);
    auto refused = CheckPublishable(b.Read(), "test-site");
    INFO((refused ? refused->message : std::string()));
    CHECK_FALSE(refused.has_value());
    CHECK(std::string(b.Read().getActor().cStr()) == e.actor);
    CHECK(b.Read().getObservedAt() == e.observed_at);
    types.insert(e.type);
  }
  CHECK(types == std::set<std::string>{"shift.started", "terminal.pass_scanned",
                                       "terminal.visitor_arrived", "terminal.manual_entry",
                                       "terminal.round_started", "terminal.checkpoint_scanned",
                                       "terminal.round_ended", "terminal.incident_reported",
                                       "terminal.panic_pressed", "shift.ended"});
}

TEST_CASE(
    "terminal wire: fields are set by their type, and a field the body cannot take is "
    "refused",
    "[terminal][wire]") {
  OutgoingEvent scan{
      1,
      "terminal.pass_scanned",
      {{"post", "gate-1"}, {"passCode", "P-1"}, {"direction", "out"}, {"gate", "g2"}},
      "g-7",
      kT0};
  Built b;
  Build(scan, b);
  REQUIRE(b.ok);
  auto body = b.Read().getBody().getAs<wire::PassScanned>();
  CHECK(std::string(body.getPost().cStr()) == "gate-1");
  CHECK(std::string(body.getPassCode().cStr()) == "P-1");
  CHECK(body.getDirection() == wire::Direction::OUT);
  CHECK(std::string(body.getGate().cStr()) == "g2");
  CHECK(std::string(b.Read().getType().cStr()) == "terminal.pass_scanned");

  OutgoingEvent panic{
      2, "terminal.panic_pressed", {{"post", "gate-1"}, {"duress", "true"}}, "g-7", kT0};
  Built p;
  Build(panic, p);
  REQUIRE(p.ok);
  CHECK(p.Read().getBody().getAs<wire::PanicPressed>().getDuress());

  auto refused = [](OutgoingEvent e) {
    Built r;
    Build(e, r);
    CHECK_FALSE(r.ok);
    return r.error;
  };
  CHECK(refused({3, "terminal.nope", {}, "g-7", kT0}) ==
        "terminal: 'terminal.nope' is not a registered event type");
  CHECK(refused({4, "terminal.panic_pressed", {{"colour", "red"}}, "g-7", kT0}) ==
        "terminal: terminal.panic_pressed: the body has no field colour");
  CHECK(refused({5, "terminal.panic_pressed", {{"duress", "yes"}}, "g-7", kT0}) ==
        "terminal: terminal.panic_pressed: field duress cannot take 'yes'");
  CHECK(refused({6, "terminal.pass_scanned", {{"direction", "sideways"}}, "g-7", kT0}) ==
        "terminal: terminal.pass_scanned: field direction cannot take 'sideways'");
}

TEST_CASE("terminal wire: decisions and incidents read as the session takes them",
          "[terminal][wire]") {
  capnp::MallocMessageBuilder m;
  auto granted = m.initRoot<wire::AccessGranted>();
  granted.setPost("gate-1");
  granted.setPerson("p-9");
  granted.setScanSeq(41);
  DecisionOnWire g = FromGranted(granted.asReader());
  CHECK(g.scan_seq == 41);
  CHECK(g.post == "gate-1");
  CHECK(g.decision.granted);
  CHECK(g.decision.person == "p-9");

  capnp::MallocMessageBuilder n;
  auto denied = n.initRoot<wire::AccessDenied>();
  denied.setPost("gate-2");
  denied.setReason("expired");
  denied.setScanSeq(42);
  DecisionOnWire d = FromDenied(denied.asReader());
  CHECK(d.scan_seq == 42);
  CHECK(d.post == "gate-2");
  CHECK_FALSE(d.decision.granted);
  CHECK(d.decision.reason == "expired");
  CHECK(d.decision.person.empty());

  capnp::MallocMessageBuilder o;
  auto opened = o.initRoot<wire::IncidentOpened>();
  opened.setIncident(7);
  opened.setIncidentType("fire");
  opened.setPost("gate-1");
  opened.setSeverity(wire::Severity::HIGH);
  opened.setTriggerSeq(43);
  IncidentOnWire i = FromOpened(opened.asReader());
  CHECK(i.trigger_seq == 43);
  CHECK(i.info.id == 7);
  CHECK(i.info.kind == "fire");
  CHECK(i.info.post == "gate-1");
  CHECK(i.info.severity == "high");
  CHECK(i.info.trigger_event_id.empty());
}

}  // namespace picket::terminal
