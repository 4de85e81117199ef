// picket-escalation's real adapter (EscalationService) on a ServiceHost, in-process: a
// real RocksDB, a scripted bus, a hand-moved clock. Events in, timer rows fired by moving
// the clock, commands on the real endpoint, effects read back from the bus's log.
#include <capnp/message.h>

#include <catch2/catch.hpp>

#include "escalation/escalation_service.h"
#include "escalation/escalation_test_support.h"
#include "testing/service_harness.h"
#include "wire/codec.h"

namespace picket::escalation {
namespace {

using picket::testing::MakeTypedEvent;
using picket::testing::ServiceHarness;

ServiceHostOptions Options() {
  ServiceHostOptions o;
  o.name = "escalation";
  o.tables = Escalation::Tables();
  o.commands = "any";
  return o;
}

std::string Shift(const std::string& person, const std::string& post, const std::string& role) {
  return MakeTypedEvent(event_types::kShiftStarted, testing::kT0,
                        [&](wire::ShiftStarted::Builder b) {
                          b.setPerson(person);
                          b.setPost(post);
                          b.setRole(role);
                        });
}

// (type, person alerted or "") of every event the service published, in bus order.
std::vector<std::pair<std::string, std::string>> Published(const ServiceHarness& h) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& frame : h.Derived()) {
    std::string error;
    auto msg = DecodedMessage::Decode(frame, &error);
    auto e = msg->Root<wire::Event>();
    std::string type = e.getType().cStr();
    std::string person;
    if (type == event_types::kAlertRaised.name)
      person = e.getBody().getAs<wire::AlertRaised>().getPerson().cStr();
    out.emplace_back(type, person);
  }
  return out;
}

std::string AckRequest(uint64_t incident, const std::string& actor) {
  capnp::MallocMessageBuilder b;
  auto r = b.initRoot<wire::EscalationRequest>();
  r.setActor(actor);
  r.initAcknowledge().setIncident(incident);
  std::string id(16, 'k');
  r.setCommandId(capnp::Data::Reader(reinterpret_cast<const capnp::byte*>(id.data()), id.size()));
  return Encode(b);
}

}  // namespace

TEST_CASE(
    "escalation in the harness: a report alerts level 1, the wait brings level 2, an "
    "ack on the endpoint stops it",
    "[escalation][harness]") {
  ServiceHarness h(Options(), testing::kT0);
  EscalationConfig config = testing::LoadConfig(testing::kStandardConfig);
  EscalationService service(h.host(), config);
  REQUIRE(h.Start());

  h.Publish(Shift("lea", "gate-1", "squad_leader"));
  h.Publish(Shift("otto", "hq", "duty_officer"));
  h.Publish(Shift("mia", "hq", "manager"));
  h.Publish(MakeTypedEvent(event_types::kIncidentReported, testing::kT0,
                           [](wire::IncidentReported::Builder b) {
                             b.setPost("gate-1");
                             b.setKind("intrusion");
                           }));
  REQUIRE(h.Settle());
  auto level1 = Published(h);
  CHECK(level1 ==
        std::vector<std::pair<std::string, std::string>>{{"escalation.incident_opened", ""},
                                                         {"escalation.alert_raised", "lea"},
                                                         {"escalation.alert_raised", "otto"}});

  // Nothing before the level's 30 s; at 30 s the managers.
  REQUIRE(h.Advance(testing::Sec(29)));
  CHECK(Published(h).size() == level1.size());
  REQUIRE(h.Advance(testing::Sec(1)));
  auto level2 = Published(h);
  REQUIRE(level2.size() > level1.size());
  CHECK(level2[level1.size()].first == "escalation.incident_escalated");
  std::vector<std::string> alerted2;
  for (size_t i = level1.size(); i < level2.size(); ++i)
    if (level2[i].first == "escalation.alert_raised") alerted2.push_back(level2[i].second);
  CHECK(alerted2 ==
        std::vector<std::string>{"mia", "chief"});  // all:manager: on duty, then configured

  // Nothing refused yet (registering the endpoint counts nothing); garbage is malformed.
  CHECK(h.Metric("picket_escalation_requests_refused_total") == 0);
  CHECK(h.Metric("picket_service_commands_refused_total{service=\"escalation\","
                 "reason=\"malformed\"}") == 0);
  auto garbage = h.Command("not a request");
  REQUIRE(garbage);
  std::string garbage_error;
  auto garbage_reply = DecodedMessage::Decode(*garbage, &garbage_error);
  REQUIRE(garbage_reply);
  CHECK(garbage_reply->template Root<wire::EscalationReply>().getError() ==
        wire::EscalationError::MALFORMED);
  CHECK(h.Metric("picket_service_commands_refused_total{service=\"escalation\","
                 "reason=\"malformed\"}") == 1);

  // An ack on the command endpoint; its retry is answered from the record.
  auto reply_frame = h.Command(AckRequest(1, "otto"));
  REQUIRE(reply_frame);
  std::string error;
  auto reply = DecodedMessage::Decode(*reply_frame, &error);
  REQUIRE(reply);
  CHECK(reply->template Root<wire::EscalationReply>().getError() == wire::EscalationError::NONE);
  CHECK(h.Command(AckRequest(1, "otto")) == reply_frame);
  REQUIRE(h.Settle());
  auto acked = Published(h);
  CHECK(acked.back().first == "escalation.incident_acknowledged");

  // No alert follows the ack, however long nobody resolves it (until the ack timeout).
  REQUIRE(h.Advance(testing::Sec(600)));
  CHECK(Published(h).size() == acked.size());
}

}  // namespace picket::escalation

