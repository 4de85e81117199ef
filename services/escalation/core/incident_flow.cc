#include "escalation/core/incident_flow.h"

#include <algorithm>

#include "escalation/core/incident_keys.h"

namespace picket::escalation {
namespace {

// How soon an incident whose policy vanished from the config is looked at again.
constexpr Micros kOrphanRetry = 5 * 60 * kMicrosPerSecond;

}  // namespace

IncidentFlow::IncidentFlow(const EscalationConfig& config, Txn& txn, Micros now, Effects* effects)
    : config_(config),
      store_(txn),
      roster_(config.roster, txn, std::string(keys::kRosterTable)),
      now_(now),
      effects_(effects) {}

const IncidentType* IncidentFlow::TypeOf(const Incident& inc) const {
  return config_.FindType(inc.type);
}

const EscalationPolicy* IncidentFlow::PolicyOf(const Incident& inc) const {
  return config_.FindPolicy(inc.policy);
}

void IncidentFlow::Emit(Incident* inc, std::string actor, EventBody body) {
  OutgoingEvent e{std::move(actor), now_, inc->id, inc->version, std::move(body)};
  store_.AppendHistory(inc, {now_, std::string(e.type()), e.actor, Describe(e), inc->version});
  effects_->events.push_back(std::move(e));
}

void IncidentFlow::Save(Incident* inc) {
  Micros due = NextDeadline(*inc);
  // One timer row per incident, at its next deadline. A change that does not move the
  // deadline (a grouped report, a note, a step done) leaves the row alone: when it fires,
  // OnTimer acts on the incident as it is then.
  if (due != inc->timer_due) {
    if (inc->timer_due != 0) {
      Timer old{inc->timer_due, inc->id, 0};
      auto& cancel = effects_->cancel;
      if (std::find(cancel.begin(), cancel.end(), old) == cancel.end()) cancel.push_back(old);
    }
    if (due != 0) effects_->set.push_back({due, inc->id, inc->version});
  }
  inc->timer_due = due;
  store_.Save(*inc);
}

std::vector<std::pair<std::string, std::string>> IncidentFlow::ResolveTargets(
    const Incident& inc, const std::vector<Target>& targets) {
  std::vector<std::pair<std::string, std::string>> out;
  auto add = [&](const std::string& person, const std::string& via) {
    for (const auto& [p, v] : out)
      if (p == person) return;
    out.emplace_back(person, via);
  };
  for (const auto& t : targets) {
    std::string via = FormatTarget(t);
    switch (t.kind) {
      case TargetKind::kPerson:
        add(t.name, via);
        break;
      case TargetKind::kRole:
        for (const auto& d : roster_.HoldersOf(t.name)) add(d.person, via);
        break;
      case TargetKind::kPostLeader:
        if (auto leader = roster_.LeaderOf(inc.post)) add(*leader, via);
        break;
      case TargetKind::kAllWithRole:
        for (const auto& p : roster_.EveryoneWith(t.name)) add(p, via);
        break;
    }
  }
  return out;
}

void IncidentFlow::AlertAll(Incident* inc,
                            const std::vector<std::pair<std::string, std::string>>& people,
                            std::string_view reason, Micros lateness) {
  for (const auto& [person, via] : people) {
    AlertRaised a;
    a.person = person;
    a.level = inc->on_fallback ? 0 : inc->level + 1;
    a.pass = inc->pass;
    a.fallback = inc->on_fallback;
    a.target = via;
    a.reason = std::string(reason);
    a.lateness = lateness;
    a.respond_by = inc->next_step_at;
    a.incident_type = inc->type;
    a.post = inc->post;
    a.severity = inc->severity;
    a.note = inc->note;
    Emit(inc, "", std::move(a));
  }
}

void IncidentFlow::AlertCurrent(Incident* inc, std::string_view reason, Micros lateness) {
  const EscalationPolicy* p = PolicyOf(*inc);
  if (!p) {
    // The config lost the policy: tell whoever is assigned, record it, look again later.
    std::vector<std::pair<std::string, std::string>> people;
    if (!inc->assignee.empty()) people.emplace_back(inc->assignee, "assignee");
    if (people.empty()) Emit(inc, "", LevelUnstaffed{0, {"policy '" + inc->policy + "' is gone"}});
    inc->next_step_at = now_ + kOrphanRetry;
    AlertAll(inc, people, reason, lateness);
    return;
  }
  // Each pass through the loop either alerts someone and returns, or moves one step
  // forward; the fallback always names a person (config check), so this ends.
  const size_t max_steps = p->levels.size() * (static_cast<size_t>(p->repeat) + 1) + 1;
  for (size_t guard = 0; guard <= max_steps; ++guard) {
    const bool fallback = inc->on_fallback || inc->level >= p->levels.size();
    inc->on_fallback = fallback;
    const auto& targets = fallback ? p->fallback : p->levels[inc->level].targets;
    auto people = ResolveTargets(*inc, targets);
    if (!inc->assignee.empty() && std::none_of(people.begin(), people.end(), [&](const auto& pv) {
          return pv.first == inc->assignee;
        }))
      people.emplace_back(inc->assignee, "assignee");
    if (!people.empty() || fallback) {
      inc->next_step_at = now_ + (fallback ? p->fallback_wait : p->levels[inc->level].wait);
      AlertAll(inc, people, fallback && reason == "escalated" ? "fallback" : reason, lateness);
      return;
    }
    LevelUnstaffed u{inc->level + 1, {}};
    for (const auto& t : targets) u.targets.push_back(FormatTarget(t));
    Emit(inc, "", std::move(u));
    StepForward(inc, *p, "unstaffed", 0);
  }
}

void IncidentFlow::StepForward(Incident* inc, const EscalationPolicy& p, std::string_view reason,
                               Micros lateness) {
  IncidentEscalated e;
  e.from_level = inc->on_fallback ? 0 : inc->level + 1;
  if (inc->level + 1 < p.levels.size()) {
    ++inc->level;
  } else if (inc->pass < static_cast<uint32_t>(p.repeat)) {
    ++inc->pass;
    inc->level = static_cast<uint32_t>(p.repeat_from);
  } else {
    inc->on_fallback = true;
  }
  e.to_level = inc->on_fallback ? 0 : inc->level + 1;
  e.to_fallback = inc->on_fallback;
  e.pass = inc->pass;
  e.reason = std::string(reason);
  e.lateness = lateness;
  Emit(inc, "", std::move(e));
}

void IncidentFlow::Advance(Incident* inc, Micros lateness) {
  const EscalationPolicy* p = PolicyOf(*inc);
  if (p && !inc->on_fallback) {
    StepForward(inc, *p, "wait_passed", lateness);
    AlertCurrent(inc, "escalated", lateness);
  } else {
    // Already at the fallback: tell them again, every fallback_wait, until someone acks.
    AlertCurrent(inc, "fallback_repeat", lateness);
  }
}

IncidentSummary Summarize(const Incident& inc) {
  IncidentSummary s;
  s.id = inc.id;
  s.version = inc.version;
  s.type = inc.type;
  s.severity = inc.severity;
  s.state = inc.state;
  s.post = inc.post;
  s.group_key = inc.group_key;
  s.count = inc.count;
  s.opened_at = inc.opened_at;
  s.level = inc.on_fallback || inc.state == IncidentState::kPending ? 0 : inc.level + 1;
  s.acknowledged_by = inc.acknowledged_by;
  s.assignee = inc.assignee;
  s.silenced_until = inc.silenced_until;
  s.acknowledged_at = inc.acknowledged_at;
  s.resolved_at = inc.resolved_at;
  s.resolved_by = inc.resolved_by;
  return s;
}

}  // namespace picket::escalation
