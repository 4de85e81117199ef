// The console's read model of incidents, built from picket-escalation's events
// (schemas/escalation.capnp): what the Incidents page shows, kept in the console's own
// tables so that a restart does not need the whole log again.
//
// ApplyIncidentEvent folds one event into the model through a Txn (the adapter's is the
// kit's exactly-once apply, so each bus event is folded once) and returns the incident as
// it is now plus the history line the event added. The model follows escalation's state
// machine (docs/escalation.md) only as far as display needs: escalation stays the owner
// and the judge of every command. An event about an incident whose opening the console
// never saw (the log was trimmed) starts a stub that later events fill in.
//
// Stored layout (DO NOT CHANGE; pinned by incident_model_test.cc):
//   console_incidents  key u64 id             value: format 1, then IncidentView's fields
//   console_history    key u64 id, u64 seq    value: format 1, at, type, actor, params
// Integers big-endian (domain/record_codec.h). New fields are appended.
//
// Pure: standard library, base/, domain/record_codec, wire/event_names.h.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/txn.h"

namespace picket::console {

inline constexpr char kIncidentsTable[] = "console_incidents";
inline constexpr char kHistoryTable[] = "console_history";
std::vector<std::string> ReadModelTables();

// One escalation event as a plain value. Only the fields of its type are meaningful.
struct IncidentEvent {
  std::string type;  // event_names::kIncidentOpened, ...
  uint64_t seq = 0;
  Micros recorded_at = 0;
  std::string actor;
  uint64_t incident = 0;
  uint64_t version = 0;
  // opened (and what alert_raised repeats)
  std::string incident_type, post, group_key, reported_by;
  int severity = 0;  // 1 low .. 4 critical; 0 unknown
  Micros cancel_window_until = 0;
  // grouped, reopened
  uint32_t count = 0;
  // alert_raised; escalated (level = to level); level_unstaffed
  std::string person, target, reason, note;
  uint32_t level = 0;
  bool fallback = false;
  // step_done (text also note_added)
  std::string step, text;
  bool mandatory = false;
  // resolved
  std::string override_reason;
  std::vector<std::string> missing_steps;
  // silenced
  Micros until = 0;
  // reassigned
  std::string to, dropped_ack_by;
  // unacknowledged
  bool timed_out = false;
};

// Whether `type` is one of escalation's incident events the model folds.
bool IsIncidentEventType(std::string_view type);

struct IncidentView {
  uint64_t id = 0;
  uint64_t version = 0;
  std::string incident_type, post, group_key, reported_by;
  int severity = 0;
  std::string state = "open";  // pending, open, acknowledged, resolved, cancelled
  uint32_t count = 1;
  Micros opened_at = 0;      // opened or last reopened
  Micros changed_at = 0;     // the last event's bus time
  uint64_t changed_seq = 0;  // the last event's seq
  uint32_t level = 0;        // current level (1-based); 0 pending or fallback
  bool on_fallback = false;
  std::string acknowledged_by;
  Micros acknowledged_at = 0;
  std::string assignee;
  Micros silenced_until = 0;
  std::string note;                  // the reporter's note (from the alerts)
  std::vector<std::string> alerted;  // everyone alerted since opening, first alert first
  std::vector<std::string> steps_done;
  Micros resolved_at = 0;
  std::string resolved_by, override_reason;

  bool closed() const { return state == "resolved" || state == "cancelled"; }
};

// One line of an incident's history: the event's type and the values the page shows
// (translated there: i18n key "history.<type>" with {name} placeholders).
struct HistoryLine {
  uint64_t seq = 0;
  Micros at = 0;
  std::string type;
  std::string actor;
  std::map<std::string, std::string> params;
};

struct IncidentChange {
  IncidentView view;
  HistoryLine line;
};

// Folds `event` (IsIncidentEventType(event.type), incident > 0) into the model.
IncidentChange ApplyIncidentEvent(Txn& state, const IncidentEvent& event);

// The stored incident, or nullopt.
std::optional<IncidentView> LoadIncident(Txn& state, uint64_t id);
// Every stored incident, by id (ascending).
std::vector<IncidentView> LoadIncidents(Txn& state);
// The incident's history, oldest first; at most the last `max_lines`.
std::vector<HistoryLine> LoadHistory(Txn& state, uint64_t id, size_t max_lines);

// Record codecs (exposed for the layout test).
std::string EncodeIncident(const IncidentView& v);
std::optional<IncidentView> DecodeIncident(std::string_view bytes);
std::string EncodeHistoryLine(const HistoryLine& line);
std::optional<HistoryLine> DecodeHistoryLine(std::string_view bytes);
std::string HistoryKey(uint64_t id, uint64_t seq);

}  // namespace picket::console
