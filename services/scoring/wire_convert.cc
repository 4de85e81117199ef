#include "scoring/wire_convert.h"

#include <capnp/dynamic.h>
#include <capnp/message.h>

#include <limits>

#include "base/overloaded.h"
#include "domain/site_time.h"
#include "wire/codec.h"
#include "wire/event_types.h"

namespace picket::scoring {
namespace {

std::string Text(capnp::Text::Reader t) { return std::string(t.cStr(), t.size()); }

template <typename W, typename C>
constexpr bool Same(W wire_value, C core_value) {
  return static_cast<uint16_t>(wire_value) == static_cast<uint16_t>(core_value);
}
using E = wire::ScoringError;
static_assert(Same(E::NONE, CommandError::kNone) &&
              Same(E::INVALID_ARGUMENT, CommandError::kInvalidArgument) &&
              Same(E::UNKNOWN_POST, CommandError::kUnknownPost) &&
              Same(E::UNKNOWN_CATEGORY, CommandError::kUnknownCategory) &&
              Same(E::UNKNOWN_ENTRY, CommandError::kUnknownEntry) &&
              Same(E::ALREADY_VOIDED, CommandError::kAlreadyVoided));
static_assert(Same(wire::PeriodKind::SHIFT, PeriodKind::kShift) &&
              Same(wire::PeriodKind::DAY, PeriodKind::kDay) &&
              Same(wire::PeriodKind::WEEK, PeriodKind::kWeek) &&
              Same(wire::PeriodKind::MONTH, PeriodKind::kMonth));
static_assert(Same(wire::SubjectKind::GUARD, SubjectKind::kGuard) &&
              Same(wire::SubjectKind::POST, SubjectKind::kPost) &&
              Same(wire::SubjectKind::SQUAD, SubjectKind::kSquad));

std::optional<FieldKind> KindOfType(capnp::schema::Type::Which t) {
  using T = capnp::schema::Type;
  switch (t) {
    case T::BOOL:
      return FieldKind::kBool;
    case T::INT8:
    case T::INT16:
    case T::INT32:
    case T::INT64:
    case T::UINT8:
    case T::UINT16:
    case T::UINT32:
    case T::UINT64:
      return FieldKind::kInt;
    case T::TEXT:
    case T::ENUM:
      return FieldKind::kText;
    default:
      return std::nullopt;
  }
}

std::optional<FieldValue> ValueOf(const capnp::DynamicValue::Reader& v) {
  switch (v.getType()) {
    case capnp::DynamicValue::BOOL:
      return FieldValue{v.as<bool>()};
    case capnp::DynamicValue::INT:
      return FieldValue{v.as<int64_t>()};
    case capnp::DynamicValue::UINT: {
      const uint64_t u = v.as<uint64_t>();
      constexpr uint64_t kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
      return FieldValue{static_cast<int64_t>(u > kMax ? kMax : u)};
    }
    case capnp::DynamicValue::TEXT: {
      auto t = v.as<capnp::Text>();
      return FieldValue{std::string(t.cStr(), t.size())};
    }
    case capnp::DynamicValue::ENUM: {
      auto e = v.as<capnp::DynamicEnum>();
      KJ_IF_MAYBE (enumerant, e.getEnumerant())
        return FieldValue{std::string(enumerant->getProto().getName().cStr())};
      return FieldValue{std::to_string(e.getRaw())};  // a value newer than this schema
    }
    default:
      return std::nullopt;
  }
}

void AddField(capnp::DynamicStruct::Reader body, capnp::StructSchema::Field field, Fact* fact) {
  if (!KindOfType(field.getType().which())) return;
  if (auto value = ValueOf(body.get(field)))
    fact->fields.emplace(field.getProto().getName().cStr(), *std::move(value));
}

wire::PeriodKind WirePeriod(PeriodKind k) {
  return static_cast<wire::PeriodKind>(static_cast<uint16_t>(k));
}

void FillPeriod(wire::PeriodInfo::Builder w, const Period& p) {
  w.setKind(WirePeriod(p.kind));
  w.setStart(p.start);
  w.setEnd(p.end);
  w.setLabel(p.label);
}

void FillTotals(wire::TotalsInfo::Builder w, const Totals& t) {
  w.setPoints(t.points);
  w.setRewards(t.rewards);
  w.setPenalties(t.penalties);
  w.setEntries(t.entries);
}

void FillEntry(wire::LedgerEntry::Builder w, const Entry& e) {
  w.setEntry(e.id);
  w.setSeq(e.seq);
  w.setEvent(e.event);
  w.setRule(e.rule);
  w.setLabel(e.label);
  w.setPoints(e.points);
  w.setGuard(e.guard);
  w.setPost(e.post);
  w.setSquad(e.squad);
  w.setAt(e.at);
  w.setVoided(e.voided);
  w.setVoidReason(e.void_reason);
  w.setVoidedBy(e.voided_by);
  w.setVoidSeq(e.void_seq);
  w.setVoidedAt(e.voided_at);
}

void FillAward(wire::AwardGranted::Builder w, const AwardGranted& a) {
  FillPeriod(w.initPeriod(), a.period);
  w.setPost(a.post);
  FillTotals(w.initTotals(), a.totals);
  w.setPrevious(a.previous);
}

}  // namespace

EventCatalog BuildEventCatalog() {
  EventCatalog catalog;
  for (const RegisteredEventType& type : AllEventTypes()) {
    auto& fields = catalog[std::string(type.name)];
    for (auto field : type.body.getFields())
      if (auto kind = KindOfType(field.getType().which()))
        fields.emplace(field.getProto().getName().cStr(), *kind);
  }
  return catalog;
}

std::optional<Fact> ToFact(wire::Event::Reader event, std::string* why) {
  Fact f;
  f.seq = event.getSeq();
  f.type = Text(event.getType());
  f.producer = Text(event.getProducer());
  f.actor = Text(event.getActor());
  f.recorded = event.getRecordedAt();
  f.at = event.getObservedAt() != 0 ? event.getObservedAt() : f.recorded;
  if (!TimeInRange(f.at) || !TimeInRange(f.recorded)) {
    *why = "observedAt or recordedAt outside 1970..9999";
    return std::nullopt;
  }
  const RegisteredEventType* type = FindRegisteredType(f.type);
  if (!type || !event.hasBody()) return f;
  auto body = event.getBody().getAs<capnp::DynamicStruct>(type->body);
  for (auto field : type->body.getNonUnionFields()) AddField(body, field, &f);
  KJ_IF_MAYBE (active, body.which()) AddField(body, *active, &f);
  return f;
}

void FillEvent(wire::Event::Builder event, const OutgoingEvent& out) {
  event.setType(std::string(out.type()));
  event.setActor(out.actor);
  event.setObservedAt(out.at);
  auto body = event.initBody();
  std::visit(
      Overloaded{
          [&](const PointsAwarded& e) { FillEntry(body.initAs<wire::LedgerEntry>(), e.entry); },
          [&](const EntryVoided& e) {
            auto w = body.initAs<wire::LedgerEntry>();
            FillEntry(w, e.entry);
            w.setReversal(e.reversal);
          },
          [&](const FindingRecorded& e) {
            auto w = body.initAs<wire::FindingRecorded>();
            w.setInspection(e.inspection);
            w.setPost(e.post);
            w.setGuard(e.guard);
            w.setCategory(e.category);
            w.setPassed(e.passed);
            w.setNote(e.note);
          },
          [&](const CommendationRecorded& e) {
            auto w = body.initAs<wire::CommendationRecorded>();
            w.setCommendation(e.commendation);
            w.setPost(e.post);
            w.setGuard(e.guard);
            w.setReason(e.reason);
          },
          [&](const AwardGranted& e) { FillAward(body.initAs<wire::AwardGranted>(), e); },
      },
      out.body);
}

CommandAccess AccessOf(wire::ScoringRequest::Reader request) {
  if (IsQuery(request)) return {Role::kOfficer, ""};
  return {Role::kSupervisor, request.getActor().cStr()};
}

bool IsQuery(wire::ScoringRequest::Reader request) {
  switch (request.which()) {
    case wire::ScoringRequest::LEADERBOARD:
    case wire::ScoringRequest::EXPLAIN:
    case wire::ScoringRequest::GET_ENTRY:
    case wire::ScoringRequest::AWARDS:
      return true;
    default:
      return false;
  }
}

std::optional<Command> ToCommand(wire::ScoringRequest::Reader request, wire::ScoringError* code,
                                 std::string* message) {
  Command c;
  c.actor = Text(request.getActor());
  auto period = [](wire::PeriodKind k) { return static_cast<PeriodKind>(static_cast<uint8_t>(k)); };
  auto subject = [](wire::SubjectKind k) {
    return static_cast<SubjectKind>(static_cast<uint8_t>(k));
  };
  auto known_period = [](wire::PeriodKind k) { return static_cast<uint16_t>(k) <= 3; };
  auto known_subject = [](wire::SubjectKind k) { return static_cast<uint16_t>(k) <= 2; };
  auto refuse = [&](const std::string& why) {
    *code = wire::ScoringError::INVALID_ARGUMENT;
    *message = why;
    return std::nullopt;
  };
  switch (request.which()) {
    case wire::ScoringRequest::INSPECT: {
      auto r = request.getInspect();
      InspectCommand cmd{Text(r.getPost()), Text(r.getGuard()), {}};
      auto findings = r.getFindings();
      if (findings.size() > kMaxFindings)
        return refuse("at most " + std::to_string(kMaxFindings) + " findings per inspection");
      for (auto f : findings)
        cmd.findings.push_back(Finding{Text(f.getCategory()), f.getPassed(), Text(f.getNote())});
      c.body = std::move(cmd);
      break;
    }
    case wire::ScoringRequest::COMMEND: {
      auto r = request.getCommend();
      c.body = CommendCommand{Text(r.getPost()), Text(r.getGuard()), Text(r.getReason())};
      break;
    }
    case wire::ScoringRequest::VOID_ENTRY: {
      auto r = request.getVoidEntry();
      c.body = VoidCommand{r.getEntry(), Text(r.getReason())};
      break;
    }
    case wire::ScoringRequest::LEADERBOARD: {
      auto r = request.getLeaderboard();
      if (!known_period(r.getPeriod()) || !known_subject(r.getSubjects()))
        return refuse("unknown period or subject kind");
      c.body = LeaderboardQuery{period(r.getPeriod()), r.getAt(), subject(r.getSubjects()),
                                r.getLimit()};
      break;
    }
    case wire::ScoringRequest::EXPLAIN: {
      auto r = request.getExplain();
      if (!known_period(r.getPeriod()) || !known_subject(r.getSubjectKind()))
        return refuse("unknown period or subject kind");
      c.body = ExplainQuery{subject(r.getSubjectKind()), Text(r.getSubject()),
                            period(r.getPeriod()), r.getAt()};
      break;
    }
    case wire::ScoringRequest::GET_ENTRY:
      c.body = EntryQuery{request.getGetEntry()};
      break;
    case wire::ScoringRequest::AWARDS: {
      auto r = request.getAwards();
      if (!known_period(r.getPeriod())) return refuse("unknown period kind");
      c.body = AwardsQuery{period(r.getPeriod()), r.getLimit()};
      break;
    }
    default:
      *code = wire::ScoringError::MALFORMED;
      *message = "not a request this service knows (a newer client?)";
      return std::nullopt;
  }
  return c;
}

std::string EncodeReply(const Reply& reply) {
  capnp::MallocMessageBuilder b;
  auto w = b.initRoot<wire::ScoringReply>();
  w.setError(static_cast<wire::ScoringError>(static_cast<uint16_t>(reply.error)));
  w.setMessage(reply.message);
  if (reply.period.end != 0) FillPeriod(w.initPeriod(), reply.period);
  if (!reply.standings.empty()) {
    auto list = w.initStandings(static_cast<unsigned>(reply.standings.size()));
    for (size_t i = 0; i < reply.standings.size(); ++i) {
      auto s = list[static_cast<unsigned>(i)];
      s.setRank(reply.standings[i].rank);
      s.setSubject(reply.standings[i].subject);
      FillTotals(s.initTotals(), reply.standings[i].totals);
    }
  }
  FillTotals(w.initTotals(), reply.totals);
  if (!reply.entries.empty()) {
    auto list = w.initEntries(static_cast<unsigned>(reply.entries.size()));
    for (size_t i = 0; i < reply.entries.size(); ++i)
      FillEntry(list[static_cast<unsigned>(i)], reply.entries[i]);
  }
  if (!reply.awards.empty()) {
    auto list = w.initAwards(static_cast<unsigned>(reply.awards.size()));
    for (size_t i = 0; i < reply.awards.size(); ++i)
      FillAward(list[static_cast<unsigned>(i)], reply.awards[i]);
  }
  w.setId(reply.id);
  w.setTruncated(reply.truncated);
  return Encode(b);
}

std::string EncodeError(wire::ScoringError code, std::string_view message) {
  capnp::MallocMessageBuilder b;
  auto w = b.initRoot<wire::ScoringReply>();
  w.setError(code);
  w.setMessage(std::string(message));
  return Encode(b);
}

}  // namespace picket::scoring
