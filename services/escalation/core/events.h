// What the escalation core emits: one OutgoingEvent per incident transition, the audit
// trail of every incident. schemas/escalation.capnp has the same bodies for the bus; the
// adapter copies these values into them (type name -> struct below).
//
// Conventions for every body:
//   - the envelope's actor is the person who caused the transition (empty when the
//     service did it on its own: a timer, a trigger);
//   - level numbers are 1-based as in site.toml; 0 means "no level" (e.g. the fallback);
//   - `lateness` is how long after its due time the timer that caused it was handled
//     (0 for anything a command or an event caused).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "base/clock.h"
#include "escalation/core/escalation_config.h"

namespace picket::escalation {

// escalation.incident_opened
struct IncidentOpened {
  std::string incident_type;
  Severity severity = Severity::kMedium;
  std::string group_key;  // the rendered key template
  std::string post;       // the trigger's post, or empty
  std::string policy;
  std::string trigger_type;
  uint64_t trigger_seq = 0;
  std::string reported_by;         // the trigger's actor
  Micros cancel_window_until = 0;  // > 0: escalation waits until then (a panic)
  std::vector<std::pair<std::string, std::string>> trigger_fields;
};
// escalation.incident_grouped: another trigger joined the open incident (emitted for some
// of them only: AnnouncesGrouped, incident.h).
struct IncidentGrouped {
  uint32_t count = 0;  // triggers in the incident now
  std::string trigger_type;
  uint64_t trigger_seq = 0;
};
// escalation.alert_raised: one person is to be told now (picket-notify delivers it), with
// what a pager needs to say what happened: the incident's type, post, severity and the
// reporter's note.
struct AlertRaised {
  std::string person;
  uint32_t level = 0;  // 0 with fallback = true
  uint32_t pass = 0;   // 0 the first run of the chain, k the k-th repeat
  bool fallback = false;
  std::string target;  // the target that named them ("role:duty_officer", "assignee")
  std::string reason;  // opened, escalated, fallback, resumed, reassigned, reopened
  Micros lateness = 0;
  Micros respond_by = 0;  // the chain moves on then unless someone acknowledges
  std::string incident_type;
  std::string post;  // the incident's post, or empty
  Severity severity = Severity::kMedium;
  std::string note;  // the reporter's note (Incident::note), or empty
};
// escalation.incident_escalated: the chain moved on (or started after a cancel window).
struct IncidentEscalated {
  uint32_t from_level = 0;  // 0: from the cancel window
  uint32_t to_level = 0;    // 0 with to_fallback = true
  uint32_t pass = 0;
  bool to_fallback = false;
  std::string reason;  // wait_passed, unstaffed, cancel_window_passed
  Micros lateness = 0;
};
// escalation.level_unstaffed: a level's targets resolved to nobody; the chain moves on
// at once rather than waiting for no one.
struct LevelUnstaffed {
  uint32_t level = 0;
  std::vector<std::string> targets;
};
// escalation.incident_acknowledged
struct IncidentAcknowledged {
  uint32_t level = 0;        // the level whose alert was answered (0: fallback/pending)
  Micros response_time = 0;  // since the incident opened (or reopened)
  Micros ack_deadline = 0;   // the ack lapses then unless the incident is resolved
};
// escalation.incident_unacknowledged: escalation resumes.
struct IncidentUnacknowledged {
  bool timed_out = false;  // true: the ack timeout passed; false: a command
  Micros lateness = 0;
};
// escalation.step_done
struct StepDone {
  std::string step;
  std::string text;
  bool mandatory = false;
};
// escalation.note_added
struct NoteAdded {
  std::string text;
};
// escalation.incident_resolved
struct IncidentResolved {
  std::string override_reason;             // non-empty: resolved despite missing steps
  std::vector<std::string> missing_steps;  // mandatory steps not done (override only)
  Micros open_for = 0;                     // since opened (or reopened)
};
// escalation.incident_reopened: a trigger arrived within the reopen window.
struct IncidentReopened {
  uint32_t count = 0;
  std::string trigger_type;
  uint64_t trigger_seq = 0;
  Micros resolved_at = 0;  // when it had been resolved
};
// escalation.incident_silenced: no alerts until `until`.
struct IncidentSilenced {
  Micros until = 0;
  std::string reason;
};
// escalation.silence_ended
struct SilenceEnded {
  Micros lateness = 0;
};
// escalation.incident_reassigned
struct IncidentReassigned {
  std::string to;
  std::string previous;  // the previous assignee, or empty
  std::string reason;
  std::string dropped_ack_by;  // the acknowledgement this cleared, or empty
};
// escalation.incident_cancelled: a panic cancelled within its cancel window.
struct IncidentCancelled {};

using EventBody =
    std::variant<IncidentOpened, IncidentGrouped, AlertRaised, IncidentEscalated, LevelUnstaffed,
                 IncidentAcknowledged, IncidentUnacknowledged, StepDone, NoteAdded,
                 IncidentResolved, IncidentReopened, IncidentSilenced, SilenceEnded,
                 IncidentReassigned, IncidentCancelled>;

struct OutgoingEvent {
  std::string actor;  // who caused it, or empty
  Micros at = 0;      // the envelope's observedAt: the `now` of the handler
  uint64_t incident = 0;
  uint64_t version = 0;  // the incident's version after this transition
  EventBody body;

  // The bus type, e.g. "escalation.alert_raised". DO NOT CHANGE the names: on the bus.
  std::string_view type() const;
};

std::string_view EventTypeName(const EventBody& body);
// One human-readable line for the incident's history, e.g.
// "alert raised to ann (level 1, role:duty_officer)".
std::string Describe(const OutgoingEvent& e);

}  // namespace picket::escalation
