// IncidentFlow: the transitions shared by every handler of the escalation core, for the
// duration of one handler call (internal to the core; Escalation is the public API).
//
// It owns nothing durable: it reads and writes through the call's Txn and appends to the
// call's Effects. Every mutating path follows one pattern:
//   check (an error returns before anything changes) -> ++inc.version ->
//   Emit(...) for each transition (event + history row) -> Save (row + timer)
// so one handler call bumps the version once and leaves exactly one timer row per
// incident, due at NextDeadline().
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/roster.h"
#include "escalation/core/escalation.h"
#include "escalation/core/incident_store.h"

namespace picket::escalation {

class IncidentFlow {
 public:
  IncidentFlow(const EscalationConfig& config, Txn& txn, Micros now, Effects* effects);

  Micros now() const { return now_; }
  IncidentStore& store() { return store_; }
  Roster& roster() { return roster_; }
  const EscalationConfig& config() const { return config_; }
  Effects& effects() { return *effects_; }

  // The incident's type and policy, or nullptr if the config no longer has them (a type
  // or policy removed while incidents of it were open).
  const IncidentType* TypeOf(const Incident& inc) const;
  const EscalationPolicy* PolicyOf(const Incident& inc) const;

  // Appends the event (actor, body) for `inc` at its current version, and its history row.
  void Emit(Incident* inc, std::string actor, EventBody body);
  // Writes the incident and moves its timer row to NextDeadline (cancel old, set new).
  void Save(Incident* inc);

  // Alerts every person of the incident's current position (level or fallback), plus
  // the assignee, and sets next_step_at. A level that resolves to nobody is recorded
  // (level_unstaffed) and passed at once, so the chain always ends at someone.
  void AlertCurrent(Incident* inc, std::string_view reason, Micros lateness);
  // The step timer passed without an ack: move one step along the chain and alert.
  void Advance(Incident* inc, Micros lateness);

 private:
  // Moves the position one step: next level; else the next pass from repeat_from; else
  // the fallback. Emits incident_escalated.
  void StepForward(Incident* inc, const EscalationPolicy& p, std::string_view reason,
                   Micros lateness);
  // (person, the target text that named them), each person once, in target order.
  std::vector<std::pair<std::string, std::string>> ResolveTargets(
      const Incident& inc, const std::vector<Target>& targets);
  // Alerts each person; `respond_by` is inc->next_step_at, which the caller sets first.
  void AlertAll(Incident* inc, const std::vector<std::pair<std::string, std::string>>& people,
                std::string_view reason, Micros lateness);

  const EscalationConfig& config_;
  IncidentStore store_;
  Roster roster_;
  Micros now_;
  Effects* effects_;
};

// An incident's public summary (level 1-based, 0 on fallback or while pending).
IncidentSummary Summarize(const Incident& inc);

}  // namespace picket::escalation
