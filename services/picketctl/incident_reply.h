// An EscalationReply frame (schemas/escalation.capnp) as plain values, so that formatting
// never touches a Cap'n Proto reader. Pure: no sockets, no clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/clock.h"

namespace picket {

// One open incident, as in listOpen (wire IncidentSummary). Enums are their schema names
// ("high", "acknowledged"); a number this build does not know shows as "unknown(N)".
struct IncidentOverview {
  uint64_t incident = 0;
  uint64_t version = 0;
  std::string incident_type;
  std::string severity;
  std::string state;
  std::string post;
  std::string group_key;
  uint32_t count = 0;
  Micros opened_at = 0;
  uint32_t level = 0;  // 1-based; 0 = fallback or pending
  std::string acknowledged_by;
  std::string assignee;
  Micros silenced_until = 0;  // 0 = not silenced
};

struct ProcedureStepState {
  std::string step, text, phrase;
  bool mandatory = false;
  bool done = false;
  std::string done_by;
  Micros done_at = 0;
};

struct HistoryEntry {
  Micros at = 0;
  std::string type, actor, text;
  uint64_t version = 0;
};

// getIncident's answer (wire IncidentDetail).
struct IncidentDetails {
  IncidentOverview summary;
  std::vector<ProcedureStepState> procedure;
  std::vector<HistoryEntry> history;
  Micros next_step_at = 0;
  Micros ack_deadline = 0;
  Micros cancel_window_until = 0;
  Micros resolved_at = 0;
  std::string resolved_by;
  std::string override_reason;
};

// The whole reply. `error` is the EscalationError's schema name ("none" on success,
// "mandatorySteps", ...).
struct EscalationAnswer {
  std::string error = "none";
  std::string message;
  uint64_t incident = 0;
  uint64_t version = 0;
  std::vector<std::string> missing_steps;
  std::vector<IncidentOverview> incidents;
  std::optional<IncidentDetails> detail;  // set only when the reply has one

  bool ok() const { return error == "none"; }
};

// Decodes one EscalationReply frame (aligned or not). Returns nullopt and sets *error if
// it is not a readable EscalationReply. Never throws.
std::optional<EscalationAnswer> ParseEscalationReply(std::string_view frame, std::string* error);

}  // namespace picket
