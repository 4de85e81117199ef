// The console's side of picket-escalation's command endpoint (schemas/escalation.capnp,
// docs/protocol.md): officers' actions as commands with the officer's login as actor, the
// getIncident query for an incident's procedure and history, and the listIncidents query
// (incidents by time and post) for the daily report. Replies come back as
// the HTTP status and JSON body of the console's API (docs/console.md):
//
//   escalation says            HTTP  code
//   none                       200   (the result: incident, version, unpublished)
//   unknownIncident            404   unknown_incident
//   unknownStep                404   unknown_step
//   invalidArgument            400   invalid_argument
//   unauthorized               403   unauthorized (the login is not a person of the site)
//   alreadyResolved ... wrongState  409  already_resolved, already_acknowledged, ...
//   mandatorySteps             409   mandatory_steps_missing (+ "missing_steps")
//   malformed                  502   bad_gateway
//   unavailable / no answer    503   unavailable
//
// Blocking (CallCommand): HTTP worker threads only, never the loop. Thread-safe: each call
// uses its own socket on the shared context.
#pragma once

#include <cstdint>
#include <string>

#include "base/clock.h"

#include "console/service_endpoint.h"

namespace picket::console {

struct IncidentAction {
  enum class Kind { kAcknowledge, kNote, kStepDone, kResolve };
  Kind kind = Kind::kAcknowledge;
  uint64_t incident = 0;
  std::string text;             // kNote
  std::string step;             // kStepDone
  std::string override_reason;  // kResolve ("" = none)
};

class EscalationClient {
 public:
  explicit EscalationClient(ServiceTarget target) : target_(std::move(target)) {}

  // Sends `action` as `actor` (a fresh commandId; the retries of this call reuse it).
  ApiResult Act(const std::string& actor, const IncidentAction& action) const;
  // getIncident: {"procedure": [...], "history": [...], ...} on 200.
  ApiResult Describe(uint64_t incident) const;
  // listIncidents: the incidents first opened in [from, to) (at most 31 days) at `post`
  // ("" = every post), oldest first, at most 1000. 200 {"incidents": [{"id", "version",
  // "type", "severity", "state", "post", "count", "opened_at", "first_opened_at",
  // "acknowledged_by", "acknowledged_at", "resolved_by", "resolved_at", "assignee"}...],
  // "truncated"}; `state` and `severity` by name ("open", "high").
  ApiResult Incidents(Micros from, Micros to, const std::string& post) const;

 private:
  ServiceTarget target_;
};

}  // namespace picket::console
