// The commands and queries picket-escalation answers, and its replies, as domain values
// (the adapter converts schemas/escalation.capnp's EscalationRequest/Reply to and from
// these). Every command names the person acting (`Command::actor`), taken from the
// request. On a site with [security] the kit has already checked that the caller's key may
// act as that person (a person's key only as itself; a service's, such as the console's,
// for the person it checked: runtime/command_access.h). The core refuses a command
// (kUnauthorized) unless the actor is a person the site knows: one with standing roles in
// [escalation.roster.people], or someone on duty now.
//
// Expected refusals are Reply values with an error code, never exceptions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/clock.h"
#include "domain/roster.h"
#include "escalation/core/escalation_config.h"
#include "escalation/core/incident.h"

namespace picket::escalation {

// Stops escalation; the ack lapses after the type's ack_timeout unless resolved.
struct Acknowledge {
  uint64_t incident = 0;
};
// Gives an acknowledgement back: escalation resumes at the current level.
struct Unacknowledge {
  uint64_t incident = 0;
};
struct MarkStepDone {
  uint64_t incident = 0;
  std::string step;  // a step id of the type's procedure
};
// Allowed in every state, resolved and cancelled included.
struct AddNote {
  uint64_t incident = 0;
  std::string text;  // 1..kMaxTextBytes
};
// Needs every mandatory step done, or a non-empty override reason.
struct Resolve {
  uint64_t incident = 0;
  std::string override_reason;
};
// Makes `to` the assignee (alerted with every level from now on) and drops any ack.
struct Reassign {
  uint64_t incident = 0;
  std::string to;  // a person id
  std::string reason;
};
// No alerts for `duration` (0 < duration <= kMaxSilence); a reason is required.
struct Silence {
  uint64_t incident = 0;
  Micros duration = 0;
  std::string reason;
};
// Cancels a pending incident (a panic) while its cancel window is still open.
struct CancelIncident {
  uint64_t incident = 0;
};
// Queries: they change nothing.
struct ListOpen {};
struct GetIncident {
  uint64_t incident = 0;
};
// Who is on duty now (the roster), by post, then role, then longest on duty first.
struct ListOnDuty {};
// The incidents first opened in [from, to) (at most kMaxIncidentRange) at `post` ("" =
// every post), by id (the order they were opened in), at most kMaxListedIncidents: the
// oldest, with Reply::truncated when there were more. How they are found, and the bound
// on the service's clock it relies on: IncidentStore::OpenedBetween.
struct ListIncidents {
  Micros from = 0;
  Micros to = 0;
  std::string post;
};
inline constexpr Micros kMaxIncidentRange = 31LL * 24 * 3600 * kMicrosPerSecond;
inline constexpr size_t kMaxListedIncidents = 1000;
inline constexpr size_t kMaxPostBytes = 64;

using CommandBody =
    std::variant<Acknowledge, Unacknowledge, MarkStepDone, AddNote, Resolve, Reassign, Silence,
                 CancelIncident, ListOpen, GetIncident, ListOnDuty, ListIncidents>;

struct Command {
  std::string actor;  // who is acting; must not be empty (but for the queries)
  CommandBody body;
};

inline constexpr size_t kMaxTextBytes = 2000;
inline constexpr Micros kMaxSilence = 24LL * 3600 * kMicrosPerSecond;

// DO NOT CHANGE the numbers: on the wire (schemas/escalation.capnp, EscalationError).
enum class CommandError : uint8_t {
  kNone = 0,
  kUnknownIncident = 1,        // no incident with that id
  kAlreadyResolved = 2,        // the incident is resolved
  kAlreadyAcknowledged = 3,    // someone acknowledged it already (message says who)
  kNotAcknowledged = 4,        // unacknowledge of an incident nobody acknowledged
  kUnknownStep = 5,            // not a step of the type's procedure
  kStepAlreadyDone = 6,        // the step was marked done before (message says by whom)
  kMandatoryStepsMissing = 7,  // resolve without every mandatory step nor an override
  kCancelWindowPassed = 8,     // cancel after the window (or of an incident without one)
  kCancelled = 9,              // the incident was cancelled
  kInvalidArgument = 10,       // empty actor/text/person, too long, duration out of range
  kWrongState = 11,            // e.g. silence while pending
  kUnauthorized = 13,          // the actor (or `to`) is not a person the site knows
};
std::string_view CommandErrorName(CommandError e);

struct IncidentSummary {
  uint64_t id = 0;
  uint64_t version = 0;
  std::string type;
  Severity severity = Severity::kMedium;
  IncidentState state = IncidentState::kOpen;
  std::string post;
  std::string group_key;
  uint32_t count = 0;
  Micros opened_at = 0;
  uint32_t level = 0;  // 1-based; 0 on the fallback or before escalation started
  std::string acknowledged_by;
  std::string assignee;
  Micros silenced_until = 0;
  Micros first_opened_at = 0;  // ListIncidents only (0 elsewhere): when first opened
  Micros acknowledged_at = 0;
  Micros resolved_at = 0;
  std::string resolved_by;
};

struct StepStatus {
  ProcedureStep step;
  bool done = false;
  std::string by;
  Micros at = 0;
};

struct IncidentDetail {
  IncidentSummary summary;
  std::vector<StepStatus> procedure;  // in the type's order
  std::vector<HistoryEntry> history;  // every transition, oldest first
  Micros next_step_at = 0;
  Micros ack_deadline = 0;
  Micros cancel_window_until = 0;
  Micros resolved_at = 0;
  std::string resolved_by;
  std::string override_reason;
  std::string note;  // the reporter's note (Incident::note), or empty
};

struct DutyEntry {
  OnDuty duty;
  bool leads_post = false;  // whom `post_leader` names for duty.post now
  friend bool operator==(const DutyEntry&, const DutyEntry&) = default;
};

struct Reply {
  CommandError error = CommandError::kNone;
  std::string message;  // for a person; empty on success
  uint64_t incident = 0;
  uint64_t version = 0;  // the incident's version after the command (ack: the ack's version)
  std::vector<std::string> missing_steps;  // kMandatoryStepsMissing: which
  std::vector<IncidentSummary> incidents;  // ListOpen, ListIncidents
  bool truncated = false;                // ListIncidents: more were opened in the range than listed
  std::optional<IncidentDetail> detail;  // GetIncident
  std::vector<DutyEntry> on_duty;        // ListOnDuty

  // Set by the adapter, never the core: the change is stored, but its events were not yet
  // on the bus when the reply was sent (escalation_service.h).
  bool unpublished = false;

  bool ok() const { return error == CommandError::kNone; }
};

}  // namespace picket::escalation
