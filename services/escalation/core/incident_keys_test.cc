// The stored formats of picket-escalation, pinned byte for byte (DO NOT CHANGE them; add
// new formats instead), and round trips of every key and record.
#include "escalation/core/incident_keys.h"

#include <catch2/catch.hpp>

#include "escalation/core/escalation.h"
#include "escalation/core/incident.h"

namespace picket::escalation {
namespace {

using namespace std::string_literals;

Incident FullIncident() {
  Incident inc;
  inc.id = 42;
  inc.version = 7;
  inc.type = "intrusion";
  inc.severity = Severity::kCritical;
  inc.group_key = "gate-1";
  inc.post = "gate-1";
  inc.policy = "standard";
  inc.state = IncidentState::kAcknowledged;
  inc.count = 3;
  inc.first_trigger_seq = 1001;
  inc.opened_at = 1'700'000'000'000'000;
  inc.last_trigger_at = 1'700'000'000'500'000;
  inc.level = 1;
  inc.pass = 2;
  inc.on_fallback = true;
  inc.next_step_at = 11;
  inc.cancel_window_until = 12;
  inc.ack_deadline = 13;
  inc.silenced_until = 14;
  inc.acknowledged_by = "otto";
  inc.acknowledged_at = 15;
  inc.assignee = "rita";
  inc.steps_done = {{"secure_gate", "lea", 16}, {"photo", "otto", 17}};
  inc.resolved_at = 18;
  inc.resolved_by = "x";
  inc.override_reason = "why";
  inc.timer_due = 19;
  inc.history_size = 20;
  inc.note = "fence cut";
  inc.announced_trigger_at = 0x0102030405060708;
  return inc;
}

}  // namespace

TEST_CASE("Table names are fixed", "[keys]") {
  CHECK(keys::AllTables() == std::vector<std::string>{"incidents", "incident_history",
                                                      "incident_keys", "open_incidents",
                                                      "escalation_counters", "roster"});
  CHECK(Escalation::Tables() == keys::AllTables());
  CHECK(keys::kNextIncidentIdKey == "next_incident_id");
}

TEST_CASE("Incident, history and grouping keys are pinned and round-trip", "[keys]") {
  CHECK(keys::IncidentKey(0x0102) == "\0\0\0\0\0\0\x01\x02"s);
  CHECK(keys::DecodeIncidentKey(keys::IncidentKey(987654321)) == 987654321u);
  CHECK_FALSE(keys::DecodeIncidentKey("1234567"));
  CHECK(keys::HistoryKey(1, 2) == "\0\0\0\0\0\0\0\x01\0\0\0\x02"s);
  CHECK(keys::HistoryKey(1, 2).substr(0, 8) == keys::HistoryPrefix(1));
  auto parts = keys::DecodeHistoryKey(keys::HistoryKey(77, 70000));
  REQUIRE(parts);
  CHECK(parts->id == 77);
  CHECK(parts->n == 70000);
  CHECK_FALSE(keys::DecodeHistoryKey("short"));
  // History rows of one incident sort in order, before the next incident's.
  CHECK(keys::HistoryKey(1, 9) < keys::HistoryKey(1, 10));
  CHECK(keys::HistoryKey(1, 0xffffffff) < keys::HistoryKey(2, 0));
  CHECK(keys::GroupKey("intrusion", "gate-1") == "intrusion\0gate-1"s);
  // The separator keeps "ab"+"c" apart from "a"+"bc".
  CHECK(keys::GroupKey("ab", "c") != keys::GroupKey("a", "bc"));
}

TEST_CASE("Timer ids and payloads are pinned and round-trip", "[keys]") {
  CHECK(keys::TimerId(5) == "esc/\0\0\0\0\0\0\0\x05"s);
  CHECK(keys::DecodeTimerId(keys::TimerId(123456)) == 123456u);
  CHECK_FALSE(keys::DecodeTimerId("bus/\0\0\0\0\0\0\0\x05"s));
  CHECK_FALSE(keys::DecodeTimerId("esc/"));
  CHECK(keys::TimerPayload(3) == "\0\0\0\0\0\0\0\x03"s);
  CHECK(keys::DecodeTimerPayload(keys::TimerPayload(1ULL << 60)) == (1ULL << 60));
}

TEST_CASE("An incident round-trips through its stored form", "[keys][incident]") {
  Incident inc = FullIncident();
  auto back = DecodeIncident(EncodeIncident(inc));
  REQUIRE(back);
  CHECK(*back == inc);
  Incident empty;
  CHECK(DecodeIncident(EncodeIncident(empty)) == empty);
}

TEST_CASE("The stored incident format is pinned", "[keys][incident]") {
  // DO NOT CHANGE: the first bytes of every incident row (format 1, id, version, type).
  std::string bytes = EncodeIncident(FullIncident());
  CHECK(bytes.substr(0, 31) == "\x01\0\0\0\0\0\0\0\x2a\0\0\0\0\0\0\0\x07\0\0\0\x09intrusion\x04"s);
  CHECK(bytes.size() == 269);
  // The note was appended later: a row without it (248 bytes) decodes, with no note.
  CHECK(bytes.substr(248, 13) == "\0\0\0\x09"s + "fence cut");
  auto older = DecodeIncident(std::string_view(bytes).substr(0, 248));
  REQUIRE(older);
  Incident expected = FullIncident();
  expected.note.clear();
  expected.announced_trigger_at = 0;
  CHECK(*older == expected);
  // So was the last announced trigger time: a row with the note but without it decodes.
  CHECK(bytes.substr(261) == "\x01\x02\x03\x04\x05\x06\x07\x08"s);
  auto with_note = DecodeIncident(std::string_view(bytes).substr(0, 261));
  REQUIRE(with_note);
  expected.note = "fence cut";
  CHECK(*with_note == expected);
  // Stored enum values.
  CHECK(static_cast<int>(IncidentState::kPending) == 1);
  CHECK(static_cast<int>(IncidentState::kCancelled) == 5);
  CHECK(static_cast<int>(Severity::kLow) == 1);
  CHECK(static_cast<int>(Severity::kCritical) == 4);
}

TEST_CASE("A truncated or foreign incident row does not decode", "[keys][incident]") {
  std::string bytes = EncodeIncident(FullIncident());
  for (size_t n = 0; n < bytes.size(); n += 7)
    CHECK_FALSE(DecodeIncident(std::string_view(bytes).substr(0, n)));
  std::string wrong_format = bytes;
  wrong_format[0] = 2;
  CHECK_FALSE(DecodeIncident(wrong_format));
  Incident bad_state = FullIncident();
  bad_state.state = static_cast<IncidentState>(9);
  CHECK_FALSE(DecodeIncident(EncodeIncident(bad_state)));
}

TEST_CASE("A history entry round-trips and its format is pinned", "[keys][incident]") {
  HistoryEntry h{5, "escalation.note_added", "otto", "note by otto: hi", 3};
  CHECK(DecodeHistoryEntry(EncodeHistoryEntry(h)) == h);
  CHECK(EncodeHistoryEntry({1, "t", "", "", 2}) ==
        "\x01\0\0\0\0\0\0\0\x01\0\0\0\x01t\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x02"s);
  CHECK_FALSE(DecodeHistoryEntry("\x01\0\0"s));
  CHECK_FALSE(DecodeHistoryEntry(""));
}

TEST_CASE("Deadlines follow the state", "[incident]") {
  Incident inc;
  inc.state = IncidentState::kPending;
  inc.cancel_window_until = 5;
  inc.next_step_at = 3;
  CHECK(NextDeadline(inc) == 5);
  inc.state = IncidentState::kOpen;
  CHECK(NextDeadline(inc) == 3);
  inc.silenced_until = 9;
  CHECK(NextDeadline(inc) == 9);
  inc.state = IncidentState::kAcknowledged;
  inc.ack_deadline = 20;
  CHECK(NextDeadline(inc) == 9);
  inc.silenced_until = 0;
  CHECK(NextDeadline(inc) == 20);
  inc.state = IncidentState::kResolved;
  CHECK(NextDeadline(inc) == 0);
  inc.state = IncidentState::kCancelled;
  CHECK(NextDeadline(inc) == 0);
}

}  // namespace picket::escalation
