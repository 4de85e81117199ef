#include "picketctl/incident_format.h"

#include <capnp/message.h>

#include <catch2/catch.hpp>
#include <limits>

#include "escalation/wire_convert.h"
#include "picket/schemas/escalation.capnp.h"
#include "wire/codec.h"

namespace picket {
namespace {

using Catch::Contains;
using escalation::DecodeReply;
using escalation::IncidentState;
using escalation::IncidentSummary;
using escalation::Reply;
using escalation::SchemaName;

constexpr Micros kSecond = kMicrosPerSecond;
constexpr Micros kNow = 1'764'104'584'000'000;  // 2025-11-25T21:03:04Z

void FillSummary(wire::IncidentSummary::Builder s) {
  s.setIncident(12);
  s.setVersion(7);
  s.setIncidentType("intrusion");
  s.setSeverity(wire::Severity::HIGH);
  s.setState(wire::IncidentState::ACKNOWLEDGED);
  s.setPost("gate-1");
  s.setGroupKey("gate-1");
  s.setCount(3);
  s.setOpenedAt(kNow - (5 * 60 + 12) * kSecond);
  s.setLevel(1);
  s.setAcknowledgedBy("ann");
}

std::string DetailReply() {
  capnp::MallocMessageBuilder b;
  auto r = b.initRoot<wire::EscalationReply>();
  r.setIncident(12);
  r.setVersion(7);
  auto d = r.initDetail();
  FillSummary(d.initSummary());
  auto steps = d.initProcedure(2);
  steps[0].setStep("secure_gate");
  steps[0].setText("Close and lock the gate");
  steps[0].setMandatory(true);
  steps[0].setPhrase("Stop. Security. Please stay where you are.");
  steps[0].setDone(true);
  steps[0].setDoneBy("ann");
  steps[0].setDoneAt(kNow - 60 * kSecond);
  steps[1].setStep("call_police");
  steps[1].setText("Call the police");
  auto history = d.initHistory(2);
  history[0].setAt(kNow - (5 * 60 + 12) * kSecond);
  history[0].setType("escalation.incident_opened");
  history[0].setText("opened by rule 1 from terminal.incident_reported #40");
  history[0].setVersion(1);
  history[1].setAt(kNow - 2 * 60 * kSecond);
  history[1].setType("escalation.incident_acknowledged");
  history[1].setActor("ann");
  history[1].setText("acknowledged at level 1");
  history[1].setVersion(6);
  d.setAckDeadline(kNow + 9 * 60 * kSecond);
  d.setNote("fence cut near the north gate");
  return Encode(b);
}

Reply Parse(const std::string& frame) {
  std::string error;
  auto a = DecodeReply(frame, &error);
  INFO(error);
  REQUIRE(a.has_value());
  return *a;
}

}  // namespace

TEST_CASE("A reply frame becomes plain values with the schema's enum names", "[incident_format]") {
  auto a = Parse(DetailReply());
  CHECK(a.ok());
  CHECK(a.incident == 12);
  REQUIRE(a.detail.has_value());
  CHECK(SchemaName(a.detail->summary.severity) == "high");
  CHECK(SchemaName(a.detail->summary.state) == "acknowledged");
  CHECK(a.detail->procedure.size() == 2);
  CHECK(a.detail->procedure[0].step.phrase == "Stop. Security. Please stay where you are.");
  CHECK(a.detail->history[1].actor == "ann");
  CHECK(a.detail->ack_deadline == kNow + 9 * 60 * kSecond);

  capnp::MallocMessageBuilder b;
  auto r = b.initRoot<wire::EscalationReply>();
  r.setError(wire::EscalationError::MANDATORY_STEPS);
  r.setMessage("2 mandatory steps are not done");
  auto missing = r.initMissingSteps(2);
  missing.set(0, "secure_gate");
  missing.set(1, "call_police");
  auto refused = Parse(Encode(b));
  CHECK_FALSE(refused.ok());
  CHECK(SchemaName(refused.error) == "mandatorySteps");
  CHECK_FALSE(refused.detail.has_value());
  CHECK(FormatRefusal(refused) ==
        "mandatorySteps: 2 mandatory steps are not done\n"
        "missing steps: secure_gate, call_police\n");

  r.setError(static_cast<wire::EscalationError>(99));  // from a newer service
  CHECK(SchemaName(Parse(Encode(b)).error) == "unknown(99)");
  CHECK(FormatRefusal(Parse(Encode(b))) ==
        "unknown(99): 2 mandatory steps are not done\n"
        "missing steps: secure_gate, call_police\n");
}

TEST_CASE("A frame that is not an EscalationReply is an error, not a crash", "[incident_format]") {
  std::string error;
  CHECK_FALSE(DecodeReply("", &error));
  CHECK_FALSE(DecodeReply("not a capnp message", &error));
  CHECK_THAT(error, Contains("unreadable reply"));
  std::string truncated = DetailReply();
  truncated.resize(truncated.size() / 2 / 8 * 8);
  CHECK_FALSE(DecodeReply(truncated, &error));
}

TEST_CASE("Each command's result is one line with who and the version", "[incident_format]") {
  Reply a;
  a.incident = 12;
  a.version = 7;
  IncidentArgs args;
  args.actor = "ann";
  args.verb = IncidentVerb::kAcknowledge;
  CHECK(FormatCommandResult(args, a) == "incident 12 acknowledged by ann (version 7)");
  args.verb = IncidentVerb::kStepDone;
  args.step = "secure_gate";
  CHECK(FormatCommandResult(args, a) == "incident 12: step secure_gate done by ann (version 7)");
  args.verb = IncidentVerb::kResolve;
  args.override_reason = "false alarm";
  CHECK(FormatCommandResult(args, a) ==
        "incident 12 resolved by ann with override: false alarm (version 7)");
  args.verb = IncidentVerb::kReassign;
  args.to = "bob";
  CHECK(FormatCommandResult(args, a) == "incident 12 reassigned to bob by ann (version 7)");
  args.verb = IncidentVerb::kSilence;
  args.duration = "15m";
  args.reason = "drill";
  CHECK(FormatCommandResult(args, a) == "incident 12 silenced for 15m by ann: drill (version 7)");
}

TEST_CASE("The open-incident table has a header and one aligned row per incident",
          "[incident_format]") {
  CHECK(FormatIncidentTable({}, kNow) == "no open incidents\n");
  auto detail = Parse(DetailReply()).detail->summary;
  IncidentSummary fallback = detail;
  fallback.id = 9;
  fallback.type = "panic";
  fallback.state = IncidentState::kOpen;
  fallback.level = 0;
  fallback.post = "";
  fallback.acknowledged_by = "";
  fallback.assignee = "bob";
  fallback.silenced_until = kNow + 60 * kSecond;
  fallback.opened_at = kNow - 3 * 3600 * kSecond;
  IncidentSummary newer = detail;  // from a newer service: values this build cannot name
  newer.id = 13;
  newer.severity = static_cast<escalation::Severity>(7);
  newer.state = static_cast<IncidentState>(9);
  CHECK_THAT(FormatIncidentTable({newer}, kNow),
             Contains("\n13  intrusion  unknown(7)  unknown(9)  gate-1  1      3      5m12s"));
  CHECK(IncidentSummaryToJson(newer)["severity"] == "unknown(7)");
  std::string table = FormatIncidentTable({fallback, detail}, kNow);
  CHECK(table ==
        "ID  TYPE       SEVERITY  STATE          POST    LEVEL     COUNT  OPENED  ACK BY  "
        "ASSIGNEE\n"
        "9   panic      high      open silenced  -       fallback  3      3h00m   -       bob\n"
        "12  intrusion  high      acknowledged   gate-1  1         3      5m12s   ann     -\n");
}

TEST_CASE("One incident in full: procedure with done marks and phrases, then history",
          "[incident_format]") {
  auto d = *Parse(DetailReply()).detail;
  std::string text = FormatIncidentDetails(d, kNow);
  INFO(text);
  CHECK_THAT(text, Catch::StartsWith("incident 12: intrusion, high, acknowledged (version 7)\n"));
  CHECK_THAT(text, Contains("\n  ack deadline     2025-11-25T21:12:04.000Z (in 9m00s)\n"));
  CHECK_THAT(text, Contains("\n  next step        -\n"));
  CHECK_THAT(text, Contains("  [x] secure_gate: Close and lock the gate (mandatory) - done by "
                            "ann at 2025-11-25T21:02:04.000Z\n"
                            "      say: \"Stop. Security. Please stay where you are.\"\n"
                            "  [ ] call_police: Call the police\n"));
  CHECK_THAT(text, Contains("history:\n  2025-11-25T20:57:52.000Z  -    opened by rule 1"));
  CHECK_THAT(text, Contains("  2025-11-25T21:01:04.000Z  ann  acknowledged at level 1\n"));
  auto history_at = text.find("history:");
  CHECK(text.find("procedure:") < history_at);
  CHECK_THAT(text, Contains("\n  key              gate-1 (3 triggers)\n"));
  CHECK_THAT(text, Contains("\n  note             fence cut near the north gate\n"));
  d.summary.count = 1;
  CHECK_THAT(FormatIncidentDetails(d, kNow), Contains("gate-1 (1 trigger)\n"));
}

TEST_CASE("JSON keeps the schema's field names and unix microseconds", "[incident_format]") {
  auto d = *Parse(DetailReply()).detail;
  auto j = IncidentDetailsToJson(d);
  CHECK(j["summary"]["incident"] == 12);
  CHECK(j["summary"]["state"] == "acknowledged");
  CHECK(j["procedure"][0]["done"] == true);
  CHECK(j["procedure"][1]["mandatory"] == false);
  CHECK(j["history"].size() == 2);
  CHECK(j["ackDeadline"] == kNow + 9 * 60 * kSecond);
  CHECK(j["note"] == "fence cut near the north gate");
  auto list = IncidentListToJson({d.summary});
  CHECK(list["incidents"][0]["acknowledgedBy"] == "ann");
  CHECK(IncidentListToJson({}).dump() == R"({"incidents":[]})");
}

TEST_CASE("Ages are rounded down and compact", "[incident_format]") {
  CHECK(FormatAge(-5 * kSecond) == "0s");
  CHECK(FormatAge(59 * kSecond + 999'999) == "59s");
  CHECK(FormatAge(60 * kSecond) == "1m00s");
  CHECK(FormatAge(3599 * kSecond) == "59m59s");
  CHECK(FormatAge(3600 * kSecond) == "1h00m");
  CHECK(FormatAge(86400 * kSecond + 4 * 3600 * kSecond) == "1d04h");
  CHECK(FormatWhen(0, kNow) == "-");
  CHECK(FormatWhen(kNow - 90 * kSecond, kNow) == "2025-11-25T21:01:34.000Z (1m30s ago)");
}

TEST_CASE("The duty table lists post, role, person, since and who leads the post",
          "[incident_format]") {
  CHECK(FormatDutyTable({}, kNow) == "nobody is on duty\n");
  std::vector<escalation::DutyEntry> duty = {
      {{"rita", "gate-1", "guard", kNow - 3600 * kSecond}, false},
      {{"lea", "hq", "squad_leader", kNow - 7200 * kSecond}, true}};
  CHECK(FormatDutyTable(duty, kNow) ==
        "POST    ROLE          PERSON  SINCE                                 LEADS\n"
        "gate-1  guard         rita    2025-11-25T20:03:04.000Z (1h00m ago)  -\n"
        "hq      squad_leader  lea     2025-11-25T19:03:04.000Z (2h00m ago)  yes\n");
  auto j = DutyListToJson(duty);
  CHECK(j["onDuty"][1] == nlohmann::ordered_json{{"person", "lea"},
                                                 {"post", "hq"},
                                                 {"role", "squad_leader"},
                                                 {"since", kNow - 7200 * kSecond},
                                                 {"leadsPost", true}});
}

// The input scripts/fuzz (escalation_reply) found: a reply of 248 bytes whose onDuty list
// declares millions of zero-sized entries. DecodeReply built every one and picketctl
// printed them for seconds, with hundreds of MB (now the frame's traversal limit refuses
// such a list, wire/codec.h).
TEST_CASE("A reply of 248 bytes cannot decode to millions of on-duty entries",
          "[incident_format][fuzz]") {
  const std::string frame(
      "\x00\x00\x00\x00\x1e\x00\x00\x00\x00\x00\x00\x00\x03\x00\x05\x00"
      "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
      "\x00\x00\x00\x00\x00\x00\x00\x00\x11\x00\x00\x00\x0a\x00\x00\x00"
      "\x11\x00\x00\x00\x06\x00\x00\x00\x0d\x00\x00\x00\x07\x00\x00\x00"
      "\x00\x00\x00\x00\x00\x00\x00\x00\x09\x00\x00\x00\x00\x00\x57\x00"
      "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x06\x00\x05\x00"
      "\x08\x00\x00\x00\x02\x00\x03\x00\x00\x40\x62\x41\x59\x44\x06\x00"
      "\x01\x00\x00\x00\x00\x00\x00\x00\x1d\x00\x00\x00\x22\x00\x00\x00"
      "\x1d\x00\x00\x00\x3a\x00\x00\x00\x1d\x00\x00\x00\x6a\x00\x00\x00"
      "\x00\x40\x62\x41\x59\x44\x06\x00\x00\x00\x00\x00\x00\x00\x00\x00"
      "\x19\x00\x00\x00\x2a\x00\x00\x00\x19\x00\x00\x00\x1a\x00\x00\x00"
      "\x19\x00\x00\x00\x6a\x00\x00\x00\x6c\x65\x61\x00\x00\xf9\xff\xff"
      "\x98\x61\x74\x65\x2d\x31\x00\x00\x73\x71\x75\x61\x64\x5f\x6c\x65"
      "\x61\x64\x65\x72\x00\x00\x00\x00\x6f\x74\x74\x6f\x00\x00\x00\x00"
      "\x68\x71\x00\x00\x00\x00\x00\x00\x64\x75\x74\x79\x5f\x6f\x66\x66"
      "\x69\x63\x65\x72\x00\x00\x00\x00",
      248);
  std::string error;
  auto reply = DecodeReply(frame, &error);
  if (reply) {
    CHECK(reply->on_duty.size() < 10000);
    CHECK(DutyListToJson(reply->on_duty)["onDuty"].size() == reply->on_duty.size());
  } else {
    CHECK_THAT(error, Contains("traversal limit"));
  }
}

// FormatStatus's overflow (fuzzing, bus_status) was also here: times from a reply are any
// 64-bit value, and now - opened_at overflowed for one near INT64_MIN.
TEST_CASE("Incident times at the ends of the 64-bit range print without overflow",
          "[incident_format][fuzz]") {
  IncidentSummary s;
  s.id = 1;
  s.opened_at = std::numeric_limits<Micros>::min();
  CHECK_THAT(FormatIncidentTable({s}, kNow), Contains("1"));
  escalation::IncidentDetail d;
  d.summary = s;
  d.next_step_at = std::numeric_limits<Micros>::max();
  d.ack_deadline = std::numeric_limits<Micros>::min() + 1;
  std::string text = FormatIncidentDetails(d, kNow);
  CHECK_THAT(text, Contains("ago"));
  CHECK_THAT(text, Contains("(in "));
}

}  // namespace picket
