#include "patrol/wire_convert.h"

#include <capnp/message.h>

#include "base/overloaded.h"
#include "domain/site_time.h"
#include "wire/codec.h"

namespace picket::patrol {
namespace {

std::string Text(capnp::Text::Reader t) { return std::string(t.cStr(), t.size()); }

void SetList(capnp::List<capnp::Text>::Builder list, const std::vector<std::string>& values) {
  for (size_t i = 0; i < values.size(); ++i) list.set(static_cast<unsigned>(i), values[i]);
}

template <typename W, typename C>
constexpr bool Same(W wire_value, C core_value) {
  return static_cast<uint16_t>(wire_value) == static_cast<uint16_t>(core_value);
}
using E = wire::PatrolError;
static_assert(Same(E::NONE, CommandError::kNone) &&
              Same(E::INVALID_ARGUMENT, CommandError::kInvalidArgument) &&
              Same(E::UNKNOWN_ROUND, CommandError::kUnknownRound) &&
              Same(E::UNKNOWN_CHECKPOINT, CommandError::kUnknownCheckpoint) &&
              Same(E::WRONG_STATE, CommandError::kWrongState));

void FillRound(wire::RoundInfo::Builder w, const Round& r) {
  w.setRound(r.id);
  w.setRoute(r.route);
  w.setPost(r.post);
  w.setSchedule(r.schedule);
  w.setAssigned(r.assigned);
  w.setDue(r.due);
  w.setStatus(std::string(RoundStatusName(r.status)));
  w.setGuard(r.guard);
  w.setStartedAt(r.started_at);
  w.setEndedAt(r.ended_at);
  w.setStartedLate(r.started_late);
  w.setLateReported(r.late_reported);
  w.setEndedEarly(r.ended_early);
  w.setExtension(r.extension);
  auto list = w.initCheckpoints(static_cast<unsigned>(r.checkpoints.size()));
  for (size_t i = 0; i < r.checkpoints.size(); ++i) {
    const CheckpointVerdict& v = r.checkpoints[i];
    auto c = list[static_cast<unsigned>(i)];
    c.setTag(v.tag);
    c.setState(std::string(CheckpointStateName(v.state)));
    c.setScannedAt(v.scanned_at);
    c.setDeadline(v.deadline);
    c.setWithdrawn(v.withdrawn);
  }
}

void FillCompletion(wire::CompletionInfo::Builder w, const Completion& c) {
  w.setSubject(c.subject);
  w.setRounds(c.rounds);
  w.setCompleted(c.completed);
  w.setNotStarted(c.not_started);
  w.setLate(c.late);
  w.setCheckpointsOnTime(c.checkpoints_on_time);
  w.setCheckpointsLate(c.checkpoints_late);
  w.setCheckpointsMissed(c.checkpoints_missed);
  w.setCheckpointsExcused(c.checkpoints_excused);
  w.setPermille(c.permille());
}

}  // namespace

std::optional<FactSource> ToFactSource(wire::Event::Reader event, std::string* why) {
  FactSource s;
  s.terminal = Text(event.getProducer());
  s.guard = Text(event.getActor());
  s.recorded = event.getRecordedAt();
  s.at = event.getObservedAt() != 0 ? event.getObservedAt() : s.recorded;
  if (s.guard.empty()) {
    *why = "no actor: a patrol fact must name the guard";
    return std::nullopt;
  }
  if (!TimeInRange(s.at) || !TimeInRange(s.recorded)) {
    *why = "observedAt " + std::to_string(s.at) + " is not a time after 1970 and before 10000";
    return std::nullopt;
  }
  return s;
}

std::optional<RoundStart> ToRoundStart(wire::Event::Reader event, wire::PatrolStart::Reader body,
                                       std::string* why) {
  auto source = ToFactSource(event, why);
  if (!source) return std::nullopt;
  RoundStart s{Text(body.getPost()), Text(body.getRoute()), *std::move(source), 0};
  // The order of a random route is drawn from the event's chain hash: the hash of the
  // event before it, which no guard knows before pressing "start" (docs/patrol.md).
  auto hash = event.getPrevHash();
  for (size_t i = 0; i < hash.size() && i < 8; ++i) s.entropy = (s.entropy << 8) | hash[i];
  if (s.entropy == 0) s.entropy = event.getSeq();
  return s;
}

std::optional<CheckpointScan> ToCheckpointScan(wire::Event::Reader event,
                                               wire::CheckpointScanned::Reader body,
                                               std::string* why) {
  auto source = ToFactSource(event, why);
  if (!source) return std::nullopt;
  return CheckpointScan{Text(body.getPost()), Text(body.getTag()), *std::move(source)};
}

std::optional<RoundEnd> ToRoundEnd(wire::Event::Reader event, wire::PatrolEnd::Reader body,
                                   std::string* why) {
  auto source = ToFactSource(event, why);
  if (!source) return std::nullopt;
  return RoundEnd{Text(body.getPost()), *std::move(source)};
}

void FillEvent(wire::Event::Builder event, const OutgoingEvent& out) {
  event.setType(std::string(out.type()));
  event.setActor(out.actor);
  event.setObservedAt(out.at);
  auto body = event.getBody();
  std::visit(Overloaded{
                 [&](const RoundScheduled& e) {
                   auto w = body.initAs<wire::RoundScheduled>();
                   w.setRound(e.round);
                   w.setRoute(e.route);
                   w.setPost(e.post);
                   w.setSchedule(e.schedule);
                   w.setGuard(e.guard);
                   w.setDue(e.due);
                 },
                 [&](const RoundStarted& e) {
                   auto w = body.initAs<wire::RoundStarted>();
                   w.setRound(e.round);
                   w.setRoute(e.route);
                   w.setPost(e.post);
                   w.setGuard(e.guard);
                   w.setDue(e.due);
                   w.setLate(e.late);
                   SetList(w.initOrder(static_cast<unsigned>(e.order.size())), e.order);
                   w.setRouteOrder(std::string(RouteOrderName(e.route_order)));
                 },
                 [&](const RoundRefused& e) {
                   auto w = body.initAs<wire::RoundRefused>();
                   w.setRoute(e.route);
                   w.setPost(e.post);
                   w.setGuard(e.guard);
                   w.setReason(std::string(StartRefusalName(e.reason)));
                 },
                 [&](const CheckpointAccepted& e) {
                   auto w = body.initAs<wire::CheckpointAccepted>();
                   w.setRound(e.round);
                   w.setRoute(e.route);
                   w.setPost(e.post);
                   w.setGuard(e.guard);
                   w.setCheckpoint(e.checkpoint);
                   w.setPosition(e.position);
                   w.setOnTime(e.on_time);
                   w.setLeg(e.leg);
                 },
                 [&](const CheckpointRejected& e) {
                   auto w = body.initAs<wire::CheckpointRejected>();
                   w.setRound(e.round);
                   w.setRoute(e.route);
                   w.setPost(e.post);
                   w.setGuard(e.guard);
                   w.setCheckpoint(e.checkpoint);
                   w.setReason(std::string(RejectReasonName(e.reason)));
                   w.setExpected(e.expected);
                   w.setWait(e.wait);
                 },
                 [&](const CheckpointMissed& e) {
                   auto w = body.initAs<wire::CheckpointMissed>();
                   w.setPost(e.post);
                   w.setRoute(e.route);
                   w.setRound(e.round);
                   w.setCheckpoint(e.checkpoint);
                   w.setGuard(e.guard);
                   w.setDeadline(e.deadline);
                   w.setLateness(e.lateness);
                   w.setRoundEnded(e.round_ended);
                 },
                 [&](const MissedReviewed& e) {
                   auto w = body.initAs<wire::MissedReviewed>();
                   w.setPost(e.post);
                   w.setRoute(e.route);
                   w.setRound(e.round);
                   w.setCheckpoint(e.checkpoint);
                   w.setGuard(e.guard);
                   w.setMissedDeadline(e.missed_deadline);
                   w.setDeadline(e.deadline);
                   w.setScannedAt(e.scanned_at);
                   w.setOnTime(e.on_time);
                 },
                 [&](const RoundNotStarted& e) {
                   auto w = body.initAs<wire::RoundNotStarted>();
                   w.setPost(e.post);
                   w.setRoute(e.route);
                   w.setRound(e.round);
                   w.setGuard(e.guard);
                   w.setDue(e.due);
                   w.setDeadline(e.deadline);
                   w.setLateness(e.lateness);
                 },
                 [&](const RoundLate& e) {
                   auto w = body.initAs<wire::RoundLate>();
                   w.setPost(e.post);
                   w.setRoute(e.route);
                   w.setRound(e.round);
                   w.setGuard(e.guard);
                   w.setDeadline(e.deadline);
                   w.setLateness(e.lateness);
                   w.setPending(e.pending);
                 },
                 [&](const RoundCompleted& e) {
                   auto w = body.initAs<wire::RoundCompleted>();
                   w.setPost(e.post);
                   w.setRoute(e.route);
                   w.setRound(e.round);
                   w.setGuard(e.guard);
                   w.setOnTime(e.on_time);
                   w.setLate(e.late);
                   w.setMissed(e.missed);
                   w.setExcused(e.excused);
                   w.setTotal(e.total);
                   w.setEndedEarly(e.ended_early);
                   w.setScheduled(e.scheduled);
                 },
                 [&](const DeadlineExtended& e) {
                   auto w = body.initAs<wire::DeadlineExtended>();
                   w.setRound(e.round);
                   w.setRoute(e.route);
                   w.setPost(e.post);
                   w.setReason(e.reason);
                   w.setBy(e.by);
                   w.setExtension(e.extension);
                 },
                 [&](const CheckpointExcused& e) {
                   auto w = body.initAs<wire::CheckpointExcused>();
                   w.setRound(e.round);
                   w.setRoute(e.route);
                   w.setPost(e.post);
                   w.setCheckpoint(e.checkpoint);
                   w.setReason(e.reason);
                   w.setGuard(e.guard);
                 },
                 [&](const RoundCancelled& e) {
                   auto w = body.initAs<wire::RoundCancelled>();
                   w.setRound(e.round);
                   w.setRoute(e.route);
                   w.setPost(e.post);
                   w.setReason(e.reason);
                   w.setWas(std::string(RoundStatusName(e.was)));
                 },
                 [&](const ClockSkew& e) {
                   auto w = body.initAs<wire::ClockSkew>();
                   w.setTerminal(e.terminal);
                   w.setPost(e.post);
                   w.setOffset(e.offset);
                   w.setSamples(e.samples);
                 },
             },
             out.body);
}

CommandAccess AccessOf(wire::PatrolRequest::Reader request) {
  if (IsQuery(request)) return {Role::kOfficer, ""};
  return {Role::kSupervisor, request.getActor().cStr()};
}

bool IsQuery(wire::PatrolRequest::Reader request) {
  switch (request.which()) {
    case wire::PatrolRequest::LIST_ROUNDS:
    case wire::PatrolRequest::GET_ROUND:
    case wire::PatrolRequest::CURRENT_ROUNDS:
    case wire::PatrolRequest::GET_COMPLETION:
      return true;
    default:
      return false;
  }
}

std::optional<Command> ToCommand(wire::PatrolRequest::Reader request, wire::PatrolError* code,
                                 std::string* message) {
  Command c;
  c.actor = Text(request.getActor());
  switch (request.which()) {
    case wire::PatrolRequest::EXTEND_DEADLINE: {
      auto r = request.getExtendDeadline();
      c.body = ExtendDeadline{r.getRound(), r.getBy(), Text(r.getReason())};
      break;
    }
    case wire::PatrolRequest::EXCUSE_CHECKPOINT: {
      auto r = request.getExcuseCheckpoint();
      c.body = ExcuseCheckpoint{r.getRound(), Text(r.getCheckpoint()), Text(r.getReason())};
      break;
    }
    case wire::PatrolRequest::CANCEL_ROUND: {
      auto r = request.getCancelRound();
      c.body = CancelRound{r.getRound(), Text(r.getReason())};
      break;
    }
    case wire::PatrolRequest::LIST_ROUNDS: {
      auto r = request.getListRounds();
      c.body = ListRounds{r.getFrom(), r.getTo(), Text(r.getPost()), Text(r.getGuard()),
                          Text(r.getRoute())};
      break;
    }
    case wire::PatrolRequest::GET_ROUND:
      c.body = GetRound{request.getGetRound()};
      break;
    case wire::PatrolRequest::CURRENT_ROUNDS:
      c.body = CurrentRounds{Text(request.getCurrentRounds())};
      break;
    case wire::PatrolRequest::GET_COMPLETION: {
      auto r = request.getGetCompletion();
      c.body = GetCompletion{r.getFrom(), r.getTo(), !r.getByPost()};
      break;
    }
    default:
      *code = wire::PatrolError::MALFORMED;
      *message = "not a request this service knows (a newer client?)";
      return std::nullopt;
  }
  return c;
}

std::string EncodeReply(const Reply& reply) {
  capnp::MallocMessageBuilder b;
  auto w = b.initRoot<wire::PatrolReply>();
  w.setError(static_cast<wire::PatrolError>(static_cast<uint16_t>(reply.error)));
  w.setMessage(reply.message);
  if (!reply.rounds.empty()) {
    auto list = w.initRounds(static_cast<unsigned>(reply.rounds.size()));
    for (size_t i = 0; i < reply.rounds.size(); ++i)
      FillRound(list[static_cast<unsigned>(i)], reply.rounds[i]);
  }
  if (!reply.completion.empty()) {
    auto list = w.initCompletion(static_cast<unsigned>(reply.completion.size()));
    for (size_t i = 0; i < reply.completion.size(); ++i)
      FillCompletion(list[static_cast<unsigned>(i)], reply.completion[i]);
  }
  w.setTruncated(reply.truncated);
  return Encode(b);
}

std::string EncodeError(wire::PatrolError code, std::string_view message) {
  capnp::MallocMessageBuilder b;
  auto w = b.initRoot<wire::PatrolReply>();
  w.setError(code);
  w.setMessage(std::string(message));
  return Encode(b);
}

}  // namespace picket::patrol
