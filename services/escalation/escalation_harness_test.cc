// picket-escalation's real adapter (EscalationService) on a ServiceHost, in-process: a
// real RocksDB, a scripted bus, a hand-moved clock. Events in, timer rows fired by moving
// the clock, commands on the real endpoint, effects read back from the bus's log.
#include <capnp/message.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <catch2/catch.hpp>
#include <sstream>

#include "escalation/escalation_service.h"
#include "escalation/escalation_test_support.h"
#include "escalation/wire_convert.h"
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

std::string AckRequest(uint64_t incident, const std::string& actor, char id_byte = 'k') {
  capnp::MallocMessageBuilder b;
  auto r = b.initRoot<wire::EscalationRequest>();
  r.setActor(actor);
  r.initAcknowledge().setIncident(incident);
  std::string id(16, id_byte);
  r.setCommandId(capnp::Data::Reader(reinterpret_cast<const capnp::byte*>(id.data()), id.size()));
  return Encode(b);
}

// The north squad on shift (lea leads gate-1; otto, mia at hq) and an intrusion report
// at `post`, published to the harness's bus.
void StaffNorth(ServiceHarness& h) {
  h.Publish(Shift("lea", "gate-1", "squad_leader"));
  h.Publish(Shift("otto", "hq", "duty_officer"));
  h.Publish(Shift("mia", "hq", "manager"));
}
void ReportIntrusion(ServiceHarness& h, const std::string& post, const std::string& note = "") {
  h.Publish(MakeTypedEvent(event_types::kIncidentReported, testing::kT0,
                           [&](wire::IncidentReported::Builder b) {
                             b.setPost(post);
                             b.setKind("intrusion");
                             if (!note.empty()) b.setNote(note);
                           }));
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

  StaffNorth(h);
  ReportIntrusion(h, "gate-1");
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

namespace picket::escalation {

// Issue 9: a report whose kind no rule names was dropped with no log line and no metric.
TEST_CASE(
    "escalation in the harness: a report whose kind matches no rule is counted and logged "
    "instead of dropped silently",
    "[escalation][harness]") {
  std::ostringstream log;
  struct CaptureLog {  // the default logger writes to `log` for the test's length
    explicit CaptureLog(std::ostringstream& out) {
      spdlog::set_default_logger(std::make_shared<spdlog::logger>(
          "capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(out)));
    }
    ~CaptureLog() { spdlog::set_default_logger(previous); }
    std::shared_ptr<spdlog::logger> previous = spdlog::default_logger();
  } capture(log);
  ServiceHarness h(Options(), testing::kT0);
  EscalationConfig config = testing::LoadConfig(testing::kStandardConfig);
  EscalationService service(h.host(), config);
  REQUIRE(h.Start());
  const std::string unmatched = "picket_escalation_unmatched_triggers_total";
  CHECK(h.Metric(unmatched) == 0);

  auto report = [](const std::string& kind) {
    return MakeTypedEvent(event_types::kIncidentReported, testing::kT0,
                          [&](wire::IncidentReported::Builder b) {
                            b.setPost("gate-1");
                            b.setKind(kind);
                          });
  };
  // The rules name "intrusion" only; a shift is not a trigger type (not counted).
  h.Publish(report("fyre"));
  h.Publish(Shift("otto", "hq", "duty_officer"));
  REQUIRE(h.Settle());
  CHECK(h.Derived().empty());
  CHECK(h.Metric(unmatched) == 1);
  CHECK_THAT(log.str(), Catch::Contains("no rule matches terminal.incident_reported #1") &&
                            Catch::Contains("kind='fyre'") && Catch::Contains("post='gate-1'"));

  h.Publish(report("intrusion"));  // matched: opens an incident, not counted
  REQUIRE(h.Settle());
  CHECK(h.Metric(unmatched) == 1);
  CHECK_FALSE(h.Derived().empty());
}

}  // namespace picket::escalation

namespace picket::escalation {

TEST_CASE(
    "escalation in the harness: page after ack (issue 9): the reply to an ack waits until "
    "the alert a step raised just before it and the ack are on the bus, and says so when "
    "the bus takes longer than reply_wait",
    "[escalation][harness][page_after_ack]") {
  ServiceHarness h(Options(), testing::kT0);
  EscalationConfig config = testing::LoadConfig(testing::kStandardConfig);
  EscalationService service(h.host(), config);
  REQUIRE(h.Start());
  StaffNorth(h);
  ReportIntrusion(h, "gate-1", "fence cut");
  REQUIRE(h.Settle());
  const size_t level1 = Published(h).size();

  // The bus stops acking (a backed-up outbox): the level's wait passes, the step fires and
  // its alerts wait in the outbox; then otto acknowledges.
  auto& bus = h.bus();
  bus.ingest_mode = picket::testing::ScriptedBus::IngestMode::kHold;
  h.clock().Advance(testing::Sec(30));
  REQUIRE(h.RunUntil([&] { return bus.held.size() >= 3; }, std::chrono::milliseconds(10000)));
  h.SendCommand(AckRequest(1, "otto"));
  auto has_ack = [&] {
    for (const auto& p : bus.held)
      if (p.type == "escalation.incident_acknowledged") return true;
    return false;
  };
  REQUIRE(h.RunUntil(has_ack, std::chrono::milliseconds(10000)));
  CHECK_FALSE(h.AwaitReply(std::chrono::milliseconds(200)));  // not on the bus: no reply

  // The bus records them, in the order they were sent: then, and only then, the reply.
  const auto held = bus.held;
  bus.held.clear();
  bus.ingest_mode = picket::testing::ScriptedBus::IngestMode::kAck;
  for (const auto& p : held) bus.Ack(p);
  auto frame = h.AwaitReply(std::chrono::milliseconds(10000));
  REQUIRE(frame);
  std::string error;
  auto reply = DecodeReply(*frame, &error);
  REQUIRE(reply);
  CHECK(reply->ok());
  CHECK_FALSE(reply->unpublished);
  REQUIRE(h.Settle());
  auto events = Published(h);
  size_t ack_at = 0, last_alert_at = 0;
  for (size_t i = level1; i < events.size(); ++i) {
    if (events[i].first == "escalation.incident_acknowledged") ack_at = i;
    if (events[i].first == "escalation.alert_raised") last_alert_at = i;
  }
  CHECK(last_alert_at > level1);  // the step did raise alerts (mia, chief) ...
  CHECK(ack_at > last_alert_at);  // ... all of them on the bus before the ack
  CHECK(h.Metric("picket_service_replies_held_total{service=\"escalation\"}") == 1);

  // A refusal changed nothing: answered at once, even while the bus holds everything.
  bus.ingest_mode = picket::testing::ScriptedBus::IngestMode::kHold;
  ReportIntrusion(h, "gate-2", "fence cut");  // incident 2: its alerts wait in the outbox
  REQUIRE(h.RunUntil([&] { return !bus.held.empty(); }, std::chrono::milliseconds(10000)));
  auto refused = h.Command(AckRequest(1, "otto", 'r'));
  REQUIRE(refused);
  CHECK(DecodeReply(*refused, &error)->error == CommandError::kAlreadyAcknowledged);

  // The bus stays silent past reply_wait: the ack is stored, and the reply says it is not
  // on the bus yet.
  h.SendCommand(AckRequest(2, "otto", 'q'));
  REQUIRE(h.RunUntil(has_ack, std::chrono::milliseconds(10000)));
  CHECK_FALSE(h.AwaitReply(std::chrono::milliseconds(100)));
  h.clock().Advance(config.reply_wait);
  auto late = h.AwaitReply(std::chrono::milliseconds(10000));
  REQUIRE(late);
  auto late_reply = DecodeReply(*late, &error);
  REQUIRE(late_reply);
  CHECK(late_reply->ok());
  CHECK(late_reply->unpublished);
  CHECK(h.Metric("picket_service_replies_unpublished_total{service=\"escalation\"}") == 1);
}

}  // namespace picket::escalation

namespace picket::escalation {
namespace {

std::string ListIncidentsRequest(Micros from, Micros to, const std::string& post) {
  capnp::MallocMessageBuilder b;
  auto q = b.initRoot<wire::EscalationRequest>().initListIncidents();
  q.setFrom(from);
  q.setTo(to);
  q.setPost(post);
  return Encode(b);
}

}  // namespace

TEST_CASE(
    "escalation in the harness: listIncidents on the endpoint lists the incidents opened in "
    "a range at a post from the store, and refuses a bad range",
    "[escalation][harness][list]") {
  ServiceHarness h(Options(), testing::kT0);
  EscalationConfig config = testing::LoadConfig(testing::kStandardConfig);
  EscalationService service(h.host(), config);
  REQUIRE(h.Start());
  StaffNorth(h);
  ReportIntrusion(h, "gate-1", "fence cut");  // 1 at kT0
  REQUIRE(h.Settle());
  h.clock().Advance(testing::Sec(60));
  ReportIntrusion(h, "gate-2");  // 2 at kT0 + 1m
  REQUIRE(h.Settle());
  h.clock().Advance(testing::Sec(3600));
  // 3 at kT0 + 61m: a panic at gate-1 (another type, so not grouped with 1).
  h.Publish(MakeTypedEvent(event_types::kPanicPressed, testing::kT0,
                           [&](wire::PanicPressed::Builder b) { b.setPost("gate-1"); }));
  REQUIRE(h.Settle());

  std::string error;
  auto frame =
      h.Command(ListIncidentsRequest(testing::kT0, testing::kT0 + testing::Sec(7200), "gate-1"));
  REQUIRE(frame);
  auto reply = DecodeReply(*frame, &error);
  REQUIRE(reply);
  REQUIRE(reply->ok());
  CHECK_FALSE(reply->truncated);
  REQUIRE(reply->incidents.size() == 2);
  CHECK(reply->incidents[0].id == 1);
  CHECK(reply->incidents[0].first_opened_at == testing::kT0);
  CHECK(reply->incidents[0].post == "gate-1");
  CHECK(reply->incidents[0].state == IncidentState::kOpen);
  CHECK(reply->incidents[1].id == 3);
  CHECK(reply->incidents[1].type == "panic");
  CHECK(reply->incidents[1].first_opened_at == testing::kT0 + testing::Sec(3660));

  frame = h.Command(ListIncidentsRequest(testing::kT0, testing::kT0 + testing::Sec(3600), ""));
  REQUIRE(frame);
  reply = DecodeReply(*frame, &error);
  REQUIRE(reply);
  REQUIRE(reply->incidents.size() == 2);
  CHECK(reply->incidents[1].id == 2);

  // Bad input: invalid_argument with a message, counted as refused.
  frame = h.Command(ListIncidentsRequest(testing::kT0, testing::kT0 - 1, "gate-1"));
  REQUIRE(frame);
  reply = DecodeReply(*frame, &error);
  REQUIRE(reply);
  CHECK(reply->error == CommandError::kInvalidArgument);
  CHECK(reply->message.find("must be before to") != std::string::npos);
  frame = h.Command(
      ListIncidentsRequest(testing::kT0, testing::kT0 + testing::Sec(32LL * 24 * 3600), ""));
  REQUIRE(frame);
  CHECK(DecodeReply(*frame, &error)->error == CommandError::kInvalidArgument);
  CHECK(h.Metric("picket_escalation_requests_refused_total") == 2);
}

}  // namespace picket::escalation
