// Session: gate reports (visitor, manual entry), rounds, incidents and their procedure
// steps, the gate and /help. Dispatch and the rest are in session.cc.
#include <algorithm>

#include "terminal/core/session.h"
#include "wire/event_names.h"

namespace picket::terminal {
namespace {

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string StepLine(uint64_t incident, const StepOnScreen& s) {
  const char* box = s.done ? "[x]" : s.requested ? "[~]" : "[ ]";
  return "#" + std::to_string(incident) + " " + s.id + " " + box + " " + s.text +
         (s.mandatory ? " *" : "");
}

}  // namespace

void Session::SetGate(const input::SetGate& in, Effects& fx) {
  if (!config_.HasGate(in.gate)) {
    Refuse(fx, "unknown_gate",
           "Unknown gate '" + in.gate + "'. Gates here: " +
               (config_.gates.empty() ? "none (the post's own gate)" : Join(config_.gates)));
    return;
  }
  screen_.gate = in.gate;
  Info(fx, "Gate: " + in.gate + ".");
}

void Session::Visitor(const input::Visitor& in, Micros now, Effects& fx) {
  if (!in.gate.empty() && !config_.HasGate(in.gate)) {
    Refuse(fx, "unknown_gate",
           "Unknown gate '" + in.gate + "'. Gates here: " +
               (config_.gates.empty() ? "none (the post's own gate)" : Join(config_.gates)));
    return;
  }
  const std::string gate = in.gate.empty() ? screen_.gate : in.gate;
  Emit(fx, event_names::kVisitorArrival, now,
       {{"post", config_.post}, {"gate", gate}, {"person", in.person}});
  const std::string phrase = Say(Situation::kVisitorAnnounced);
  ShowVerdict({Verdict::kVisitor, in.person, "", screen_.direction, gate, phrase, now, false}, fx);
  Info(fx, "Visitor " + in.person + " announced" + (gate.empty() ? "" : " at gate " + gate) + ".");
  fx.notices.push_back({NoticeKind::kSay, phrase});
}

void Session::Manual(const input::Manual& in, Micros now, Effects& fx) {
  Emit(
      fx, event_names::kManualEntry, now,
      {{"post", config_.post}, {"gate", screen_.gate}, {"person", in.person}, {"note", in.reason}});
  const std::string phrase = Say(Situation::kManualEntryRecorded);
  ShowVerdict({Verdict::kManualEntry, in.person, in.reason, screen_.direction, screen_.gate, phrase,
               now, false},
              fx);
  Info(fx, "Manual entry of " + in.person + " recorded: " + in.reason);
  fx.notices.push_back({NoticeKind::kSay, phrase});
}

void Session::RoundStart(const input::RoundStart& in, Micros now, Effects& fx) {
  if (screen_.in_round) {
    Refuse(fx, "in_round", "A round is already started: /round end first");
    return;
  }
  Emit(fx, event_names::kPatrolStart, now, {{"post", config_.post}, {"route", in.route}});
  screen_.in_round = true;
  screen_.route = in.route;
  screen_.round_checkpoints = 0;
  Info(fx, "Round started" + (in.route.empty() ? std::string() : " on route " + in.route) +
               ". Scan each checkpoint tag.");
}

void Session::RoundEnd(Micros now, Effects& fx) {
  if (!screen_.in_round) {
    Refuse(fx, "not_in_round", "No round is started");
    return;
  }
  Emit(fx, event_names::kPatrolEnd, now, {{"post", config_.post}});
  screen_.in_round = false;
  Info(fx, "Round ended: " + std::to_string(screen_.round_checkpoints) + " checkpoints recorded.");
  screen_.route.clear();
  screen_.round_checkpoints = 0;
}

Effects Session::OnRoundClosed(uint32_t on_time, uint32_t late, uint32_t missed, Micros now) {
  (void)now;
  Effects fx;
  if (!screen_.in_round) return fx;
  screen_.in_round = false;
  screen_.route.clear();
  screen_.round_checkpoints = 0;
  Info(fx, "Round complete: " + std::to_string(on_time) + " on time, " + std::to_string(late) +
               " late, " + std::to_string(missed) + " missed.");
  return fx;
}

void Session::Report(const input::Incident& in, Micros now, Effects& fx) {
  // With no reportable kind configured, any kind goes (escalation's rules decide).
  std::vector<std::string> kinds;
  for (const IncidentKind& k : config_.incident_kinds)
    if (k.reportable) kinds.push_back(k.name);
  const IncidentKind* kind = config_.FindIncidentKind(in.kind);
  if (!kinds.empty() && (kind == nullptr || !kind->reportable)) {
    Refuse(fx, "unknown_kind", "Unknown incident kind '" + in.kind + "'. Kinds: " + Join(kinds));
    return;
  }
  Emit(fx, event_names::kIncidentReported, now,
       {{"post", config_.post}, {"kind", in.kind}, {"note", in.text}});
  const std::string phrase = Say(Situation::kIncidentReported);
  ShowVerdict(
      {Verdict::kIncidentReported, in.kind, in.text, screen_.direction, "", phrase, now, false},
      fx);
  Info(fx, "Incident reported: " + in.kind + ".");
  fx.notices.push_back({NoticeKind::kSay, phrase});
}

void Session::MarkStepDone(const input::StepDone& in, Effects& fx) {
  auto incident = std::find_if(screen_.incidents.begin(), screen_.incidents.end(),
                               [&](const IncidentOnScreen& i) { return i.id == in.incident; });
  if (incident == screen_.incidents.end()) {
    Refuse(fx, "unknown_incident",
           "No open incident #" + std::to_string(in.incident) + " at this post");
    return;
  }
  auto step = std::find_if(incident->steps.begin(), incident->steps.end(),
                           [&](const StepOnScreen& s) { return s.id == in.step; });
  if (step == incident->steps.end()) {
    std::vector<std::string> ids;
    for (const StepOnScreen& s : incident->steps) ids.push_back(s.id);
    Refuse(fx, "unknown_step",
           "Incident #" + std::to_string(in.incident) + " has no step '" + in.step +
               "'. Steps: " + (ids.empty() ? "none" : Join(ids)));
    return;
  }
  if (step->done) {
    Refuse(fx, "step_already_done",
           "Step " + in.step + " of #" + std::to_string(in.incident) + " is already done");
    return;
  }
  step->requested = true;
  fx.commands.push_back({"escalation",
                         "markStepDone",
                         {{"incident", std::to_string(in.incident)}, {"step", in.step}},
                         screen_.guard});
  fx.notices.push_back({NoticeKind::kStep, StepLine(in.incident, *step) + " (sent)"});
  screen_.notice = "Step " + in.step + " of #" + std::to_string(in.incident) + " sent.";
}

void Session::Help(Effects& fx) {
  fx.notices.push_back({NoticeKind::kHelp, std::string(HelpText())});
  screen_.notice =
      "Commands: /login /ack /logout /in /out /gate /scan /visitor /manual /round /incident "
      "/panic /cancel /done /help";
}

Effects Session::OnIncidentOpened(const IncidentInfo& info, Micros /*now*/) {
  Effects fx;
  if (info.post != config_.post) return fx;
  if (!info.trigger_event_id.empty() && silent_event_ids_.count(info.trigger_event_id) > 0) {
    return fx;  // opened by a duress panic: never on this screen
  }
  for (const IncidentOnScreen& i : screen_.incidents) {
    if (i.id == info.id) return fx;
  }
  IncidentOnScreen incident;
  incident.id = info.id;
  incident.kind = info.kind;
  incident.label = info.kind;
  incident.severity = info.severity;
  if (const IncidentKind* kind = config_.FindIncidentKind(info.kind)) {
    if (!kind->label.empty()) incident.label = kind->label;
    for (const ProcedureStep& s : kind->steps) {
      incident.steps.push_back({s.id, s.text, s.mandatory, false, false});
    }
  }
  std::string text = "#" + std::to_string(info.id) + " " + info.kind + " opened";
  if (!info.severity.empty()) text += " (" + info.severity + ")";
  fx.notices.push_back({NoticeKind::kIncident, text});
  for (const StepOnScreen& s : incident.steps) {
    fx.notices.push_back({NoticeKind::kStep, StepLine(info.id, s)});
  }
  const auto at = std::find_if(screen_.incidents.begin(), screen_.incidents.end(),
                               [&](const IncidentOnScreen& i) { return i.id > info.id; });
  screen_.incidents.insert(at, std::move(incident));
  fx.screen_changed = true;
  return fx;
}

Effects Session::OnStepDone(uint64_t incident, std::string_view step, Micros /*now*/) {
  Effects fx;
  for (IncidentOnScreen& i : screen_.incidents) {
    if (i.id != incident) continue;
    for (StepOnScreen& s : i.steps) {
      if (s.id != step || s.done) continue;
      s.done = true;
      s.requested = false;
      fx.notices.push_back({NoticeKind::kStep, StepLine(incident, s)});
      fx.screen_changed = true;
    }
  }
  return fx;
}

Effects Session::OnIncidentClosed(uint64_t incident, std::string_view how, Micros /*now*/) {
  Effects fx;
  const auto it = std::find_if(screen_.incidents.begin(), screen_.incidents.end(),
                               [&](const IncidentOnScreen& i) { return i.id == incident; });
  if (it == screen_.incidents.end()) return fx;
  fx.notices.push_back({NoticeKind::kIncident,
                        "#" + std::to_string(incident) + " " + it->kind + " " + std::string(how)});
  screen_.incidents.erase(it);
  fx.screen_changed = true;
  return fx;
}

}  // namespace picket::terminal
