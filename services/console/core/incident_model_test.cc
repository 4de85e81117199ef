#include "console/core/incident_model.h"

#include <catch2/catch.hpp>

#include "console/core/incident_board.h"
#include "testing/memory_txn.h"
#include "wire/event_names.h"

namespace picket::console {
namespace n = event_names;

namespace {

IncidentEvent Ev(std::string_view type, uint64_t seq, uint64_t incident, uint64_t version) {
  IncidentEvent e;
  e.type = std::string(type);
  e.seq = seq;
  e.recorded_at = static_cast<Micros>(seq) * kMicrosPerSecond;
  e.incident = incident;
  e.version = version;
  return e;
}

IncidentEvent Opened(uint64_t seq, uint64_t incident, int severity) {
  IncidentEvent e = Ev(n::kIncidentOpened, seq, incident, 1);
  e.incident_type = "intrusion";
  e.post = "gate-1";
  e.severity = severity;
  e.group_key = "gate-1";
  e.reported_by = "guard-7";
  return e;
}

}  // namespace

TEST_CASE("console: the read model follows an incident from opening to resolution") {
  MemoryTxn txn(ReadModelTables());
  auto c = ApplyIncidentEvent(txn, Opened(10, 1, 3));
  REQUIRE(c.view.state == "open");
  REQUIRE(c.view.level == 1);
  REQUIRE(c.line.params.at("post") == "gate-1");

  IncidentEvent alert = Ev(n::kAlertRaised, 11, 1, 2);
  alert.person = "ann";
  alert.level = 1;
  alert.reason = "opened";
  alert.note = "door forced";
  ApplyIncidentEvent(txn, alert);
  IncidentEvent grouped = Ev(n::kIncidentGrouped, 12, 1, 3);
  grouped.count = 2;
  ApplyIncidentEvent(txn, grouped);
  IncidentEvent ack = Ev(n::kIncidentAcknowledged, 13, 1, 4);
  ack.actor = "ann";
  c = ApplyIncidentEvent(txn, ack);
  REQUIRE(c.view.state == "acknowledged");
  REQUIRE(c.view.acknowledged_by == "ann");
  REQUIRE(c.view.alerted == std::vector<std::string>{"ann"});
  REQUIRE(c.view.count == 2);
  REQUIRE(c.view.note == "door forced");

  IncidentEvent step = Ev(n::kStepDone, 14, 1, 5);
  step.step = "secure_gate";
  step.text = "Close the gate";
  ApplyIncidentEvent(txn, step);
  IncidentEvent resolved = Ev(n::kIncidentResolved, 15, 1, 6);
  resolved.actor = "ann";
  resolved.override_reason = "gate jammed";
  resolved.missing_steps = {"call_police", "log"};
  c = ApplyIncidentEvent(txn, resolved);
  REQUIRE(c.view.state == "resolved");
  REQUIRE(c.view.closed());
  REQUIRE(c.view.steps_done == std::vector<std::string>{"secure_gate"});
  REQUIRE(c.line.params.at("missing") == "call_police, log");
  REQUIRE(c.view.version == 6);

  auto history = LoadHistory(txn, 1, 100);
  REQUIRE(history.size() == 6);
  REQUIRE(history.front().type == n::kIncidentOpened);
  REQUIRE(history.back().seq == 15);
  REQUIRE(LoadHistory(txn, 1, 2).size() == 2);
  REQUIRE(LoadHistory(txn, 1, 2).front().seq == 14);

  IncidentEvent reopened = Ev(n::kIncidentReopened, 16, 1, 7);
  reopened.count = 3;
  c = ApplyIncidentEvent(txn, reopened);
  REQUIRE(c.view.state == "open");
  REQUIRE(c.view.steps_done.empty());
  REQUIRE(c.view.acknowledged_by.empty());
}

TEST_CASE("console: an event for an incident never seen opened starts a stub the alert fills") {
  MemoryTxn txn(ReadModelTables());
  IncidentEvent alert = Ev(n::kAlertRaised, 50, 9, 4);
  alert.person = "bob";
  alert.level = 2;
  alert.incident_type = "fire";
  alert.post = "hq";
  alert.severity = 4;
  auto c = ApplyIncidentEvent(txn, alert);
  REQUIRE(c.view.id == 9);
  REQUIRE(c.view.incident_type == "fire");
  REQUIRE(c.view.level == 2);
  REQUIRE(c.view.state == "open");
}

TEST_CASE("console: pending, escalation, cancel and reassign move the state as escalation does") {
  MemoryTxn txn(ReadModelTables());
  IncidentEvent panic = Opened(1, 2, 4);
  panic.cancel_window_until = 99;
  REQUIRE(ApplyIncidentEvent(txn, panic).view.state == "pending");
  IncidentEvent esc = Ev(n::kIncidentEscalated, 2, 2, 2);
  esc.level = 1;
  REQUIRE(ApplyIncidentEvent(txn, esc).view.state == "open");
  IncidentEvent ack = Ev(n::kIncidentAcknowledged, 3, 2, 3);
  ack.actor = "ann";
  ApplyIncidentEvent(txn, ack);
  IncidentEvent re = Ev(n::kIncidentReassigned, 4, 2, 4);
  re.to = "bob";
  re.dropped_ack_by = "ann";
  auto c = ApplyIncidentEvent(txn, re);
  REQUIRE(c.view.state == "open");
  REQUIRE(c.view.assignee == "bob");
  REQUIRE(c.view.acknowledged_by.empty());
  REQUIRE(ApplyIncidentEvent(txn, Ev(n::kIncidentCancelled, 5, 2, 5)).view.state == "cancelled");
}

TEST_CASE("console: stored records round-trip and their layout is pinned") {
  IncidentView v;
  v.id = 7;
  v.version = 3;
  v.incident_type = "t";
  v.alerted = {"a", "b"};
  v.steps_done = {"s"};
  v.state = "acknowledged";
  auto bytes = EncodeIncident(v);
  auto back = DecodeIncident(bytes);
  REQUIRE(back);
  REQUIRE(back->alerted == v.alerted);
  REQUIRE(back->state == "acknowledged");
  REQUIRE(bytes.substr(0, 9) == std::string("\x01\0\0\0\0\0\0\0\x07", 9));
  REQUIRE_FALSE(DecodeIncident(bytes.substr(0, bytes.size() - 1)));
  REQUIRE_FALSE(DecodeIncident(""));
  REQUIRE(HistoryKey(1, 2) == std::string("\0\0\0\0\0\0\0\x01\0\0\0\0\0\0\0\x02", 16));
  HistoryLine line{5, 6, "escalation.note_added", "ann", {{"text", "hi"}}};
  auto l = DecodeHistoryLine(EncodeHistoryLine(line));
  REQUIRE(l);
  REQUIRE(l->params.at("text") == "hi");
  REQUIRE_FALSE(DecodeHistoryLine("\x02"));
}

TEST_CASE("console: the board lists open incidents by severity then age and bounds closed ones") {
  MemoryTxn txn(ReadModelTables());
  ApplyIncidentEvent(txn, Opened(1, 1, 2));
  ApplyIncidentEvent(txn, Opened(2, 2, 4));
  ApplyIncidentEvent(txn, Opened(3, 3, 2));
  for (uint64_t id = 4; id <= 6; ++id) {
    ApplyIncidentEvent(txn, Opened(id * 10, id, 1));
    ApplyIncidentEvent(txn, Ev(n::kIncidentResolved, id * 10 + 1, id, 2));
  }
  IncidentBoard board(2, 100);
  LoadBoard(txn, board, 100);
  auto open = board.Open();
  REQUIRE(open.size() == 3);
  REQUIRE(open[0].id == 2);
  REQUIRE(open[1].id == 1);
  REQUIRE(open[2].id == 3);
  auto closed = board.RecentlyClosed();
  REQUIRE(closed.size() == 2);
  REQUIRE(closed[0].id == 6);
  REQUIRE_FALSE(board.Get(4));
  REQUIRE(board.History(2).size() == 1);

  // A change is applied once even when it arrives twice.
  auto c = ApplyIncidentEvent(txn, Ev(n::kNoteAdded, 70, 2, 2));
  board.Put(c.view, &c.line);
  board.Put(c.view, &c.line);
  REQUIRE(board.History(2).size() == 2);
}

}  // namespace picket::console