namespace picket::escalation {

TEST_CASE(
    "escalation in the harness: a command whose Text is not UTF-8 is refused as malformed and "
    "changes nothing",
    "[escalation][harness][text]") {
  ServiceHarness h(Options(), testing::kT0);
  EscalationConfig config = testing::LoadConfig(testing::kStandardConfig);
  EscalationService service(h.host(), config);
  REQUIRE(h.Start());
  h.Publish(Shift("otto", "hq", "duty_officer"));
  h.Publish(MakeTypedEvent(event_types::kIncidentReported, testing::kT0,
                           [](wire::IncidentReported::Builder b) {
                             b.setPost("gate-1");
                             b.setKind("intrusion");
                           }));
  REQUIRE(h.Settle());
  const size_t published = h.Derived().size();
  const std::string refused =
      "picket_service_commands_refused_total{service=\"escalation\",reason=\"malformed\"}";
  const std::string bad = "\xff\xfe-bad";

  // Each request is valid but for one Text: the actor, or a field inside the union.
  auto note = [&](const std::string& actor, const std::string& text) {
    capnp::MallocMessageBuilder b;
    auto r = b.initRoot<wire::EscalationRequest>();
    r.setActor(capnp::Text::Reader(actor.data(), actor.size()));
    auto n = r.initAddNote();
    n.setIncident(1);
    n.setText(capnp::Text::Reader(text.data(), text.size()));
    std::string id(16, 'n');
    r.setCommandId(capnp::Data::Reader(reinterpret_cast<const capnp::byte*>(id.data()), id.size()));
    return Encode(b);
  };
  struct Case {
    std::string frame, field;
  };
  const std::vector<Case> cases = {
      {note(bad, "door open"), "request.actor"},
      {note("otto", bad), "request.addNote.text"},
      {note("otto", std::string("a\0b", 3)), "request.addNote.text"},
  };
  double count = h.Metric(refused);
  for (const auto& c : cases) {
    INFO(c.field);
    auto frame = h.Command(c.frame);
    REQUIRE(frame);
    std::string error;
    auto reply = DecodedMessage::Decode(*frame, &error);
    REQUIRE(reply);
    auto r = reply->template Root<wire::EscalationReply>();
    CHECK(r.getError() == wire::EscalationError::MALFORMED);
    CHECK(std::string(r.getMessage().cStr()).rfind(c.field + " ", 0) == 0);
    CHECK(h.Metric(refused) == ++count);
  }
  REQUIRE(h.Settle());
  CHECK(h.Derived().size() == published);  // nothing applied, nothing emitted

  // The same note in clean text is applied.
  auto frame = h.Command(note("otto", "door open \xc3\xa9"));
  REQUIRE(frame);
  std::string error;
  auto reply = DecodedMessage::Decode(*frame, &error);
  REQUIRE(reply);
  CHECK(reply->template Root<wire::EscalationReply>().getError() == wire::EscalationError::NONE);
  REQUIRE(h.Settle());
  CHECK(h.Derived().size() == published + 1);
}

}  // namespace picket::escalation
