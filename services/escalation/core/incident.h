// Incident: the stored state of one incident, and its history entries.
//
// States (docs/escalation.md has the full transition table):
//   pending       opened, inside its cancel window (panics); no alerts yet
//   open          escalating: the current level's targets have been alerted and the
//                 chain moves on at next_step_at unless someone acknowledges
//   acknowledged  someone answered; no alerts; lapses back to open at ack_deadline
//   resolved      closed; a trigger within the reopen window reopens it
//   cancelled     a panic cancelled within its window (final)
// Silence (silenced_until > 0) is a flag on open/acknowledged: no alerts until it ends.
//
// Each incident has at most one timer row, due at NextDeadline(); its version field
// rejects a timer that fires after the incident changed (incident_keys.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "escalation/core/escalation_config.h"

namespace picket::escalation {

// DO NOT CHANGE the numbers: stored in every incident row.
enum class IncidentState : uint8_t {
  kPending = 1,
  kOpen = 2,
  kAcknowledged = 3,
  kResolved = 4,
  kCancelled = 5,
};
// The state's name, as in the schema (schemas/escalation.capnp): "pending", "open", ...;
// "?" for a number that is not a state.
std::string_view StateName(IncidentState s);
// The inverse of StateName; nullopt for anything else.
std::optional<IncidentState> ParseState(std::string_view name);
// True for pending, open and acknowledged (the incident still needs someone).
bool IsActive(IncidentState s);

struct StepRecord {
  std::string step;
  std::string by;
  Micros at = 0;
  friend bool operator==(const StepRecord&, const StepRecord&) = default;
};

// The longest reporter's note an incident keeps (a longer one is cut).
inline constexpr size_t kMaxNoteBytes = 2000;

struct Incident {
  uint64_t id = 0;       // 1, 2, ... per service
  uint64_t version = 0;  // +1 on every transition; in timers, events and ack replies
  std::string type;      // incident type name
  Severity severity = Severity::kMedium;
  std::string group_key;  // the rendered key template
  std::string post;       // the post of the first trigger, or empty
  std::string policy;     // the policy name when opened
  IncidentState state = IncidentState::kOpen;
  uint32_t count = 0;  // triggers grouped into it, including the first
  uint64_t first_trigger_seq = 0;
  Micros opened_at = 0;        // when opened, or last reopened
  Micros last_trigger_at = 0;  // the bus time of the last trigger (grouping window)

  // Where the chain is: policy level index (0-based), which run of the chain, fallback.
  uint32_t level = 0;
  uint32_t pass = 0;
  bool on_fallback = false;

  Micros next_step_at = 0;         // open, not silenced: when the chain moves on
  Micros cancel_window_until = 0;  // pending: when escalation starts
  Micros ack_deadline = 0;         // acknowledged: when the ack lapses
  Micros silenced_until = 0;       // > 0: silenced until then

  std::string acknowledged_by;
  Micros acknowledged_at = 0;
  std::string assignee;  // alerted with every level once set (reassign)
  std::vector<StepRecord> steps_done;

  Micros resolved_at = 0;
  std::string resolved_by;
  std::string override_reason;

  Micros timer_due = 0;       // the due time of this incident's timer row, 0 = none
  uint32_t history_size = 0;  // number of history rows
  // The reporter's note: the `note` field of the trigger that opened (or last reopened)
  // it, at most kMaxNoteBytes; "" if that trigger had none. Appended to the stored form
  // later: older rows decode with "".
  std::string note;
  // The bus time of the trigger last announced by an event: the one that opened (or
  // reopened) it, or the last grouped report that emitted incident_grouped
  // (AnnouncesGrouped). Appended to the stored form later: older rows decode with 0.
  Micros announced_trigger_at = 0;

  friend bool operator==(const Incident&, const Incident&) = default;

  bool StepDone(std::string_view step) const;
};

// The next time something is due for `inc` (0 = nothing): the cancel window end while
// pending; the silence end, else the next step, while open; the earlier of the ack
// deadline and the silence end while acknowledged; nothing once resolved or cancelled.
Micros NextDeadline(const Incident& inc);

// One line of an incident's history: one emitted event, described.
struct HistoryEntry {
  Micros at = 0;
  std::string type;   // the event type
  std::string actor;  // who, or empty
  std::string text;   // Describe() of the event
  uint64_t version = 0;
  friend bool operator==(const HistoryEntry&, const HistoryEntry&) = default;
};

// Stored formats (record_codec.h). DO NOT CHANGE: append fields at the end only.
// Whether the grouped report that made the count `count`, with bus time `trigger_at`,
// emits escalation.incident_grouped. Every report is kept (the count, a history row); the
// event is for those watching the incident, and a flood must not double the site log:
// counts 2 to 10, every round count after (20, 30, ... 100, 200, ... 1000, 2000, ...), and
// otherwise a report at least kGroupedEventInterval of bus time after the last one
// announced. A pure function of the stored incident and the event, so a re-applied report
// decides the same.
inline constexpr Micros kGroupedEventInterval = kMicrosPerSecond;
bool AnnouncesGrouped(uint32_t count, Micros trigger_at, Micros announced_trigger_at);

std::string EncodeIncident(const Incident& inc);
std::optional<Incident> DecodeIncident(std::string_view bytes);
std::string EncodeHistoryEntry(const HistoryEntry& h);
std::optional<HistoryEntry> DecodeHistoryEntry(std::string_view bytes);

}  // namespace picket::escalation
