#include "escalation/core/escalation_commands.h"
#include "base/overloaded.h"

#include <algorithm>
#include <tuple>

namespace picket::escalation {
namespace {

Reply Error(CommandError code, std::string message, uint64_t incident = 0) {
  Reply r;
  r.error = code;
  r.message = std::move(message);
  r.incident = incident;
  return r;
}

Reply Done(const Incident& inc) {
  Reply r;
  r.incident = inc.id;
  r.version = inc.version;
  return r;
}

std::string Name(uint64_t id) { return "incident " + std::to_string(id); }

// Loads the incident for a command that needs it active (pending, open, acknowledged).
// On refusal returns nullopt and sets *refusal.
std::optional<Incident> LoadActive(IncidentFlow& flow, uint64_t id, Reply* refusal) {
  auto inc = flow.store().Load(id);
  if (!inc) {
    *refusal = Error(CommandError::kUnknownIncident, "no " + Name(id), id);
  } else if (inc->state == IncidentState::kResolved) {
    *refusal = Error(CommandError::kAlreadyResolved,
                     Name(id) + " was resolved by " + inc->resolved_by, id);
  } else if (inc->state == IncidentState::kCancelled) {
    *refusal = Error(CommandError::kCancelled, Name(id) + " was cancelled", id);
  } else {
    return inc;
  }
  return std::nullopt;
}

Reply Handle(IncidentFlow& flow, const std::string& actor, const Acknowledge& c) {
  Reply refusal;
  auto inc = LoadActive(flow, c.incident, &refusal);
  if (!inc) return refusal;
  if (inc->state == IncidentState::kAcknowledged)
    return Error(CommandError::kAlreadyAcknowledged,
                 Name(c.incident) + " is already acknowledged by " + inc->acknowledged_by,
                 c.incident);
  const IncidentType* type = flow.TypeOf(*inc);
  const Micros now = flow.now();
  ++inc->version;
  const uint32_t level =
      inc->on_fallback || inc->state == IncidentState::kPending ? 0 : inc->level + 1;
  inc->state = IncidentState::kAcknowledged;
  inc->acknowledged_by = actor;
  inc->acknowledged_at = now;
  inc->next_step_at = 0;  // with Save's timer cancel: no further alert for this version
  inc->cancel_window_until = 0;
  inc->ack_deadline = now + (type ? type->ack_timeout : 10 * 60 * kMicrosPerSecond);
  flow.Emit(&*inc, actor, IncidentAcknowledged{level, now - inc->opened_at, inc->ack_deadline});
  flow.Save(&*inc);
  return Done(*inc);
}

Reply Handle(IncidentFlow& flow, const std::string& actor, const Unacknowledge& c) {
  Reply refusal;
  auto inc = LoadActive(flow, c.incident, &refusal);
  if (!inc) return refusal;
  if (inc->state != IncidentState::kAcknowledged)
    return Error(CommandError::kNotAcknowledged, Name(c.incident) + " is not acknowledged",
                 c.incident);
  ++inc->version;
  inc->state = IncidentState::kOpen;
  inc->ack_deadline = 0;
  inc->acknowledged_by.clear();
  inc->acknowledged_at = 0;
  flow.Emit(&*inc, actor, IncidentUnacknowledged{false, 0});
  if (inc->silenced_until == 0) flow.AlertCurrent(&*inc, "resumed", 0);
  flow.Save(&*inc);
  return Done(*inc);
}

Reply Handle(IncidentFlow& flow, const std::string& actor, const MarkStepDone& c) {
  Reply refusal;
  auto inc = LoadActive(flow, c.incident, &refusal);
  if (!inc) return refusal;
  const IncidentType* type = flow.TypeOf(*inc);
  const ProcedureStep* step = type ? type->FindStep(c.step) : nullptr;
  if (!step) {
    std::string steps;
    if (type)
      for (const auto& s : type->procedure) steps += (steps.empty() ? "" : ", ") + s.id;
    return Error(CommandError::kUnknownStep,
                 "'" + c.step + "' is not a step of the " + inc->type + " procedure (" +
                     (steps.empty() ? "it has no steps" : "its steps: " + steps) + ")",
                 c.incident);
  }
  for (const auto& s : inc->steps_done)
    if (s.step == c.step)
      return Error(CommandError::kStepAlreadyDone, "step '" + c.step + "' was done by " + s.by,
                   c.incident);
  ++inc->version;
  inc->steps_done.push_back({c.step, actor, flow.now()});
  flow.Emit(&*inc, actor, StepDone{step->id, step->text, step->mandatory});
  flow.Save(&*inc);
  return Done(*inc);
}

Reply Handle(IncidentFlow& flow, const std::string& actor, const AddNote& c) {
  if (c.text.empty() || c.text.size() > kMaxTextBytes)
    return Error(CommandError::kInvalidArgument,
                 "a note needs 1 to " + std::to_string(kMaxTextBytes) + " bytes of text",
                 c.incident);
  auto inc = flow.store().Load(c.incident);
  if (!inc) return Error(CommandError::kUnknownIncident, "no " + Name(c.incident), c.incident);
  ++inc->version;
  flow.Emit(&*inc, actor, NoteAdded{c.text});
  flow.Save(&*inc);
  return Done(*inc);
}

Reply Handle(IncidentFlow& flow, const std::string& actor, const Resolve& c) {
  if (c.override_reason.size() > kMaxTextBytes)
    return Error(CommandError::kInvalidArgument, "the override reason is too long", c.incident);
  Reply refusal;
  auto inc = LoadActive(flow, c.incident, &refusal);
  if (!inc) return refusal;
  std::vector<std::string> missing;
  if (const IncidentType* type = flow.TypeOf(*inc))
    for (const auto& step : type->procedure)
      if (step.mandatory && !inc->StepDone(step.id)) missing.push_back(step.id);
  if (!missing.empty() && c.override_reason.empty()) {
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
    Reply r = Error(CommandError::kMandatoryStepsMissing,
                    "mandatory steps not done: " + list +
                        " (do them, or resolve with an override "
                        "reason)",
                    c.incident);
    r.missing_steps = std::move(missing);
    return r;
  }
  ++inc->version;
  inc->state = IncidentState::kResolved;
  inc->resolved_at = flow.now();
  inc->resolved_by = actor;
  inc->override_reason = missing.empty() ? "" : c.override_reason;
  inc->next_step_at = inc->ack_deadline = inc->silenced_until = inc->cancel_window_until = 0;
  flow.Emit(&*inc, actor,
            IncidentResolved{inc->override_reason, missing, flow.now() - inc->opened_at});
  flow.Save(&*inc);
  return Done(*inc);
}

Reply Handle(IncidentFlow& flow, const std::string& actor, const Reassign& c) {
  if (c.to.empty() || c.reason.size() > kMaxTextBytes)
    return Error(CommandError::kInvalidArgument, "reassign needs a person (and a short reason)",
                 c.incident);
  Reply refusal;
  auto inc = LoadActive(flow, c.incident, &refusal);
  if (!inc) return refusal;
  const EscalationPolicy* p = flow.PolicyOf(*inc);
  ++inc->version;
  IncidentReassigned r{c.to, inc->assignee, c.reason, inc->acknowledged_by};
  inc->assignee = c.to;
  flow.Emit(&*inc, actor, std::move(r));
  if (inc->state == IncidentState::kAcknowledged) {
    inc->state = IncidentState::kOpen;  // the new assignee has to acknowledge it themselves
    inc->ack_deadline = 0;
    inc->acknowledged_by.clear();
    inc->acknowledged_at = 0;
  }
  if (inc->state == IncidentState::kOpen && inc->silenced_until == 0) {
    AlertRaised a;
    a.person = c.to;
    a.level = inc->on_fallback ? 0 : inc->level + 1;
    a.pass = inc->pass;
    a.fallback = inc->on_fallback;
    a.target = "assignee";
    a.reason = "reassigned";
    // The assignee gets the current level's wait to acknowledge before the chain goes on.
    Micros wait = !p ? 5 * 60 * kMicrosPerSecond
                  : inc->on_fallback
                      ? p->fallback_wait
                      : p->levels[std::min<size_t>(inc->level, p->levels.size() - 1)].wait;
    inc->next_step_at = flow.now() + wait;
    a.respond_by = inc->next_step_at;
    flow.Emit(&*inc, "", std::move(a));
  }
  flow.Save(&*inc);
  return Done(*inc);
}

Reply Handle(IncidentFlow& flow, const std::string& actor, const Silence& c) {
  if (c.duration <= 0 || c.duration > kMaxSilence)
    return Error(CommandError::kInvalidArgument, "a silence lasts more than 0 and at most 24h",
                 c.incident);
  if (c.reason.empty() || c.reason.size() > kMaxTextBytes)
    return Error(CommandError::kInvalidArgument, "a silence needs a reason", c.incident);
  Reply refusal;
  auto inc = LoadActive(flow, c.incident, &refusal);
  if (!inc) return refusal;
  if (inc->state == IncidentState::kPending)
    return Error(CommandError::kWrongState,
                 Name(c.incident) + " is in its cancel window: cancel it instead", c.incident);
  ++inc->version;
  inc->silenced_until = flow.now() + c.duration;
  inc->next_step_at = 0;  // when the silence ends, the current level is alerted again
  flow.Emit(&*inc, actor, IncidentSilenced{inc->silenced_until, c.reason});
  flow.Save(&*inc);
  return Done(*inc);
}

Reply Handle(IncidentFlow& flow, const std::string& actor, const CancelIncident& c) {
  Reply refusal;
  auto inc = LoadActive(flow, c.incident, &refusal);
  if (!inc) return refusal;
  if (inc->state != IncidentState::kPending || flow.now() >= inc->cancel_window_until)
    return Error(CommandError::kCancelWindowPassed,
                 Name(c.incident) + " is past its cancel window (or has none)", c.incident);
  ++inc->version;
  inc->state = IncidentState::kCancelled;
  inc->cancel_window_until = 0;
  flow.Emit(&*inc, actor, IncidentCancelled{});
  flow.Save(&*inc);
  return Done(*inc);
}

Reply Handle(IncidentFlow& flow, const std::string&, const ListOpen&) {
  Reply r;
  for (uint64_t id : flow.store().OpenIds())
    if (auto inc = flow.store().Load(id)) r.incidents.push_back(Summarize(*inc));
  return r;
}

Reply Handle(IncidentFlow& flow, const std::string&, const GetIncident& c) {
  auto inc = flow.store().Load(c.incident);
  if (!inc) return Error(CommandError::kUnknownIncident, "no " + Name(c.incident), c.incident);
  IncidentDetail d;
  d.summary = Summarize(*inc);
  if (const IncidentType* type = flow.TypeOf(*inc))
    for (const auto& step : type->procedure) {
      StepStatus s{step, false, "", 0};
      for (const auto& done : inc->steps_done)
        if (done.step == step.id) s = {step, true, done.by, done.at};
      d.procedure.push_back(std::move(s));
    }
  d.history = flow.store().History(inc->id);
  d.next_step_at = inc->next_step_at;
  d.ack_deadline = inc->ack_deadline;
  d.cancel_window_until = inc->cancel_window_until;
  d.resolved_at = inc->resolved_at;
  d.resolved_by = inc->resolved_by;
  d.override_reason = inc->override_reason;
  d.note = inc->note;
  Reply r = Done(*inc);
  r.detail = std::move(d);
  return r;
}

Reply Handle(IncidentFlow& flow, const std::string&, const ListOnDuty&) {
  Reply r;
  for (OnDuty& d : flow.roster().OnDutyNow()) {
    bool leads = flow.roster().LeaderOf(d.post) == d.person;
    r.on_duty.push_back({std::move(d), leads});
  }
  std::sort(r.on_duty.begin(), r.on_duty.end(), [](const DutyEntry& a, const DutyEntry& b) {
    return std::tie(a.duty.post, a.duty.role, a.duty.since, a.duty.person) <
           std::tie(b.duty.post, b.duty.role, b.duty.since, b.duty.person);
  });
  return r;
}

Reply Handle(IncidentFlow& flow, const std::string&, const ListIncidents& q) {
  // Times beyond 2^62 µs (year 148 000) are nonsense and would overflow the scan's slack.
  constexpr Micros kLatest = Micros{1} << 62;
  if (q.from < 0 || q.to > kLatest)
    return Error(CommandError::kInvalidArgument,
                 "listIncidents: from and to must be times in µs since 1970 (0 .. 2^62)");
  if (q.from >= q.to)
    return Error(CommandError::kInvalidArgument, "listIncidents: from (" + std::to_string(q.from) +
                                                     ") must be before to (" +
                                                     std::to_string(q.to) + ")");
  if (q.to - q.from > kMaxIncidentRange)
    return Error(CommandError::kInvalidArgument,
                 "listIncidents: the range is longer than 31 days; ask for it in parts");
  if (q.post.size() > kMaxPostBytes)
    return Error(CommandError::kInvalidArgument, "listIncidents: the post is longer than " +
                                                     std::to_string(kMaxPostBytes) + " bytes");
  IncidentStore::OpenedList list =
      flow.store().OpenedBetween(q.from, q.to, q.post, kMaxListedIncidents);
  Reply r;
  r.truncated = list.truncated;
  for (const IncidentStore::Opened& o : list.incidents) {
    IncidentSummary s = Summarize(o.incident);
    s.first_opened_at = o.first_opened_at;
    r.incidents.push_back(std::move(s));
  }
  return r;
}

}  // namespace

std::string_view CommandErrorName(CommandError e) {
  switch (e) {
    case CommandError::kNone:
      return "none";
    case CommandError::kUnknownIncident:
      return "unknown_incident";
    case CommandError::kAlreadyResolved:
      return "already_resolved";
    case CommandError::kAlreadyAcknowledged:
      return "already_acknowledged";
    case CommandError::kNotAcknowledged:
      return "not_acknowledged";
    case CommandError::kUnknownStep:
      return "unknown_step";
    case CommandError::kStepAlreadyDone:
      return "step_already_done";
    case CommandError::kMandatoryStepsMissing:
      return "mandatory_steps_missing";
    case CommandError::kCancelWindowPassed:
      return "cancel_window_passed";
    case CommandError::kCancelled:
      return "cancelled";
    case CommandError::kInvalidArgument:
      return "invalid_argument";
    case CommandError::kWrongState:
      return "wrong_state";
    case CommandError::kUnauthorized:
      return "unauthorized";
  }
  return "?";
}

Reply RunCommand(IncidentFlow& flow, const Command& c) {
  const bool query =
      std::holds_alternative<ListOpen>(c.body) || std::holds_alternative<GetIncident>(c.body) ||
      std::holds_alternative<ListOnDuty>(c.body) || std::holds_alternative<ListIncidents>(c.body);
  if (c.actor.empty() && !query)
    return Error(CommandError::kInvalidArgument, "a command needs an actor");
  if (!query && !flow.config().roster.standing_roles.count(c.actor) &&
      !flow.roster().DutyOf(c.actor))
    return Error(CommandError::kUnauthorized,
                 "'" + c.actor +
                     "' is not a person of this site (not in [escalation.roster.people] and "
                     "not on duty): nothing was done");
  if (auto* r = std::get_if<Reassign>(&c.body); r && !r->to.empty() &&
                                                !flow.config().roster.standing_roles.count(r->to) &&
                                                !flow.roster().DutyOf(r->to))
    return Error(CommandError::kUnauthorized,
                 "'" + r->to + "' is not a person of this site: cannot reassign to them");
  return std::visit([&](const auto& body) { return Handle(flow, c.actor, body); }, c.body);
}

}  // namespace picket::escalation
