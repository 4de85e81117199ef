#include "picketctl/incident_reply.h"

#include <capnp/schema.h>

#include "picket/schemas/escalation.capnp.h"
#include "wire/codec.h"

namespace picket {
namespace {

// The schema's name for an enum value, so that the CLI and the schema never disagree.
template <typename E>
std::string EnumName(E value) {
  auto number = static_cast<uint16_t>(value);
  auto enumerants = capnp::Schema::from<E>().getEnumerants();
  if (number < enumerants.size()) return enumerants[number].getProto().getName().cStr();
  return "unknown(" + std::to_string(number) + ")";
}

std::string Str(capnp::Text::Reader text) { return std::string(text.cStr(), text.size()); }

IncidentOverview ReadSummary(wire::IncidentSummary::Reader s) {
  IncidentOverview o;
  o.incident = s.getIncident();
  o.version = s.getVersion();
  o.incident_type = Str(s.getIncidentType());
  o.severity = EnumName(s.getSeverity());
  o.state = EnumName(s.getState());
  o.post = Str(s.getPost());
  o.group_key = Str(s.getGroupKey());
  o.count = s.getCount();
  o.opened_at = s.getOpenedAt();
  o.level = s.getLevel();
  o.acknowledged_by = Str(s.getAcknowledgedBy());
  o.assignee = Str(s.getAssignee());
  o.silenced_until = s.getSilencedUntil();
  return o;
}

IncidentDetails ReadDetail(wire::IncidentDetail::Reader d) {
  IncidentDetails out;
  out.summary = ReadSummary(d.getSummary());
  for (auto p : d.getProcedure()) {
    out.procedure.push_back(ProcedureStepState{Str(p.getStep()), Str(p.getText()),
                                               Str(p.getPhrase()), p.getMandatory(), p.getDone(),
                                               Str(p.getDoneBy()), p.getDoneAt()});
  }
  for (auto h : d.getHistory()) {
    out.history.push_back(HistoryEntry{h.getAt(), Str(h.getType()), Str(h.getActor()),
                                       Str(h.getText()), h.getVersion()});
  }
  out.next_step_at = d.getNextStepAt();
  out.ack_deadline = d.getAckDeadline();
  out.cancel_window_until = d.getCancelWindowUntil();
  out.resolved_at = d.getResolvedAt();
  out.resolved_by = Str(d.getResolvedBy());
  out.override_reason = Str(d.getOverrideReason());
  return out;
}

}  // namespace

std::optional<EscalationAnswer> ParseEscalationReply(std::string_view frame, std::string* error) {
  std::string why;
  auto msg = DecodedMessage::Decode(frame, &why);
  if (!msg) {
    *error = "unreadable reply: " + why;
    return std::nullopt;
  }
  EscalationAnswer a;
  bool ok = ReadSafely<wire::EscalationReply>(
      *msg,
      [&](wire::EscalationReply::Reader r) {
        a.error = EnumName(r.getError());
        a.message = Str(r.getMessage());
        a.incident = r.getIncident();
        a.version = r.getVersion();
        for (auto s : r.getMissingSteps()) a.missing_steps.push_back(Str(s));
        for (auto s : r.getIncidents()) a.incidents.push_back(ReadSummary(s));
        if (r.hasDetail()) a.detail = ReadDetail(r.getDetail());
      },
      &why);
  if (!ok) {
    *error = "unreadable reply: " + why;
    return std::nullopt;
  }
  return a;
}

}  // namespace picket
