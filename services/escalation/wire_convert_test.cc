// The adapter's conversions: bus events in, core events out (checked with the bus's own
// rules), requests in, replies out.
#include "escalation/wire_convert.h"

#include <capnp/message.h>
#include <capnp/schema.h>

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

// Field by field (the core's reply values have no operator==); CHECKs name what differs.
void CheckSame(const IncidentSummary& a, const IncidentSummary& b) {
  CHECK(a.id == b.id);
  CHECK(a.version == b.version);
  CHECK(a.type == b.type);
  CHECK(a.severity == b.severity);
  CHECK(a.state == b.state);
  CHECK(a.post == b.post);
  CHECK(a.group_key == b.group_key);
  CHECK(a.count == b.count);
  CHECK(a.opened_at == b.opened_at);
  CHECK(a.level == b.level);
  CHECK(a.acknowledged_by == b.acknowledged_by);
  CHECK(a.assignee == b.assignee);
  CHECK(a.silenced_until == b.silenced_until);
  CHECK(a.first_opened_at == b.first_opened_at);
  CHECK(a.acknowledged_at == b.acknowledged_at);
  CHECK(a.resolved_at == b.resolved_at);
  CHECK(a.resolved_by == b.resolved_by);
}

void CheckSame(const Reply& a, const Reply& b) {
  CHECK(a.error == b.error);
  CHECK(a.message == b.message);
  CHECK(a.incident == b.incident);
  CHECK(a.version == b.version);
  CHECK(a.missing_steps == b.missing_steps);
  CHECK(a.truncated == b.truncated);
  REQUIRE(a.incidents.size() == b.incidents.size());
  for (size_t i = 0; i < a.incidents.size(); ++i) CheckSame(a.incidents[i], b.incidents[i]);
  REQUIRE(a.detail.has_value() == b.detail.has_value());
  if (!a.detail) return;
  const IncidentDetail& x = *a.detail;
  const IncidentDetail& y = *b.detail;
  CheckSame(x.summary, y.summary);
  REQUIRE(x.procedure.size() == y.procedure.size());
  for (size_t i = 0; i < x.procedure.size(); ++i) {
    CHECK(x.procedure[i].step.id == y.procedure[i].step.id);
    CHECK(x.procedure[i].step.text == y.procedure[i].step.text);
    CHECK(x.procedure[i].step.mandatory == y.procedure[i].step.mandatory);
    CHECK(x.procedure[i].step.phrase == y.procedure[i].step.phrase);
    CHECK(x.procedure[i].done == y.procedure[i].done);
    CHECK(x.procedure[i].by == y.procedure[i].by);
    CHECK(x.procedure[i].at == y.procedure[i].at);
  }
  CHECK(x.history == y.history);
  CHECK(x.next_step_at == y.next_step_at);
  CHECK(x.ack_deadline == y.ack_deadline);
  CHECK(x.cancel_window_until == y.cancel_window_until);
  CHECK(x.resolved_at == y.resolved_at);
  CHECK(x.resolved_by == y.resolved_by);
  CHECK(x.override_reason == y.override_reason);
  CHECK(x.note == y.note);
}

Reply Decoded(std::string_view frame) {
  std::string error;
  auto reply = DecodeReply(frame, &error);
  INFO(error);
  REQUIRE(reply.has_value());
  return *reply;
}

