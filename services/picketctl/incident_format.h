// What `picketctl incident ...` prints: one line per command result, the open-incident
// table, one incident in full, and their JSON forms, from picket-escalation's own reply
// values (escalation/core/commands.h, decoded by escalation::DecodeReply); enums by their
// schema names (escalation::SchemaName). Pure: `now` is passed in (ages and "in 4m" are
// relative to it), nothing is read from a clock or a socket.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "escalation/core/commands.h"
#include "picketctl/incident_request.h"
#include "runtime/clock.h"

namespace picket {

// A duration for people: "0s", "45s", "3m12s", "2h05m", "3d04h" (rounded down; negative
// durations are shown as 0s).
std::string FormatAge(Micros duration);

// A time relative to now: "2026-11-25T21:03:04.123Z (5m ago)" or "(in 4m)"; "-" for 0.
std::string FormatWhen(Micros at, Micros now);

// The one line for a successful mutating command, e.g.
//   incident 12 acknowledged by ann (version 7)
//   incident 12 silenced for 15m by ann: drill (version 9)
// `args` is what was sent; `reply` must be ok().
std::string FormatCommandResult(const IncidentArgs& args, const escalation::Reply& reply);

// The refusal for stderr (without the program name), ending in a newline:
//   mandatorySteps: 2 mandatory steps are not done
//   missing steps: secure_gate, call_police
std::string FormatRefusal(const escalation::Reply& reply);

// The open-incident table with a header line; "no open incidents" when empty:
//   ID  TYPE       SEVERITY STATE        POST    LEVEL COUNT OPENED  ACK BY  ASSIGNEE
//   12  intrusion  high     acknowledged gate-1  1     3     5m12s   ann     -
std::string FormatIncidentTable(const std::vector<escalation::IncidentSummary>& incidents,
                                Micros now);

// One incident in full: summary, the reporter's note, times (next step, ack deadline,
// cancel window, silence, resolution), the procedure with done marks and the standard
// phrases, the whole history.
std::string FormatIncidentDetails(const escalation::IncidentDetail& detail, Micros now);

// JSON: a summary's fields in lower camel case as in the schema, times in unix µs.
nlohmann::ordered_json IncidentSummaryToJson(const escalation::IncidentSummary& s);
// {"incidents": [summary...]}
nlohmann::ordered_json IncidentListToJson(
    const std::vector<escalation::IncidentSummary>& incidents);
// {"summary": {...}, "procedure": [...], "history": [...], "nextStepAt", "ackDeadline", ...}
nlohmann::ordered_json IncidentDetailsToJson(const escalation::IncidentDetail& detail);

// `picketctl shift list`: who is on duty, in the reply's order (post, role, start), with a
// header; "nobody is on duty" when empty. LEADS is "yes" for whom post_leader names:
//   POST    ROLE          PERSON  SINCE                              LEADS
//   gate-1  guard         rita    2026-11-25T20:03:04.000Z (1h00m ago)  -
std::string FormatDutyTable(const std::vector<escalation::DutyEntry>& on_duty, Micros now);
// {"onDuty": [{"person", "post", "role", "since" (unix µs), "leadsPost"}...]}
nlohmann::ordered_json DutyListToJson(const std::vector<escalation::DutyEntry>& on_duty);

}  // namespace picket
