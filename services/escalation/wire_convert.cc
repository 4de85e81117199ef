#include "escalation/wire_convert.h"

#include <capnp/dynamic.h>
#include <capnp/message.h>
#include <capnp/schema.h>

#include <algorithm>

#include "runtime/typed_commands.h"
#include "wire/codec.h"
#include "wire/enum_names.h"
#include "wire/event_rules.h"

namespace picket::escalation {
namespace {

std::string Text(capnp::Text::Reader t) { return std::string(t.cStr(), t.size()); }

void SetList(capnp::List<capnp::Text>::Builder list, const std::vector<std::string>& values) {
  for (size_t i = 0; i < values.size(); ++i) list.set(static_cast<unsigned>(i), values[i]);
}

// The core's enums and the schema's have the same numbers (ToWire and FromWire are
// casts); wire_convert_test also checks every enumerant's name, both ways.
template <typename W, typename C>
constexpr bool Same(W wire_value, C core_value) {
  return static_cast<uint16_t>(wire_value) == static_cast<uint16_t>(core_value);
}
using E = wire::EscalationError;
static_assert(Same(wire::Severity::LOW, Severity::kLow) &&
              Same(wire::Severity::MEDIUM, Severity::kMedium) &&
              Same(wire::Severity::HIGH, Severity::kHigh) &&
              Same(wire::Severity::CRITICAL, Severity::kCritical));
static_assert(Same(wire::IncidentState::PENDING, IncidentState::kPending) &&
              Same(wire::IncidentState::OPEN, IncidentState::kOpen) &&
              Same(wire::IncidentState::ACKNOWLEDGED, IncidentState::kAcknowledged) &&
              Same(wire::IncidentState::RESOLVED, IncidentState::kResolved) &&
              Same(wire::IncidentState::CANCELLED, IncidentState::kCancelled));
static_assert(Same(E::NONE, CommandError::kNone) &&
              Same(E::UNKNOWN_INCIDENT, CommandError::kUnknownIncident) &&
              Same(E::ALREADY_RESOLVED, CommandError::kAlreadyResolved) &&
              Same(E::ALREADY_ACKNOWLEDGED, CommandError::kAlreadyAcknowledged) &&
              Same(E::NOT_ACKNOWLEDGED, CommandError::kNotAcknowledged) &&
              Same(E::UNKNOWN_STEP, CommandError::kUnknownStep) &&
              Same(E::STEP_ALREADY_DONE, CommandError::kStepAlreadyDone) &&
              Same(E::MANDATORY_STEPS, CommandError::kMandatoryStepsMissing) &&
              Same(E::CANCEL_WINDOW_PASSED, CommandError::kCancelWindowPassed) &&
              Same(E::CANCELLED, CommandError::kCancelled) &&
              Same(E::INVALID_ARGUMENT, CommandError::kInvalidArgument) &&
              Same(E::WRONG_STATE, CommandError::kWrongState) &&
              Same(E::UNAUTHORIZED, CommandError::kUnauthorized));

wire::Severity ToWire(Severity s) { return static_cast<wire::Severity>(static_cast<uint16_t>(s)); }
wire::IncidentState ToWire(IncidentState s) {
  return static_cast<wire::IncidentState>(static_cast<uint16_t>(s));
}
wire::EscalationError ToWire(CommandError e) {
  return static_cast<wire::EscalationError>(static_cast<uint16_t>(e));
}

// A wire enum's number as the core's one-byte enum: kept as it is, known or not (a newer
// service's value), but for numbers above 255, which become 255.
template <typename CoreEnum, typename WireEnum>
CoreEnum FromWire(WireEnum w) {
  return static_cast<CoreEnum>(std::min<uint16_t>(static_cast<uint16_t>(w), 255));
}

// One body field as text, or nullopt for kinds that are not simple values.
std::optional<std::string> FieldText(const capnp::DynamicValue::Reader& v) {
  switch (v.getType()) {
    case capnp::DynamicValue::TEXT:
      return Text(v.as<capnp::Text>());
    case capnp::DynamicValue::BOOL:
      return v.as<bool>() ? "true" : "false";
    case capnp::DynamicValue::INT:
      return std::to_string(v.as<int64_t>());
    case capnp::DynamicValue::UINT:
      return std::to_string(v.as<uint64_t>());
    case capnp::DynamicValue::ENUM: {
      auto e = v.as<capnp::DynamicEnum>();
      KJ_IF_MAYBE (enumerant, e.getEnumerant()) {
        return std::string(enumerant->getProto().getName().cStr());
      }
      return std::to_string(e.getRaw());
    }
    default:
      return std::nullopt;
  }
}

template <typename B>
void Common(B b, const OutgoingEvent& out) {
  b.setIncident(out.incident);
  b.setVersion(out.version);
}

}  // namespace

std::string SnakeCase(std::string_view camel) {
  std::string out;
  for (char c : camel) {
    if (c >= 'A' && c <= 'Z') {
      out.push_back('_');
      out.push_back(static_cast<char>(c - 'A' + 'a'));
    } else {
      out.push_back(c);
    }
  }
  return out;
}

RecordedEvent ToRecordedEvent(wire::Event::Reader event) {
  RecordedEvent r;
  r.seq = event.getSeq();
  r.type = Text(event.getType());
  r.producer = Text(event.getProducer());
  r.actor = Text(event.getActor());
  r.observed_at = event.getObservedAt();
  r.recorded_at = event.getRecordedAt();
  if (auto schema = BodySchemaFor(r.type); schema && event.getBody().isStruct()) {
    auto body = event.getBody().getAs<capnp::DynamicStruct>(*schema);
    for (auto field : schema->getFields()) {
      if (auto text = FieldText(body.get(field)))
        r.fields[SnakeCase(field.getProto().getName().cStr())] = *text;
    }
  }
  r.fields["actor"] = r.actor;
  r.fields["producer"] = r.producer;
  return r;
}

void FillEvent(wire::Event::Builder event, const OutgoingEvent& out) {
  event.setType(std::string(out.type()));
  event.setActor(out.actor);
  event.setObservedAt(out.at);
  auto body = event.getBody();
  std::visit(
      [&](const auto& b) {
        using T = std::decay_t<decltype(b)>;
        if constexpr (std::is_same_v<T, IncidentOpened>) {
          auto w = body.initAs<wire::IncidentOpened>();
          Common(w, out);
          w.setIncidentType(b.incident_type);
          w.setSeverity(ToWire(b.severity));
          w.setGroupKey(b.group_key);
          w.setPost(b.post);
          w.setPolicy(b.policy);
          w.setTriggerType(b.trigger_type);
          w.setTriggerSeq(b.trigger_seq);
          w.setReportedBy(b.reported_by);
          w.setCancelWindowUntil(b.cancel_window_until);
          auto fields = w.initTriggerFields(static_cast<unsigned>(b.trigger_fields.size()));
          for (size_t i = 0; i < b.trigger_fields.size(); ++i) {
            fields[static_cast<unsigned>(i)].setName(b.trigger_fields[i].first);
            fields[static_cast<unsigned>(i)].setValue(b.trigger_fields[i].second);
          }
        } else if constexpr (std::is_same_v<T, IncidentGrouped>) {
          auto w = body.initAs<wire::IncidentGrouped>();
          Common(w, out);
          w.setCount(b.count);
          w.setTriggerType(b.trigger_type);
          w.setTriggerSeq(b.trigger_seq);
        } else if constexpr (std::is_same_v<T, AlertRaised>) {
          auto w = body.initAs<wire::AlertRaised>();
          Common(w, out);
          w.setPerson(b.person);
          w.setLevel(b.level);
          w.setPass(b.pass);
          w.setFallback(b.fallback);
          w.setTarget(b.target);
          w.setReason(b.reason);
          w.setLateness(b.lateness);
          w.setRespondBy(b.respond_by);
          w.setIncidentType(b.incident_type);
          w.setPost(b.post);
          w.setSeverity(ToWire(b.severity));
          w.setNote(b.note);
        } else if constexpr (std::is_same_v<T, IncidentEscalated>) {
          auto w = body.initAs<wire::IncidentEscalated>();
          Common(w, out);
          w.setFromLevel(b.from_level);
          w.setToLevel(b.to_level);
          w.setPass(b.pass);
          w.setToFallback(b.to_fallback);
          w.setReason(b.reason);
          w.setLateness(b.lateness);
        } else if constexpr (std::is_same_v<T, LevelUnstaffed>) {
          auto w = body.initAs<wire::LevelUnstaffed>();
          Common(w, out);
          w.setLevel(b.level);
          SetList(w.initTargets(static_cast<unsigned>(b.targets.size())), b.targets);
        } else if constexpr (std::is_same_v<T, IncidentAcknowledged>) {
          auto w = body.initAs<wire::IncidentAcknowledged>();
          Common(w, out);
          w.setLevel(b.level);
          w.setResponseTime(b.response_time);
          w.setAckDeadline(b.ack_deadline);
        } else if constexpr (std::is_same_v<T, IncidentUnacknowledged>) {
          auto w = body.initAs<wire::IncidentUnacknowledged>();
          Common(w, out);
          w.setTimedOut(b.timed_out);
          w.setLateness(b.lateness);
        } else if constexpr (std::is_same_v<T, StepDone>) {
          auto w = body.initAs<wire::StepDone>();
          Common(w, out);
          w.setStep(b.step);
          w.setText(b.text);
          w.setMandatory(b.mandatory);
        } else if constexpr (std::is_same_v<T, NoteAdded>) {
          auto w = body.initAs<wire::NoteAdded>();
          Common(w, out);
          w.setText(b.text);
        } else if constexpr (std::is_same_v<T, IncidentResolved>) {
          auto w = body.initAs<wire::IncidentResolved>();
          Common(w, out);
          w.setOverrideReason(b.override_reason);
          SetList(w.initMissingSteps(static_cast<unsigned>(b.missing_steps.size())),
                  b.missing_steps);
          w.setOpenFor(b.open_for);
        } else if constexpr (std::is_same_v<T, IncidentReopened>) {
          auto w = body.initAs<wire::IncidentReopened>();
          Common(w, out);
          w.setCount(b.count);
          w.setTriggerType(b.trigger_type);
          w.setTriggerSeq(b.trigger_seq);
          w.setResolvedAt(b.resolved_at);
        } else if constexpr (std::is_same_v<T, IncidentSilenced>) {
          auto w = body.initAs<wire::IncidentSilenced>();
          Common(w, out);
          w.setUntil(b.until);
          w.setReason(b.reason);
        } else if constexpr (std::is_same_v<T, SilenceEnded>) {
          auto w = body.initAs<wire::SilenceEnded>();
          Common(w, out);
          w.setLateness(b.lateness);
        } else if constexpr (std::is_same_v<T, IncidentReassigned>) {
          auto w = body.initAs<wire::IncidentReassigned>();
          Common(w, out);
          w.setTo(b.to);
          w.setPrevious(b.previous);
          w.setReason(b.reason);
          w.setDroppedAckBy(b.dropped_ack_by);
        } else if constexpr (std::is_same_v<T, IncidentCancelled>) {
          auto w = body.initAs<wire::IncidentCancelled>();
          Common(w, out);
        } else {
          static_assert(sizeof(T) == 0, "every event body needs a wire form");
        }
      },
      out.body);
}

CommandAccess AccessOf(wire::EscalationRequest::Reader request) {
  if (IsQuery(request)) return {Role::kOfficer, ""};
  return {Role::kOfficer, request.getActor().cStr()};
}

bool IsQuery(wire::EscalationRequest::Reader request) {
  return request.isListOpen() || request.isGetIncident() || request.isListOnDuty() ||
         request.isListIncidents();
}

std::optional<Command> ToCommand(wire::EscalationRequest::Reader request,
                                 wire::EscalationError* error_code, std::string* message) {
  auto refuse = [&](wire::EscalationError code, std::string text) -> std::optional<Command> {
    *error_code = code;
    *message = std::move(text);
    return std::nullopt;
  };
  Command c;
  c.actor = Text(request.getActor());
  if (c.actor.empty() && !IsQuery(request))
    return refuse(wire::EscalationError::INVALID_ARGUMENT, "actor is empty");
  if (c.actor.size() > kMaxActorBytes)
    return refuse(wire::EscalationError::INVALID_ARGUMENT,
                  "actor is longer than " + std::to_string(kMaxActorBytes) + " bytes");
  if (request.hasCommandId() && request.getCommandId().size() != 16)
    return refuse(
        wire::EscalationError::INVALID_ARGUMENT,
        "commandId must be 16 bytes, got " + std::to_string(request.getCommandId().size()));
  switch (request.which()) {
    case wire::EscalationRequest::ACKNOWLEDGE:
      c.body = Acknowledge{request.getAcknowledge().getIncident()};
      break;
    case wire::EscalationRequest::UNACKNOWLEDGE:
      c.body = Unacknowledge{request.getUnacknowledge().getIncident()};
      break;
    case wire::EscalationRequest::MARK_STEP_DONE: {
      auto r = request.getMarkStepDone();
      c.body = MarkStepDone{r.getIncident(), Text(r.getStep())};
      break;
    }
    case wire::EscalationRequest::ADD_NOTE: {
      auto r = request.getAddNote();
      c.body = AddNote{r.getIncident(), Text(r.getText())};
      break;
    }
    case wire::EscalationRequest::RESOLVE: {
      auto r = request.getResolve();
      c.body = Resolve{r.getIncident(), Text(r.getOverrideReason())};
      break;
    }
    case wire::EscalationRequest::REASSIGN: {
      auto r = request.getReassign();
      c.body = Reassign{r.getIncident(), Text(r.getTo()), Text(r.getReason())};
      break;
    }
    case wire::EscalationRequest::SILENCE: {
      auto r = request.getSilence();
      c.body = Silence{r.getIncident(), r.getDuration(), Text(r.getReason())};
      break;
    }
    case wire::EscalationRequest::CANCEL:
      c.body = CancelIncident{request.getCancel().getIncident()};
      break;
    case wire::EscalationRequest::LIST_OPEN:
      c.body = ListOpen{};
      break;
    case wire::EscalationRequest::GET_INCIDENT:
      c.body = GetIncident{request.getGetIncident().getIncident()};
      break;
    case wire::EscalationRequest::LIST_ON_DUTY:
      c.body = ListOnDuty{};
      break;
    case wire::EscalationRequest::LIST_INCIDENTS: {
      auto r = request.getListIncidents();
      c.body = ListIncidents{r.getFrom(), r.getTo(), Text(r.getPost())};
      break;
    }
    default:
      return refuse(wire::EscalationError::MALFORMED,
                    "unknown request (a newer client?): union member " +
                        std::to_string(static_cast<unsigned>(request.which())));
  }
  return c;
}

namespace {
void FillSummary(wire::IncidentSummary::Builder w, const IncidentSummary& s) {
  w.setIncident(s.id);
  w.setVersion(s.version);
  w.setIncidentType(s.type);
  w.setSeverity(ToWire(s.severity));
  w.setState(ToWire(s.state));
  w.setPost(s.post);
  w.setGroupKey(s.group_key);
  w.setCount(s.count);
  w.setOpenedAt(s.opened_at);
  w.setLevel(s.level);
  w.setAcknowledgedBy(s.acknowledged_by);
  w.setAssignee(s.assignee);
  w.setSilencedUntil(s.silenced_until);
  w.setFirstOpenedAt(s.first_opened_at);
  w.setAcknowledgedAt(s.acknowledged_at);
  w.setResolvedAt(s.resolved_at);
  w.setResolvedBy(s.resolved_by);
}
}  // namespace

std::string EncodeReply(const Reply& reply) {
  capnp::MallocMessageBuilder b;
  auto w = b.initRoot<wire::EscalationReply>();
  w.setError(ToWire(reply.error));
  w.setMessage(reply.message);
  w.setIncident(reply.incident);
  w.setVersion(reply.version);
  w.setUnpublished(reply.unpublished);
  w.setTruncated(reply.truncated);
  SetList(w.initMissingSteps(static_cast<unsigned>(reply.missing_steps.size())),
          reply.missing_steps);
  auto list = w.initIncidents(static_cast<unsigned>(reply.incidents.size()));
  for (size_t i = 0; i < reply.incidents.size(); ++i)
    FillSummary(list[static_cast<unsigned>(i)], reply.incidents[i]);
  if (!reply.on_duty.empty()) {
    auto duty = w.initOnDuty(static_cast<unsigned>(reply.on_duty.size()));
    for (size_t i = 0; i < reply.on_duty.size(); ++i) {
      auto e = duty[static_cast<unsigned>(i)];
      const DutyEntry& d = reply.on_duty[i];
      e.setPerson(d.duty.person);
      e.setPost(d.duty.post);
      e.setRole(d.duty.role);
      e.setSince(d.duty.since);
      e.setLeadsPost(d.leads_post);
    }
  }
  if (reply.detail) {
    const IncidentDetail& d = *reply.detail;
    auto dw = w.initDetail();
    FillSummary(dw.initSummary(), d.summary);
    auto steps = dw.initProcedure(static_cast<unsigned>(d.procedure.size()));
    for (size_t i = 0; i < d.procedure.size(); ++i) {
      auto s = steps[static_cast<unsigned>(i)];
      const StepStatus& st = d.procedure[i];
      s.setStep(st.step.id);
      s.setText(st.step.text);
      s.setMandatory(st.step.mandatory);
      s.setPhrase(st.step.phrase);
      s.setDone(st.done);
      s.setDoneBy(st.by);
      s.setDoneAt(st.at);
    }
    auto history = dw.initHistory(static_cast<unsigned>(d.history.size()));
    for (size_t i = 0; i < d.history.size(); ++i) {
      auto h = history[static_cast<unsigned>(i)];
      h.setAt(d.history[i].at);
      h.setType(d.history[i].type);
      h.setActor(d.history[i].actor);
      h.setText(d.history[i].text);
      h.setVersion(d.history[i].version);
    }
    dw.setNextStepAt(d.next_step_at);
    dw.setAckDeadline(d.ack_deadline);
    dw.setCancelWindowUntil(d.cancel_window_until);
    dw.setResolvedAt(d.resolved_at);
    dw.setResolvedBy(d.resolved_by);
    dw.setOverrideReason(d.override_reason);
    dw.setNote(d.note);
  }
  return Encode(b);
}

std::string MarkUnpublished(const std::string& frame) {
  return MarkReplyUnpublished<wire::EscalationReply>(frame);
}

std::string EncodeError(wire::EscalationError code, std::string_view message) {
  capnp::MallocMessageBuilder b;
  auto w = b.initRoot<wire::EscalationReply>();
  w.setError(code);
  w.setMessage(std::string(message));
  return Encode(b);
}

namespace {

IncidentSummary ReadSummary(wire::IncidentSummary::Reader w) {
  IncidentSummary s;
  s.id = w.getIncident();
  s.version = w.getVersion();
  s.type = Text(w.getIncidentType());
  s.severity = FromWire<Severity>(w.getSeverity());
  s.state = FromWire<IncidentState>(w.getState());
  s.post = Text(w.getPost());
  s.group_key = Text(w.getGroupKey());
  s.count = w.getCount();
  s.opened_at = w.getOpenedAt();
  s.level = w.getLevel();
  s.acknowledged_by = Text(w.getAcknowledgedBy());
  s.assignee = Text(w.getAssignee());
  s.silenced_until = w.getSilencedUntil();
  s.first_opened_at = w.getFirstOpenedAt();
  s.acknowledged_at = w.getAcknowledgedAt();
  s.resolved_at = w.getResolvedAt();
  s.resolved_by = Text(w.getResolvedBy());
  return s;
}

IncidentDetail ReadDetail(wire::IncidentDetail::Reader w) {
  IncidentDetail d;
  d.summary = ReadSummary(w.getSummary());
  for (auto p : w.getProcedure()) {
    d.procedure.push_back(StepStatus{
        ProcedureStep{Text(p.getStep()), Text(p.getText()), p.getMandatory(), Text(p.getPhrase())},
        p.getDone(), Text(p.getDoneBy()), p.getDoneAt()});
  }
  for (auto h : w.getHistory()) {
    d.history.push_back(HistoryEntry{h.getAt(), Text(h.getType()), Text(h.getActor()),
                                     Text(h.getText()), h.getVersion()});
  }
  d.next_step_at = w.getNextStepAt();
  d.ack_deadline = w.getAckDeadline();
  d.cancel_window_until = w.getCancelWindowUntil();
  d.resolved_at = w.getResolvedAt();
  d.resolved_by = Text(w.getResolvedBy());
  d.override_reason = Text(w.getOverrideReason());
  d.note = Text(w.getNote());
  return d;
}

}  // namespace

std::optional<Reply> DecodeReply(std::string_view frame, std::string* error) {
  std::string why;
  auto msg = DecodedMessage::Decode(frame, &why);
  if (!msg) {
    *error = "unreadable reply: " + why;
    return std::nullopt;
  }
  Reply reply;
  bool ok = ReadSafely<wire::EscalationReply>(
      *msg,
      [&](wire::EscalationReply::Reader r) {
        reply.error = FromWire<CommandError>(r.getError());
        reply.message = Text(r.getMessage());
        reply.incident = r.getIncident();
        reply.version = r.getVersion();
        reply.unpublished = r.getUnpublished();
        reply.truncated = r.getTruncated();
        for (auto s : r.getMissingSteps()) reply.missing_steps.push_back(Text(s));
        for (auto s : r.getIncidents()) reply.incidents.push_back(ReadSummary(s));
        if (r.hasDetail()) reply.detail = ReadDetail(r.getDetail());
        for (auto e : r.getOnDuty())
          reply.on_duty.push_back(
              {{Text(e.getPerson()), Text(e.getPost()), Text(e.getRole()), e.getSince()},
               e.getLeadsPost()});
      },
      &why);
  if (!ok) {
    *error = "unreadable reply: " + why;
    return std::nullopt;
  }
  return reply;
}

// The core names what it knows; the schema the rest (its `unknown` @0, which is never
// sent), and "unknown(N)" what neither knows.
std::string SchemaName(Severity severity) {
  if (std::string_view name = SeverityName(severity); ParseSeverity(name) == severity)
    return std::string(name);
  return wire::SchemaEnumerantName<wire::Severity>(static_cast<uint16_t>(severity));
}

std::string SchemaName(IncidentState state) {
  if (std::string_view name = StateName(state); ParseState(name) == state) return std::string(name);
  return wire::SchemaEnumerantName<wire::IncidentState>(static_cast<uint16_t>(state));
}

std::string SchemaName(CommandError error) {
  return wire::SchemaEnumerantName<wire::EscalationError>(static_cast<uint16_t>(error));
}

}  // namespace picket::escalation