// A reply with every field set: two listed incidents and a whole detail.
Reply FullReply() {
  Reply r;
  r.error = CommandError::kMandatoryStepsMissing;
  r.message = "2 mandatory steps are not done";
  r.incident = 4;
  r.version = 9;
  r.missing_steps = {"secure_gate", "call_police"};
  r.truncated = true;
  IncidentSummary s{.id = 4,
                    .version = 9,
                    .type = "intrusion",
                    .severity = Severity::kCritical,
                    .state = IncidentState::kAcknowledged,
                    .post = "gate-1",
                    .group_key = "gate-1/fence",
                    .count = 3,
                    .opened_at = kT0,
                    .level = 2,
                    .acknowledged_by = "ann",
                    .assignee = "bob",
                    .silenced_until = kT0 + 900'000'000,
                    .first_opened_at = kT0 - 7,
                    .acknowledged_at = kT0 + 8,
                    .resolved_at = kT0 + 9,
                    .resolved_by = "cid"};
  IncidentSummary panic{.id = 7,
                        .version = 1,
                        .type = "panic",
                        .severity = Severity::kHigh,
                        .state = IncidentState::kPending,
                        .post = "",
                        .group_key = "north",
                        .count = 1,
                        .opened_at = kT0 + 5,
                        .level = 0,
                        .acknowledged_by = "",
                        .assignee = "",
                        .silenced_until = 0,
                        .first_opened_at = 0,
                        .acknowledged_at = 0,
                        .resolved_at = 0,
                        .resolved_by = ""};
  r.incidents = {s, panic};
  IncidentDetail d;
  d.summary = s;
  d.procedure = {
      StepStatus{ProcedureStep{"secure_gate", "Close and lock the gate", true, "Stop."}, true,
                 "ann", kT0 + 60'000'000},
      StepStatus{ProcedureStep{"call_police", "Call the police", false, ""}, false, "", 0}};
  d.history = {HistoryEntry{kT0, "escalation.incident_opened", "", "opened", 1},
               HistoryEntry{kT0 + 30'000'000, "escalation.incident_acknowledged", "ann",
                            "acknowledged at level 1", 6}};
  d.next_step_at = kT0 + 1;
  d.ack_deadline = kT0 + 2;
  d.cancel_window_until = kT0 + 3;
  d.resolved_at = kT0 + 4;
  d.resolved_by = "carl";
  d.override_reason = "false alarm";
  d.note = "fence cut near the north gate";
  r.detail = d;
  return r;
}

template <typename WireEnum>
std::string EnumerantName(uint16_t number) {
  return capnp::Schema::from<WireEnum>().getEnumerants()[number].getProto().getName().cStr();
}

