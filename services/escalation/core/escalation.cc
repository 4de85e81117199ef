#include "escalation/core/escalation.h"

#include "escalation/core/escalation_commands.h"
#include "escalation/core/incident_flow.h"
#include "escalation/core/incident_keys.h"
#include "escalation/core/trigger_catalog.h"

namespace picket::escalation {
namespace {

std::string FieldOr(const RecordedEvent& e, const std::string& name) {
  auto it = e.fields.find(name);
  return it == e.fields.end() ? "" : it->second;
}

// The trigger's note, cut to kMaxNoteBytes at a UTF-8 character boundary (it is copied
// into every alert of the incident).
std::string NoteOf(const RecordedEvent& e) {
  std::string note = FieldOr(e, "note");
  if (note.size() <= kMaxNoteBytes) return note;
  size_t end = kMaxNoteBytes;
  while (end > 0 && (static_cast<unsigned char>(note[end]) & 0xC0) == 0x80) --end;
  note.resize(end);
  return note;
}

// Applies shift.started / shift.ended to the roster. True if `e` was one of them.
bool ApplyShift(const RecordedEvent& e, IncidentFlow& flow) {
  if (e.type == kShiftStartedType) {
    flow.roster().Apply(
        ShiftStarted{FieldOr(e, "person"), FieldOr(e, "post"), FieldOr(e, "role"), e.observed_at});
    return true;
  }
  if (e.type == kShiftEndedType) {
    flow.roster().Apply(ShiftEnded{FieldOr(e, "person"), e.observed_at});
    return true;
  }
  return false;
}

void OpenIncident(IncidentFlow& flow, const IncidentType& type, const RecordedEvent& e,
                  const std::map<std::string, std::string>& fields, const std::string& key,
                  Micros trigger_at) {
  const Micros now = flow.now();
  Incident inc;
  inc.id = flow.store().TakeNextId();
  inc.version = 1;
  inc.type = type.name;
  inc.severity = type.severity;
  inc.group_key = key;
  inc.post = FieldOr(e, "post");
  inc.note = NoteOf(e);
  inc.policy = type.policy;
  inc.state = type.cancel_window > 0 ? IncidentState::kPending : IncidentState::kOpen;
  inc.count = 1;
  inc.first_trigger_seq = e.seq;
  inc.opened_at = now;
  inc.last_trigger_at = trigger_at;
  inc.announced_trigger_at = trigger_at;
  if (type.cancel_window > 0) inc.cancel_window_until = now + type.cancel_window;
  flow.store().SetKey(type.name, key, inc.id);

  IncidentOpened o;
  o.incident_type = type.name;
  o.severity = type.severity;
  o.group_key = key;
  o.post = inc.post;
  o.policy = type.policy;
  o.trigger_type = e.type;
  o.trigger_seq = e.seq;
  o.reported_by = e.actor;
  o.cancel_window_until = inc.cancel_window_until;
  o.trigger_fields.assign(fields.begin(), fields.end());
  flow.Emit(&inc, e.actor, std::move(o));
  if (inc.state == IncidentState::kOpen) flow.AlertCurrent(&inc, "opened", 0);
  flow.Save(&inc);
}

void JoinIncident(IncidentFlow& flow, Incident inc, const RecordedEvent& e, Micros trigger_at) {
  ++inc.version;
  ++inc.count;
  inc.last_trigger_at = trigger_at;
  if (AnnouncesGrouped(inc.count, trigger_at, inc.announced_trigger_at)) {
    inc.announced_trigger_at = trigger_at;
    flow.Emit(&inc, e.actor, IncidentGrouped{inc.count, e.type, e.seq});
  }
  flow.Save(&inc);
}

void ReopenIncident(IncidentFlow& flow, const IncidentType& type, Incident inc,
                    const RecordedEvent& e, Micros trigger_at) {
  const Micros now = flow.now();
  const Micros resolved_at = inc.resolved_at;
  ++inc.version;
  ++inc.count;
  inc.state = type.cancel_window > 0 ? IncidentState::kPending : IncidentState::kOpen;
  inc.opened_at = now;
  inc.last_trigger_at = trigger_at;
  inc.announced_trigger_at = trigger_at;
  inc.level = 0;
  inc.pass = 0;
  inc.on_fallback = false;
  inc.next_step_at = 0;
  inc.cancel_window_until = type.cancel_window > 0 ? now + type.cancel_window : 0;
  inc.ack_deadline = 0;
  inc.silenced_until = 0;
  inc.acknowledged_by.clear();
  inc.acknowledged_at = 0;
  // A new occurrence: the procedure is followed again (the old steps stay in the history).
  inc.steps_done.clear();
  inc.resolved_at = 0;
  inc.resolved_by.clear();
  inc.override_reason.clear();
  inc.note = NoteOf(e);  // a new occurrence: its own report
  flow.Emit(&inc, e.actor, IncidentReopened{inc.count, e.type, e.seq, resolved_at});
  if (inc.state == IncidentState::kOpen) flow.AlertCurrent(&inc, "reopened", 0);
  flow.Save(&inc);
}

}  // namespace

std::vector<std::string> Escalation::Tables() { return keys::AllTables(); }

Effects Escalation::OnEvent(const RecordedEvent& e, Txn& state, Micros now) {
  Effects fx;
  IncidentFlow flow(config_, state, now, &fx);
  if (ApplyShift(e, flow)) return fx;

  std::map<std::string, std::string> fields = e.fields;
  fields["actor"] = e.actor;
  fields["producer"] = e.producer;
  const TriggerRule* rule = config_.Match(e.type, fields);
  if (!rule) {
    fx.unmatched_trigger = FindTriggerType(e.type) != nullptr;
    return fx;
  }
  const IncidentType* type = config_.FindType(rule->incident_type);
  if (!type) return fx;  // cannot happen with a validated config
  const std::string key = type->key.Render(fields);
  const Micros trigger_at = e.recorded_at > 0 ? e.recorded_at : now;

  if (auto id = flow.store().FindByKey(type->name, key)) {
    if (auto inc = flow.store().Load(*id)) {
      if (IsActive(inc->state) && trigger_at - inc->last_trigger_at <= type->grouping_window) {
        JoinIncident(flow, std::move(*inc), e, trigger_at);
        return fx;
      }
      if (inc->state == IncidentState::kResolved &&
          trigger_at - inc->resolved_at <= type->reopen_window) {
        ReopenIncident(flow, *type, std::move(*inc), e, trigger_at);
        return fx;
      }
    }
  }
  OpenIncident(flow, *type, e, fields, key, trigger_at);
  return fx;
}

Effects Escalation::OnTimer(const Timer& t, Txn& state, Micros now) {
  Effects fx;
  if (now < t.due) return fx;  // not due yet: leave the row alone
  IncidentFlow flow(config_, state, now, &fx);
  auto inc = flow.store().Load(t.incident);
  if (!inc || inc->timer_due != t.due) {
    // Stale: the incident's deadline moved (e.g. it was acknowledged) after this row was
    // read. Drop it. (The row's version is not compared: a change that kept the deadline
    // kept the row.)
    fx.cancel.push_back({t.due, t.incident, 0});
    return fx;
  }
  const Micros lateness = now - t.due;
  ++inc->version;
  if (inc->state == IncidentState::kPending) {
    inc->state = IncidentState::kOpen;
    inc->cancel_window_until = 0;
    flow.Emit(&*inc, "", IncidentEscalated{0, 1, 0, false, "cancel_window_passed", lateness});
    flow.AlertCurrent(&*inc, "opened", lateness);
    flow.Save(&*inc);
    return fx;
  }
  bool resume = false;
  if (inc->silenced_until > 0 && inc->silenced_until <= now) {
    flow.Emit(&*inc, "", SilenceEnded{now - inc->silenced_until});
    inc->silenced_until = 0;
    resume = inc->state == IncidentState::kOpen;
  }
  if (inc->state == IncidentState::kAcknowledged && inc->ack_deadline > 0 &&
      inc->ack_deadline <= now) {
    flow.Emit(&*inc, "", IncidentUnacknowledged{true, now - inc->ack_deadline});
    inc->state = IncidentState::kOpen;
    inc->ack_deadline = 0;
    inc->acknowledged_by.clear();
    inc->acknowledged_at = 0;
    resume = true;
  } else if (inc->state == IncidentState::kOpen && !resume && inc->silenced_until == 0 &&
             inc->next_step_at > 0 && inc->next_step_at <= now) {
    flow.Advance(&*inc, now - inc->next_step_at);
  }
  if (resume && inc->silenced_until == 0) flow.AlertCurrent(&*inc, "resumed", lateness);
  flow.Save(&*inc);
  return fx;
}

Effects Escalation::OnCommand(const Command& c, Txn& state, Micros now) {
  Effects fx;
  IncidentFlow flow(config_, state, now, &fx);
  fx.reply = RunCommand(flow, c);
  return fx;
}

}  // namespace picket::escalation
