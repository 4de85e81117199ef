// The adapter's conversions: bus events in, core events out (checked with the bus's own
// rules), requests in, replies out.
#include "escalation/wire_convert.h"

#include <capnp/message.h>

#include <catch2/catch.hpp>

#include "picket/schemas/roster.capnp.h"
#include "picket/schemas/terminal.capnp.h"
#include "wire/codec.h"
#include "wire/event_id.h"
#include "wire/event_rules.h"

namespace picket::escalation {
namespace {

constexpr Micros kT0 = 1'764'000'000'000'000;

void Envelope(wire::Event::Builder e, const std::string& type) {
  auto id = EventId::Random();
  e.setId(capnp::Data::Reader(reinterpret_cast<const capnp::byte*>(id.Bytes().data()), 16));
  e.setSite("plant-1");
  e.setType(type);
  e.setProducer("escalation");
}

// Emits `out` as the adapter does and returns the encoded event, after checking that
// the bus would accept it.
std::string Emitted(const OutgoingEvent& out) {
  capnp::MallocMessageBuilder b;
  auto e = b.initRoot<wire::Event>();
  Envelope(e, "placeholder.type");
  FillEvent(e, out);
  auto rejection = CheckPublishable(e.asReader(), "plant-1");
  INFO((rejection ? rejection->message : ""));
  CHECK_FALSE(rejection.has_value());
  return Encode(b);
}

std::string Request(const std::function<void(wire::EscalationRequest::Builder)>& fill) {
  capnp::MallocMessageBuilder b;
  fill(b.initRoot<wire::EscalationRequest>());
  return Encode(b);
}

std::optional<Command> Convert(const std::string& frame, wire::EscalationError* code,
                               std::string* message) {
  std::string error;
  auto msg = DecodedMessage::Decode(frame, &error);
  REQUIRE(msg);
  return ToCommand(msg->Root<wire::EscalationRequest>(), code, message);
}

}  // namespace

TEST_CASE("wire: a terminal's report becomes a recorded event with snake_case fields",
          "[escalation][wire]") {
  capnp::MallocMessageBuilder b;
  auto e = b.initRoot<wire::Event>();
  Envelope(e, "terminal.incident_reported");
  e.setProducer("terminal-gate-1");
  e.setActor("guard-7");
  e.setObservedAt(kT0);
  e.setSeq(42);
  e.setRecordedAt(kT0 + 5);
  auto body = e.getBody().initAs<wire::IncidentReported>();
  body.setPost("gate-1");
  body.setKind("intrusion");
  body.setNote("fence cut");
  RecordedEvent r = ToRecordedEvent(e.asReader());
  CHECK(r.seq == 42);
  CHECK(r.type == "terminal.incident_reported");
  CHECK(r.recorded_at == kT0 + 5);
  CHECK(r.fields == std::map<std::string, std::string>{{"post", "gate-1"},
                                                       {"kind", "intrusion"},
                                                       {"note", "fence cut"},
                                                       {"actor", "guard-7"},
                                                       {"producer", "terminal-gate-1"}});
  CHECK(SnakeCase("passCode") == "pass_code");
  CHECK(SnakeCase("post") == "post");

  // Enums by name, and a shift start with the roster's fields.
  capnp::MallocMessageBuilder b2;
  auto s = b2.initRoot<wire::Event>();
  Envelope(s, "shift.started");
  auto shift = s.getBody().initAs<wire::ShiftStarted>();
  shift.setPerson("ann");
  shift.setPost("hq");
  shift.setRole("duty_officer");
  auto fields = ToRecordedEvent(s.asReader()).fields;
  CHECK(fields.at("person") == "ann");
  CHECK(fields.at("role") == "duty_officer");

  // A type without a registered body: the envelope's fields only.
  capnp::MallocMessageBuilder b3;
  auto u = b3.initRoot<wire::Event>();
  Envelope(u, "demo.tick");
  CHECK(ToRecordedEvent(u.asReader()).fields.size() == 2);
}

TEST_CASE("wire: every core event is emitted with its registered body", "[escalation][wire]") {
  std::vector<EventBody> bodies = {
      IncidentOpened{"intrusion",
                     Severity::kHigh,
                     "gate-1",
                     "gate-1",
                     "standard",
                     "terminal.incident_reported",
                     4,
                     "guard-7",
                     0,
                     {{"post", "gate-1"}}},
      IncidentGrouped{2, "terminal.incident_reported", 9},
      AlertRaised{"ann", 1, 0, false, "role:duty_officer", "opened", 0, kT0 + 30'000'000},
      IncidentEscalated{1, 2, 0, false, "wait_passed", 1500},
      LevelUnstaffed{2, {"all:manager"}},
      IncidentAcknowledged{1, 12'000'000, kT0 + 600'000'000},
      IncidentUnacknowledged{true, 10},
      StepDone{"secure_gate", "Close and lock the gate", true},
      NoteAdded{"dog on site"},
      IncidentResolved{"false alarm", {"secure_gate"}, 60'000'000},
      IncidentReopened{3, "terminal.incident_reported", 20, kT0},
      IncidentSilenced{kT0 + 900'000'000, "maintenance"},
      SilenceEnded{5},
      IncidentReassigned{"bob", "ann", "shift change", "ann"},
      IncidentCancelled{},
  };
  for (const auto& body : bodies) {
    OutgoingEvent out{"ann", kT0, 7, 3, body};
    std::string frame = Emitted(out);
    std::string error;
    auto msg = DecodedMessage::Decode(frame, &error);
    REQUIRE(msg);
    auto e = msg->Root<wire::Event>();
    CHECK(std::string(e.getType().cStr()) == std::string(out.type()));
    CHECK(std::string(e.getActor().cStr()) == "ann");
    CHECK(e.getObservedAt() == kT0);
  }
  // Spot-check the fields of the alert, which picket-notify reads.
  std::string frame = Emitted(OutgoingEvent{"", kT0, 7, 3, bodies[2]});
  std::string error;
  auto msg = DecodedMessage::Decode(frame, &error);
  auto alert = msg->Root<wire::Event>().getBody().getAs<wire::AlertRaised>();
  CHECK(alert.getIncident() == 7);
  CHECK(alert.getVersion() == 3);
  CHECK(std::string(alert.getPerson().cStr()) == "ann");
  CHECK(alert.getLevel() == 1);
  CHECK(std::string(alert.getTarget().cStr()) == "role:duty_officer");
  CHECK(alert.getRespondBy() == kT0 + 30'000'000);
}

TEST_CASE("wire: requests become commands, bad ones are refused with a code",
          "[escalation][wire]") {
  wire::EscalationError code = wire::EscalationError::NONE;
  std::string message;
  std::string id(16, '\x01');
  auto cmd = Convert(Request([&](auto r) {
                       r.setActor("ann");
                       r.initAcknowledge().setIncident(12);
                       r.setCommandId(capnp::Data::Reader(
                           reinterpret_cast<const capnp::byte*>(id.data()), id.size()));
                     }),
                     &code, &message);
  REQUIRE(cmd);
  CHECK(cmd->actor == "ann");
  CHECK(std::get<Acknowledge>(cmd->body).incident == 12);

  cmd = Convert(Request([](auto r) {
                  r.setActor("ann");
                  auto s = r.initSilence();
                  s.setIncident(3);
                  s.setDuration(900'000'000);
                  s.setReason("drill");
                }),
                &code, &message);
  REQUIRE(cmd);
  CHECK(std::get<Silence>(cmd->body).duration == 900'000'000);
  CHECK(std::get<Silence>(cmd->body).reason == "drill");

  cmd = Convert(Request([](auto r) {
                  r.setActor("ann");
                  auto s = r.initMarkStepDone();
                  s.setIncident(3);
                  s.setStep("secure_gate");
                }),
                &code, &message);
  REQUIRE(cmd);
  CHECK(std::get<MarkStepDone>(cmd->body).step == "secure_gate");

  CHECK_FALSE(
      Convert(Request([](auto r) { r.initAcknowledge().setIncident(1); }), &code, &message));
  CHECK(code == wire::EscalationError::INVALID_ARGUMENT);
  CHECK(message == "actor is empty");
  CHECK(Convert(Request([](auto r) { r.setListOpen(); }), &code,
                &message));  // a query: no actor needed

  CHECK_FALSE(Convert(Request([](auto r) {
                        r.setActor("ann");
                        r.initAcknowledge().setIncident(1);
                        r.setCommandId(
                            capnp::Data::Reader(reinterpret_cast<const capnp::byte*>("short"), 5));
                      }),
                      &code, &message));
  CHECK(message == "commandId must be 16 bytes, got 5");

  CHECK_FALSE(Convert(Request([](auto r) {
                        r.setActor(std::string(65, 'a'));
                        r.setListOpen();
                      }),
                      &code, &message));
  CHECK(code == wire::EscalationError::INVALID_ARGUMENT);
}

TEST_CASE("wire: replies carry errors, lists and the whole detail", "[escalation][wire]") {
  Reply r;
  r.error = CommandError::kMandatoryStepsMissing;
  r.message = "steps missing";
  r.incident = 4;
  r.version = 9;
  r.missing_steps = {"secure_gate", "call_police"};
  IncidentSummary s;
  s.id = 4;
  s.type = "intrusion";
  s.severity = Severity::kCritical;
  s.state = IncidentState::kAcknowledged;
  s.acknowledged_by = "ann";
  r.incidents = {s};
  IncidentDetail d;
  d.summary = s;
  d.procedure = {
      StepStatus{ProcedureStep{"secure_gate", "Close", true, "Stop."}, true, "ann", kT0}};
  d.history = {HistoryEntry{kT0, "escalation.incident_opened", "", "opened", 1}};
  d.next_step_at = kT0 + 1;
  r.detail = d;

  std::string frame = EncodeReply(r);
  std::string error;
  auto msg = DecodedMessage::Decode(frame, &error);
  REQUIRE(msg);
  auto w = msg->Root<wire::EscalationReply>();
  CHECK(w.getError() == wire::EscalationError::MANDATORY_STEPS);
  CHECK(w.getVersion() == 9);
  CHECK(w.getMissingSteps().size() == 2);
  REQUIRE(w.getIncidents().size() == 1);
  CHECK(w.getIncidents()[0].getSeverity() == wire::Severity::CRITICAL);
  CHECK(w.getIncidents()[0].getState() == wire::IncidentState::ACKNOWLEDGED);
  CHECK(std::string(w.getIncidents()[0].getAcknowledgedBy().cStr()) == "ann");
  REQUIRE(w.hasDetail());
  CHECK(std::string(w.getDetail().getProcedure()[0].getPhrase().cStr()) == "Stop.");
  CHECK(w.getDetail().getProcedure()[0].getDone());
  CHECK(std::string(w.getDetail().getHistory()[0].getText().cStr()) == "opened");
  CHECK(w.getDetail().getNextStepAt() == kT0 + 1);

  std::string error_frame = EncodeError(wire::EscalationError::MALFORMED, "bad");
  auto err = DecodedMessage::Decode(error_frame, &error);  // a view: the frame must outlive it
  REQUIRE(err);
  CHECK(err->Root<wire::EscalationReply>().getError() == wire::EscalationError::MALFORMED);
}

}  // namespace picket::escalation
