// Escalation: the pure core of picket-escalation.
//
// Handlers are functions of (state through a Txn, input, now). They read and write the
// service's tables through the Txn and return Effects: the events to emit, the timer
// rows to set and cancel, and the reply to a command. The adapter commits the Txn's
// writes, the timer rows, the outbox rows of the events and applied_seq in ONE write, so
// an incident change and its timers never disagree. The core never reads a clock and
// never touches sockets or RocksDB.
//
// Atomic acknowledgement: an ack bumps the incident's version and cancels its timer in
// the same Effects; a timer that still fires afterwards carries the old version and is
// dropped without raising anything. So no alert is ever raised after an ack is recorded.
//
// Not thread-safe; one handler runs at a time (the service loop). docs/escalation.md has
// the state table, the rules, policies, procedures and key layout.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/txn.h"
#include "escalation/core/commands.h"
#include "escalation/core/escalation_config.h"
#include "escalation/core/events.h"

namespace picket::escalation {

// A recorded bus event, as the adapter hands it over. `fields` holds the body's fields by
// the names in trigger_catalog.h (for shift.started/ended: person, post, role).
struct RecordedEvent {
  uint64_t seq = 0;
  std::string type;
  std::string producer;
  std::string actor;
  Micros observed_at = 0;
  Micros recorded_at = 0;  // the bus time; grouping and reopen windows are measured in it
  std::map<std::string, std::string> fields;
};

// One incident's timer row. In the runtime's timers family its key is
// (due, keys::TimerId(incident)) and its payload keys::TimerPayload(version).
struct Timer {
  Micros due = 0;
  uint64_t incident = 0;
  uint64_t version = 0;  // the incident version it was set for (unused in cancels)
  friend bool operator==(const Timer&, const Timer&) = default;
};

struct Effects {
  std::vector<OutgoingEvent> events;  // in order; to the outbox, then the bus
  // Timer rows to delete and to write. Apply `cancel` before `set`: the same row may be
  // cancelled and set again by one handler.
  std::vector<Timer> set;
  std::vector<Timer> cancel;
  std::optional<Reply> reply;  // set by OnCommand only
  // Set by OnEvent for an event of a trigger type (trigger_catalog.h: an incident report,
  // a panic, ...) that no rule matches: it changes nothing, and the adapter counts and
  // logs it so a report is never dropped silently (e.g. a `kind` the rules do not name).
  bool unmatched_trigger = false;
};

class Escalation {
 public:
  // `config` must outlive this and must have come from ParseEscalationConfig (validated).
  explicit Escalation(const EscalationConfig& config) : config_(config) {}

  // The tables the Txn must have (incident_keys.h).
  static std::vector<std::string> Tables();

  // A recorded event: shift events update the roster; an event a rule matches opens an
  // incident, joins an active one with the same key (within the grouping window) or
  // reopens a resolved one (within the reopen window). Anything else changes nothing.
  Effects OnEvent(const RecordedEvent& event, Txn& state, Micros now);

  // A command or query; Effects::reply is always set.
  Effects OnCommand(const Command& command, Txn& state, Micros now);

  // A timer row that is due (t.due <= now). A row that no longer matches its incident
  // (different version or due time, or the incident is gone) is cancelled and raises
  // nothing. Events caused by a timer carry its lateness (now - t.due).
  Effects OnTimer(const Timer& t, Txn& state, Micros now);

 private:
  const EscalationConfig& config_;
};

}  // namespace picket::escalation
