#include "picketctl/incident_format.h"
#include "picketctl/text_columns.h"

#include <algorithm>
#include <limits>

#include "escalation/wire_convert.h"
#include "wire/event_json.h"

namespace picket {
namespace {

using escalation::IncidentDetail;
using escalation::IncidentState;
using escalation::IncidentSummary;
using escalation::Reply;
using escalation::SchemaName;

std::string OrDash(const std::string& s) { return s.empty() ? "-" : s; }

// to - from, saturated at the ends of Micros: the times come from a reply, any 64-bit value
// (fuzzing found the same overflow in FormatStatus: a time near INT64_MIN).
Micros Minus(Micros to, Micros from) {
  Micros d = 0;
  if (__builtin_sub_overflow(to, from, &d))
    return to > from ? std::numeric_limits<Micros>::max() : std::numeric_limits<Micros>::min();
  return d;
}

std::string Two(int64_t n) { return (n < 10 ? "0" : "") + std::to_string(n); }

std::string LevelText(const IncidentSummary& s) {
  if (s.state == IncidentState::kPending) return "-";
  return s.level == 0 ? "fallback" : std::to_string(s.level);
}

std::string StateText(const IncidentSummary& s, Micros now) {
  return s.silenced_until > now ? SchemaName(s.state) + " silenced" : SchemaName(s.state);
}

std::string Version(const Reply& a) { return " (version " + std::to_string(a.version) + ")"; }

}  // namespace

std::string FormatAge(Micros duration) {
  int64_t s = std::max<Micros>(duration, 0) / kMicrosPerSecond;
  if (s < 60) return std::to_string(s) + "s";
  if (s < 3600) return std::to_string(s / 60) + "m" + Two(s % 60) + "s";
  if (s < 86400) return std::to_string(s / 3600) + "h" + Two(s % 3600 / 60) + "m";
  return std::to_string(s / 86400) + "d" + Two(s % 86400 / 3600) + "h";
}

std::string FormatWhen(Micros at, Micros now) {
  if (at == 0) return "-";
  std::string rel =
      at <= now ? FormatAge(Minus(now, at)) + " ago" : "in " + FormatAge(Minus(at, now));
  return FormatMicrosUtc(at) + " (" + rel + ")";
}

std::string FormatCommandResult(const IncidentArgs& args, const Reply& a) {
  std::string head = "incident " + std::to_string(a.incident);
  const std::string& by = args.actor;
  switch (args.verb) {
    case IncidentVerb::kAcknowledge:
      return head + " acknowledged by " + by + Version(a);
    case IncidentVerb::kUnacknowledge:
      return head + " unacknowledged by " + by + Version(a);
    case IncidentVerb::kStepDone:
      return head + ": step " + args.step + " done by " + by + Version(a);
    case IncidentVerb::kNote:
      return head + ": note added by " + by + Version(a);
    case IncidentVerb::kResolve:
      if (!args.override_reason.empty())
        return head + " resolved by " + by + " with override: " + args.override_reason + Version(a);
      return head + " resolved by " + by + Version(a);
    case IncidentVerb::kReassign:
      return head + " reassigned to " + args.to + " by " + by + Version(a);
    case IncidentVerb::kSilence:
      return head + " silenced for " + args.duration + " by " + by + ": " + args.reason +
             Version(a);
    case IncidentVerb::kCancel:
      return head + " cancelled by " + by + Version(a);
    case IncidentVerb::kList:
    case IncidentVerb::kShow:
      break;
  }
  return head + Version(a);
}

std::string FormatRefusal(const Reply& a) {
  std::string out =
      SchemaName(a.error) + ": " + (a.message.empty() ? "(no message)" : a.message) + "\n";
  if (!a.missing_steps.empty()) {
    out += "missing steps:";
    for (size_t i = 0; i < a.missing_steps.size(); ++i)
      out += (i == 0 ? " " : ", ") + a.missing_steps[i];
    out += "\n";
  }
  return out;
}

std::string FormatIncidentTable(const std::vector<IncidentSummary>& incidents, Micros now) {
  if (incidents.empty()) return "no open incidents\n";
  std::vector<std::vector<std::string>> rows = {{"ID", "TYPE", "SEVERITY", "STATE", "POST", "LEVEL",
                                                 "COUNT", "OPENED", "ACK BY", "ASSIGNEE"}};
  for (const auto& s : incidents) {
    rows.push_back({std::to_string(s.id), s.type, SchemaName(s.severity), StateText(s, now),
                    OrDash(s.post), LevelText(s), std::to_string(s.count),
                    FormatAge(Minus(now, s.opened_at)), OrDash(s.acknowledged_by),
                    OrDash(s.assignee)});
  }
  return Columns(rows);
}

std::string FormatIncidentDetails(const IncidentDetail& d, Micros now) {
  const IncidentSummary& o = d.summary;
  std::string out = "incident " + std::to_string(o.id) + ": " + o.type + ", " +
                    SchemaName(o.severity) + ", " + StateText(o, now) + " (version " +
                    std::to_string(o.version) + ")\n";
  std::vector<std::vector<std::string>> facts = {
      {"  post", OrDash(o.post)},
      {"  note", OrDash(d.note)},
      {"  key", OrDash(o.group_key) + " (" + std::to_string(o.count) +
                    (o.count == 1 ? " trigger)" : " triggers)")},
      {"  opened", FormatWhen(o.opened_at, now)},
      {"  level", LevelText(o)},
      {"  acknowledged by", OrDash(o.acknowledged_by)},
      {"  assignee", OrDash(o.assignee)},
      {"  next step", FormatWhen(d.next_step_at, now)},
      {"  ack deadline", FormatWhen(d.ack_deadline, now)}};
  if (d.cancel_window_until != 0)
    facts.push_back({"  cancel window until", FormatWhen(d.cancel_window_until, now)});
  if (o.silenced_until != 0)
    facts.push_back({"  silenced until", FormatWhen(o.silenced_until, now)});
  if (d.resolved_at != 0)
    facts.push_back(
        {"  resolved", FormatWhen(d.resolved_at, now) + " by " + OrDash(d.resolved_by)});
  if (!d.override_reason.empty()) facts.push_back({"  override", d.override_reason});
  out += Columns(facts);

  out += "procedure:\n";
  if (d.procedure.empty()) out += "  (none)\n";
  for (const auto& p : d.procedure) {
    out += std::string("  [") + (p.done ? "x" : " ") + "] " + p.step.id + ": " + p.step.text +
           (p.step.mandatory ? " (mandatory)" : "");
    if (p.done) out += " - done by " + OrDash(p.by) + " at " + FormatMicrosUtc(p.at);
    out += "\n";
    if (!p.step.phrase.empty()) out += "      say: \"" + p.step.phrase + "\"\n";
  }
  out += "history:\n";
  std::vector<std::vector<std::string>> lines;
  for (const auto& h : d.history)
    lines.push_back({"  " + FormatMicrosUtc(h.at), OrDash(h.actor), h.text});
  out += lines.empty() ? "  (none)\n" : Columns(lines);
  return out;
}

nlohmann::ordered_json IncidentSummaryToJson(const IncidentSummary& o) {
  return nlohmann::ordered_json{{"incident", o.id},
                                {"version", o.version},
                                {"incidentType", o.type},
                                {"severity", SchemaName(o.severity)},
                                {"state", SchemaName(o.state)},
                                {"post", o.post},
                                {"groupKey", o.group_key},
                                {"count", o.count},
                                {"openedAt", o.opened_at},
                                {"level", o.level},
                                {"acknowledgedBy", o.acknowledged_by},
                                {"assignee", o.assignee},
                                {"silencedUntil", o.silenced_until},
                                {"firstOpenedAt", o.first_opened_at},
                                {"acknowledgedAt", o.acknowledged_at},
                                {"resolvedAt", o.resolved_at},
                                {"resolvedBy", o.resolved_by}};
}

nlohmann::ordered_json IncidentListToJson(const std::vector<IncidentSummary>& incidents) {
  auto list = nlohmann::ordered_json::array();
  for (const auto& s : incidents) list.push_back(IncidentSummaryToJson(s));
  return nlohmann::ordered_json{{"incidents", std::move(list)}};
}

nlohmann::ordered_json IncidentDetailsToJson(const IncidentDetail& d) {
  auto procedure = nlohmann::ordered_json::array();
  for (const auto& p : d.procedure) {
    procedure.push_back({{"step", p.step.id},
                         {"text", p.step.text},
                         {"mandatory", p.step.mandatory},
                         {"phrase", p.step.phrase},
                         {"done", p.done},
                         {"doneBy", p.by},
                         {"doneAt", p.at}});
  }
  auto history = nlohmann::ordered_json::array();
  for (const auto& h : d.history) {
    history.push_back({{"at", h.at},
                       {"type", h.type},
                       {"actor", h.actor},
                       {"text", h.text},
                       {"version", h.version}});
  }
  return nlohmann::ordered_json{{"summary", IncidentSummaryToJson(d.summary)},
                                {"procedure", std::move(procedure)},
                                {"history", std::move(history)},
                                {"nextStepAt", d.next_step_at},
                                {"ackDeadline", d.ack_deadline},
                                {"cancelWindowUntil", d.cancel_window_until},
                                {"resolvedAt", d.resolved_at},
                                {"resolvedBy", d.resolved_by},
                                {"overrideReason", d.override_reason},
                                {"note", d.note}};
}

std::string FormatDutyTable(const std::vector<escalation::DutyEntry>& on_duty, Micros now) {
  if (on_duty.empty()) return "nobody is on duty\n";
  std::vector<std::vector<std::string>> rows = {{"POST", "ROLE", "PERSON", "SINCE", "LEADS"}};
  for (const auto& e : on_duty)
    rows.push_back({e.duty.post, e.duty.role, e.duty.person, FormatWhen(e.duty.since, now),
                    e.leads_post ? "yes" : "-"});
  return Columns(rows);
}

nlohmann::ordered_json DutyListToJson(const std::vector<escalation::DutyEntry>& on_duty) {
  auto list = nlohmann::ordered_json::array();
  for (const auto& e : on_duty)
    list.push_back({{"person", e.duty.person},
                    {"post", e.duty.post},
                    {"role", e.duty.role},
                    {"since", e.duty.since},
                    {"leadsPost", e.leads_post}});
  return nlohmann::ordered_json{{"onDuty", std::move(list)}};
}

}  // namespace picket
