#include "console/scoring_client.h"

#include <capnp/message.h>

#include "picket/schemas/scoring.capnp.h"
#include "wire/event_id.h"

namespace picket::console {
namespace {

constexpr const char* kPeriods[] = {"shift", "day", "week", "month"};
constexpr const char* kSubjects[] = {"guard", "post", "squad"};

ApiResult Error(int status, const std::string& code, const std::string& message) {
  return {status, {{"error", {{"code", code}, {"message", message}}}}};
}

nlohmann::json PeriodJson(wire::PeriodInfo::Reader p) {
  return {{"kind", kPeriods[static_cast<int>(p.getKind()) & 3]},
          {"start", p.getStart()},
          {"end", p.getEnd()},
          {"label", p.getLabel().cStr()}};
}

nlohmann::json TotalsJson(wire::TotalsInfo::Reader t) {
  return {{"points", t.getPoints()},
          {"rewards", t.getRewards()},
          {"penalties", t.getPenalties()},
          {"entries", t.getEntries()}};
}

nlohmann::json EntryJson(wire::LedgerEntry::Reader e) {
  return {{"entry", e.getEntry()},
          {"seq", e.getSeq()},
          {"event", e.getEvent().cStr()},
          {"rule", e.getRule().cStr()},
          {"label", e.getLabel().cStr()},
          {"points", e.getPoints()},
          {"guard", e.getGuard().cStr()},
          {"post", e.getPost().cStr()},
          {"squad", e.getSquad().cStr()},
          {"at", e.getAt()},
          {"voided", e.getVoided()},
          {"void_reason", e.getVoidReason().cStr()},
          {"voided_by", e.getVoidedBy().cStr()},
          {"voided_at", e.getVoidedAt()}};
}

ApiResult Refusal(wire::ScoringReply::Reader r) {
  std::string m = r.getMessage().cStr();
  switch (r.getError()) {
    case wire::ScoringError::INVALID_ARGUMENT:
      return Error(400, "invalid_argument", m);
    case wire::ScoringError::UNKNOWN_POST:
      return Error(404, "unknown_post", m);
    case wire::ScoringError::UNKNOWN_CATEGORY:
      return Error(400, "unknown_category", m);
    case wire::ScoringError::UNKNOWN_ENTRY:
      return Error(404, "unknown_entry", m);
    case wire::ScoringError::ALREADY_VOIDED:
      return Error(409, "already_voided", m);
    case wire::ScoringError::UNAVAILABLE:
      return Error(503, "unavailable", m);
    default:
      return Error(502, "bad_gateway", m);
  }
}

// The whole reply as JSON (each query and command fills what it answers).
nlohmann::json ReplyJson(wire::ScoringReply::Reader r) {
  nlohmann::json out = nlohmann::json::object();
  if (r.hasPeriod()) out["period"] = PeriodJson(r.getPeriod());
  if (r.hasTotals()) out["totals"] = TotalsJson(r.getTotals());
  nlohmann::json standings = nlohmann::json::array();
  for (auto s : r.getStandings()) {
    nlohmann::json row = TotalsJson(s.getTotals());
    row["rank"] = s.getRank();
    row["subject"] = s.getSubject().cStr();
    standings.push_back(row);
  }
  out["standings"] = standings;
  nlohmann::json entries = nlohmann::json::array();
  for (auto e : r.getEntries()) entries.push_back(EntryJson(e));
  out["entries"] = entries;
  nlohmann::json awards = nlohmann::json::array();
  for (auto a : r.getAwards()) {
    nlohmann::json row = TotalsJson(a.getTotals());
    row["period"] = PeriodJson(a.getPeriod());
    row["post"] = a.getPost().cStr();
    row["previous"] = a.getPrevious().cStr();
    awards.push_back(row);
  }
  out["awards"] = awards;
  out["id"] = r.getId();
  out["truncated"] = r.getTruncated();
  out["unpublished"] = r.getUnpublished();
  return out;
}

bool Unavailable(wire::ScoringReply::Reader r) {
  return r.getError() == wire::ScoringError::UNAVAILABLE;
}

ApiResult Convert(wire::ScoringReply::Reader r) {
  return r.getError() == wire::ScoringError::NONE ? ApiResult{200, ReplyJson(r)} : Refusal(r);
}

template <typename Fill>
std::string Request(const std::string& actor, bool command, Fill fill) {
  capnp::MallocMessageBuilder message;
  auto req = message.initRoot<wire::ScoringRequest>();
  req.setActor(actor);
  if (command) {
    EventId id = EventId::Random();
    req.setCommandId(capnp::Data::Reader(reinterpret_cast<const capnp::byte*>(id.Bytes().data()),
                                         EventId::kSize));
  }
  fill(req);
  return Encode(message);
}

}  // namespace

int PeriodIndex(const std::string& name) {
  for (int i = 0; i < 4; ++i)
    if (name == kPeriods[i]) return i;
  return -1;
}

int SubjectIndex(const std::string& name) {
  for (int i = 0; i < 3; ++i)
    if (name == kSubjects[i]) return i;
  return -1;
}

ApiResult ScoringClient::Leaderboard(int period, int subjects, Micros at, uint32_t limit) const {
  return Call(Request("", false,
                      [&](wire::ScoringRequest::Builder r) {
                        auto q = r.initLeaderboard();
                        q.setPeriod(static_cast<wire::PeriodKind>(period));
                        q.setSubjects(static_cast<wire::SubjectKind>(subjects));
                        q.setAt(at);
                        q.setLimit(limit);
                      }),
              2);
}

ApiResult ScoringClient::Explain(int subject_kind, const std::string& subject, int period,
                                 Micros at) const {
  return Call(Request("", false,
                      [&](wire::ScoringRequest::Builder r) {
                        auto q = r.initExplain();
                        q.setSubjectKind(static_cast<wire::SubjectKind>(subject_kind));
                        q.setSubject(subject);
                        q.setPeriod(static_cast<wire::PeriodKind>(period));
                        q.setAt(at);
                      }),
              2);
}

ApiResult ScoringClient::Awards(int period, uint32_t limit) const {
  return Call(Request("", false,
                      [&](wire::ScoringRequest::Builder r) {
                        auto q = r.initAwards();
                        q.setPeriod(static_cast<wire::PeriodKind>(period));
                        q.setLimit(limit);
                      }),
              2);
}

ApiResult ScoringClient::Void(const std::string& actor, uint64_t entry,
                              const std::string& reason) const {
  return Call(Request(actor, true,
                      [&](wire::ScoringRequest::Builder r) {
                        auto v = r.initVoidEntry();
                        v.setEntry(entry);
                        v.setReason(reason);
                      }),
              3);
}

ApiResult ScoringClient::Commend(const std::string& actor, const std::string& post,
                                 const std::string& guard, const std::string& reason) const {
  return Call(Request(actor, true,
                      [&](wire::ScoringRequest::Builder r) {
                        auto c = r.initCommend();
                        c.setPost(post);
                        c.setGuard(guard);
                        c.setReason(reason);
                      }),
              3);
}

ApiResult ScoringClient::Inspect(const std::string& actor, const std::string& post,
                                 const std::string& guard,
                                 const std::vector<FindingInput>& findings) const {
  return Call(Request(actor, true,
                      [&](wire::ScoringRequest::Builder r) {
                        auto i = r.initInspect();
                        i.setPost(post);
                        i.setGuard(guard);
                        auto list = i.initFindings(static_cast<unsigned>(findings.size()));
                        for (size_t k = 0; k < findings.size(); ++k) {
                          list[k].setCategory(findings[k].category);
                          list[k].setPassed(findings[k].passed);
                          list[k].setNote(findings[k].note);
                        }
                      }),
              3);
}

ApiResult ScoringClient::Call(const std::string& request, int attempts) const {
  return CallService<wire::ScoringReply>(target_, request, attempts, &Unavailable, &Convert);
}

}  // namespace picket::console