template <typename WireEnum>
unsigned EnumerantCount() {
  return capnp::Schema::from<WireEnum>().getEnumerants().size();
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
      AlertRaised{"ann", 1, 0, false, "role:duty_officer", "opened", 0, kT0 + 30'000'000,
                  "intrusion", "gate-1", Severity::kHigh, "fence cut"},
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
  CHECK(std::string(alert.getIncidentType().cStr()) == "intrusion");
  CHECK(std::string(alert.getPost().cStr()) == "gate-1");
  CHECK(alert.getSeverity() == wire::Severity::HIGH);
  CHECK(std::string(alert.getNote().cStr()) == "fence cut");
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

  cmd = Convert(Request([](auto r) {  // a query too: no actor needed
                  auto q = r.initListIncidents();
                  q.setFrom(kT0);
                  q.setTo(kT0 + 3600'000'000);
                  q.setPost("gate-1");
                }),
                &code, &message);
  REQUIRE(cmd);
  CHECK(std::get<ListIncidents>(cmd->body).from == kT0);
  CHECK(std::get<ListIncidents>(cmd->body).to == kT0 + 3600'000'000);
  CHECK(std::get<ListIncidents>(cmd->body).post == "gate-1");

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

TEST_CASE("wire: DecodeReply gives back what EncodeReply encoded", "[escalation][wire]") {
  Reply full = FullReply();
  CheckSame(Decoded(EncodeReply(full)), full);

  // A success without a detail stays without one; an empty list stays empty.
  Reply ack;
  ack.incident = 12;
  ack.version = 7;
  Reply back = Decoded(EncodeReply(ack));
  CHECK(back.ok());
  CHECK_FALSE(back.detail.has_value());
  CHECK_FALSE(back.unpublished);
  CheckSame(back, ack);
  // The adapter marks a reply sent before its events were on the bus; nothing else changes.
  Reply marked = Decoded(MarkUnpublished(EncodeReply(ack)));
  CHECK(marked.unpublished);
  CheckSame(marked, ack);

  // A detail with an empty procedure and history.
  Reply show;
  show.detail = IncidentDetail{};
  show.detail->summary.state = IncidentState::kCancelled;
  show.detail->summary.severity = Severity::kLow;
  CheckSame(Decoded(EncodeReply(show)), show);

  // Every state and severity the core has.
  for (auto state : {IncidentState::kPending, IncidentState::kOpen, IncidentState::kAcknowledged,
                     IncidentState::kResolved, IncidentState::kCancelled}) {
    Reply r;
    r.incidents = {IncidentSummary{}};
    r.incidents[0].state = state;
    CHECK(Decoded(EncodeReply(r)).incidents.at(0).state == state);
  }
  for (auto severity : {Severity::kLow, Severity::kMedium, Severity::kHigh, Severity::kCritical}) {
    Reply r;
    r.incidents = {IncidentSummary{}};
    r.incidents[0].severity = severity;
    CHECK(Decoded(EncodeReply(r)).incidents.at(0).severity == severity);
  }

  // The adapter's own errors come back as their numbers.
  CHECK(Decoded(EncodeError(wire::EscalationError::UNAVAILABLE, "busy")).error ==
        kErrorUnavailable);
  CHECK(Decoded(EncodeError(wire::EscalationError::MALFORMED, "bad")).error == kErrorMalformed);
  CHECK(Decoded(EncodeError(wire::EscalationError::UNAUTHORIZED, "no")).error ==
        kErrorUnauthorized);
  CHECK(Decoded(EncodeError(wire::EscalationError::UNAVAILABLE, "busy")).message == "busy");
}

TEST_CASE("wire: DecodeReply reads unaligned frames and never throws on bad ones",
          "[escalation][wire]") {
  std::string frame = EncodeReply(FullReply());
  // Off by one byte from any alignment the allocator gave.
  std::string buffer = "x" + frame;
  CheckSame(Decoded(std::string_view(buffer).substr(1)), FullReply());

  std::string error;
  CHECK_FALSE(DecodeReply("", &error));
  CHECK_THAT(error, Catch::Contains("unreadable reply"));
  error.clear();
  CHECK_FALSE(DecodeReply("not a capnp message", &error));
  CHECK_THAT(error, Catch::Contains("unreadable reply"));
  CHECK_FALSE(DecodeReply(std::string_view(frame).substr(0, frame.size() / 2 / 8 * 8), &error));

  // Every byte damaged in turn: a reply or an error, never an exception.
  size_t decoded = 0;
  for (size_t i = 0; i < frame.size(); ++i) {
    for (uint8_t flip : {0x01, 0x80, 0xff}) {
      std::string bad = frame;
      bad[i] = static_cast<char>(bad[i] ^ flip);
      std::optional<Reply> r;
      CHECK_NOTHROW(r = DecodeReply(bad, &error));
      if (r) ++decoded;
    }
  }
  CHECK(decoded > 0);  // damaged texts still decode
}

TEST_CASE("wire: an enum number this build does not know is kept and shown as unknown(N)",
          "[escalation][wire]") {
  // A reply from a newer service: a severity, a state and an error beyond the schema.
  capnp::MallocMessageBuilder b;
  auto w = b.initRoot<wire::EscalationReply>();
  w.setError(static_cast<wire::EscalationError>(99));
  w.setMessage("from the future");
  auto list = w.initIncidents(2);
  list[0].setIncident(1);
  list[0].setSeverity(static_cast<wire::Severity>(7));
  list[0].setState(static_cast<wire::IncidentState>(9));
  list[1].setIncident(2);
  list[1].setSeverity(static_cast<wire::Severity>(300));  // beyond one byte
  list[1].setState(wire::IncidentState::UNKNOWN);
  auto d = w.initDetail();
  d.initSummary().setState(static_cast<wire::IncidentState>(42));
  std::string frame = Encode(b);

  Reply r = Decoded(frame);
  CHECK_FALSE(r.ok());
  CHECK(static_cast<int>(r.error) == 99);
  CHECK(SchemaName(r.error) == "unknown(99)");
  CHECK(r.message == "from the future");
  REQUIRE(r.incidents.size() == 2);
  CHECK(static_cast<int>(r.incidents[0].severity) == 7);
  CHECK(SchemaName(r.incidents[0].severity) == "unknown(7)");
  CHECK(static_cast<int>(r.incidents[0].state) == 9);
  CHECK(SchemaName(r.incidents[0].state) == "unknown(9)");
  CHECK(static_cast<int>(r.incidents[1].severity) == 255);
  CHECK(SchemaName(r.incidents[1].severity) == "unknown(255)");
  CHECK(SchemaName(r.incidents[1].state) == "unknown");  // the schema's @0, never sent
  REQUIRE(r.detail);
  CHECK(SchemaName(r.detail->summary.state) == "unknown(42)");

  // Encoded again, the numbers are what they were.
  std::string again = EncodeReply(r);
  std::string error;
  auto msg = DecodedMessage::Decode(again, &error);
  REQUIRE(msg);
  auto back = msg->Root<wire::EscalationReply>();
  CHECK(static_cast<uint16_t>(back.getError()) == 99);
  CHECK(static_cast<uint16_t>(back.getIncidents()[0].getSeverity()) == 7);
  CHECK(static_cast<uint16_t>(back.getIncidents()[0].getState()) == 9);
  CHECK(static_cast<uint16_t>(back.getDetail().getSummary().getState()) == 42);
}

TEST_CASE("wire: every enumerant of the schema's enums has its name, both ways",
          "[escalation][wire]") {
  // Severity: the schema's enumerants past `unknown` @0 are the core's, same number and
  // same name, and each name parses back; the core has no value the schema lacks.
  REQUIRE(EnumerantName<wire::Severity>(0) == "unknown");
  for (uint16_t n = 1; n < EnumerantCount<wire::Severity>(); ++n) {
    std::string name = EnumerantName<wire::Severity>(n);
    INFO(name);
    auto core = static_cast<Severity>(n);
    CHECK(SeverityName(core) == name);
    CHECK(ParseSeverity(name) == core);
    CHECK(SchemaName(core) == name);
  }
  for (unsigned n = 0; n < 256; ++n) {
    std::string_view name = SeverityName(static_cast<Severity>(n));
    if (ParseSeverity(name)) CHECK((n > 0 && n < EnumerantCount<wire::Severity>()));
  }

  REQUIRE(EnumerantName<wire::IncidentState>(0) == "unknown");
  for (uint16_t n = 1; n < EnumerantCount<wire::IncidentState>(); ++n) {
    std::string name = EnumerantName<wire::IncidentState>(n);
    INFO(name);
    auto core = static_cast<IncidentState>(n);
    CHECK(StateName(core) == name);
    CHECK(ParseState(name) == core);
    CHECK(SchemaName(core) == name);
  }
  for (unsigned n = 0; n < 256; ++n) {
    std::string_view name = StateName(static_cast<IncidentState>(n));
    if (ParseState(name)) CHECK((n > 0 && n < EnumerantCount<wire::IncidentState>()));
  }

  // CommandError: every core code is an EscalationError of the same number (the schema
  // has the adapter's two more: malformed, unavailable; unauthorized is both), and its
  // name is the schema's.
  for (unsigned n = 0; n < 256; ++n) {
    auto core = static_cast<CommandError>(n);
    if (CommandErrorName(core) == "?") continue;
    CHECK(n < EnumerantCount<wire::EscalationError>());
  }
  for (uint16_t n = 0; n < EnumerantCount<wire::EscalationError>(); ++n) {
    auto core = static_cast<CommandError>(n);
    CHECK(SchemaName(core) == EnumerantName<wire::EscalationError>(n));
    // The codes the core has not are exactly the adapter's.
    bool adapters = core == kErrorMalformed || core == kErrorUnavailable;
    CHECK((CommandErrorName(core) == "?") == adapters);
  }
  CHECK(SchemaName(CommandError::kNone) == "none");
  CHECK(SchemaName(CommandError::kMandatoryStepsMissing) == "mandatorySteps");
  CHECK(SchemaName(kErrorUnavailable) == "unavailable");
  CHECK(SchemaName(kErrorMalformed) == "malformed");
  CHECK(SchemaName(kErrorUnauthorized) == "unauthorized");
  CHECK(SchemaName(Severity::kHigh) == "high");
  CHECK(SchemaName(IncidentState::kAcknowledged) == "acknowledged");
}

}  // namespace picket::escalation
