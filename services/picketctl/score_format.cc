#include "picketctl/score_format.h"

#include "picketctl/access_lists.h"
#include "picketctl/access_time.h"
#include "picketctl/text_columns.h"
#include "wire/enum_names.h"

namespace picket {
namespace {

using wire::ScoringRequest;
using Rows = std::vector<std::vector<std::string>>;

std::string Str(capnp::Text::Reader text) { return AccessText(text); }

template <typename WireEnum>
std::string EnumName(WireEnum value) {
  return wire::SchemaEnumerantName<WireEnum>(static_cast<uint16_t>(value));
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  return s;
}

std::string CsvLine(const std::vector<std::string>& cells) {
  std::string out;
  for (size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + CsvField(cells[i]);
  return out + "\r\n";
}

// points, rewards, penalties, entries: as the tables show them.
std::vector<std::string> TotalsCells(wire::TotalsInfo::Reader t) {
  return {std::to_string(t.getPoints()), std::to_string(t.getRewards()),
          std::to_string(t.getPenalties()), std::to_string(t.getEntries())};
}

// "1 point", "-1 point", "2 points", "0 points".
std::string Plural(int64_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 || n == -1 ? one : many);
}

// "VOIDED by chief: wrong guard" for a voided entry, "" for a live one.
std::string VoidNote(wire::LedgerEntry::Reader e) {
  if (!e.getVoided()) return "";
  return "VOIDED by " + DashIfEmpty(Str(e.getVoidedBy())) + ": " + Str(e.getVoidReason());
}

// "guard ann at post yard", "guard ann", "post yard".
std::string CommendedWhom(wire::CommendRequest::Reader c) {
  std::string guard = Str(c.getGuard()), post = Str(c.getPost());
  if (guard.empty()) return "post " + post;
  return "guard " + guard + (post.empty() ? "" : " at post " + post);
}

std::string VoidResult(wire::VoidRequest::Reader v, wire::ScoringReply::Reader reply) {
  std::string line = "entry " + std::to_string(v.getEntry());
  for (auto e : reply.getEntries()) {
    if (e.getEntry() == v.getEntry()) {
      line += " (" + SignedPoints(e.getPoints()) + " " + Str(e.getRule()) + ")";
      break;
    }
  }
  return line + " voided: " + Str(v.getReason());
}

// "voided by chief at 2026-11-28T15:00:00Z: why" (" (seq 20)" for a reversal), or "no".
std::string VoidFact(wire::LedgerEntry::Reader e) {
  if (!e.getVoided()) return "no";
  std::string fact =
      "by " + DashIfEmpty(Str(e.getVoidedBy())) + " at " + FormatAccessTime(e.getVoidedAt());
  if (e.getVoidSeq() != 0) fact += " (seq " + std::to_string(e.getVoidSeq()) + ")";
  return fact + ": " + Str(e.getVoidReason());
}

}  // namespace

std::string SignedPoints(int64_t points) {
  return (points > 0 ? "+" : "") + std::to_string(points);
}

std::string FormatPeriod(wire::PeriodInfo::Reader period) {
  std::string label = Str(period.getLabel());
  return EnumName(period.getKind()) + (label.empty() ? "" : " " + label);
}

std::string FormatScoreResult(ScoringRequest::Reader request, wire::ScoringReply::Reader reply) {
  switch (request.which()) {
    case ScoringRequest::INSPECT:
      return "inspection " + std::to_string(reply.getId()) + " recorded (" +
             Plural(request.getInspect().getFindings().size(), "finding", "findings") + ")";
    case ScoringRequest::COMMEND: {
      auto c = request.getCommend();
      return "commendation " + std::to_string(reply.getId()) + " recorded for " + CommendedWhom(c) +
             ": " + Str(c.getReason());
    }
    case ScoringRequest::VOID_ENTRY:
      return VoidResult(request.getVoidEntry(), reply);
    default:
      return "done";
  }
}

std::string FormatScoreRefusal(wire::ScoringReply::Reader reply) {
  std::string message = Str(reply.getMessage());
  return EnumName(reply.getError()) + ": " + (message.empty() ? "(no message)" : message) + "\n";
}

std::string FormatLeaderboard(wire::LeaderboardQuery::Reader asked,
                              wire::ScoringReply::Reader reply) {
  const std::string subjects = EnumName(asked.getSubjects());
  std::string out = "leaderboard by " + subjects + ", " + FormatPeriod(reply.getPeriod()) + "\n";
  if (reply.getStandings().size() == 0) return out + "no entries in that period\n";
  Rows rows = {{"RANK", Upper(subjects), "POINTS", "REWARDS", "PENALTIES", "ENTRIES"}};
  for (auto s : reply.getStandings()) {
    std::vector<std::string> row = {std::to_string(s.getRank()), DashIfEmpty(Str(s.getSubject()))};
    for (auto& cell : TotalsCells(s.getTotals())) row.push_back(std::move(cell));
    rows.push_back(std::move(row));
  }
  return out + Columns(rows);
}

std::string FormatLeaderboardCsv(wire::LeaderboardQuery::Reader asked,
                                 capnp::List<wire::Standing>::Reader standings) {
  std::string out =
      CsvLine({"rank", EnumName(asked.getSubjects()), "points", "rewards", "penalties", "entries"});
  for (auto s : standings) {
    std::vector<std::string> row = {std::to_string(s.getRank()), Str(s.getSubject())};
    for (auto& cell : TotalsCells(s.getTotals())) row.push_back(std::move(cell));
    out += CsvLine(row);
  }
  return out;
}

std::string FormatExplain(wire::ExplainQuery::Reader asked, wire::ScoringReply::Reader reply) {
  auto t = reply.getTotals();
  std::string out = EnumName(asked.getSubjectKind()) + " " + Str(asked.getSubject()) + ", " +
                    FormatPeriod(reply.getPeriod()) + ": " +
                    Plural(t.getPoints(), "point", "points");
  out += " (rewards " + SignedPoints(t.getRewards()) + ", penalties " +
         SignedPoints(t.getPenalties()) + ", " + Plural(t.getEntries(), "entry", "entries") + ")\n";
  if (reply.getEntries().size() == 0) return out + "no entries in that period\n";
  Rows rows = {{"ENTRY", "TIME", "POINTS", "RULE", "LABEL"}};
  for (auto e : reply.getEntries()) {
    rows.push_back({std::to_string(e.getEntry()), FormatAccessTime(e.getAt()),
                    SignedPoints(e.getPoints()), DashIfEmpty(Str(e.getRule())),
                    DashIfEmpty(Str(e.getLabel()))});
    if (e.getVoided()) rows.back().push_back(VoidNote(e));
  }
  return out + Columns(rows);
}

std::string FormatEntry(wire::LedgerEntry::Reader e) {
  std::string out = "entry " + std::to_string(e.getEntry()) + ": " + SignedPoints(e.getPoints()) +
                    " " + Str(e.getRule()) + (e.getVoided() ? ", VOIDED" : "") + "\n";
  Rows facts = {
      {"  label", DashIfEmpty(Str(e.getLabel()))},
      {"  event", DashIfEmpty(Str(e.getEvent())) + " (seq " + std::to_string(e.getSeq()) + ")"},
      {"  at", FormatAccessTime(e.getAt())},
      {"  guard", DashIfEmpty(Str(e.getGuard()))},
      {"  post", DashIfEmpty(Str(e.getPost()))},
      {"  squad", DashIfEmpty(Str(e.getSquad()))},
      {"  voided", VoidFact(e)}};
  return out + Columns(facts);
}

std::string FormatAwards(wire::AwardsQuery::Reader asked,
                         capnp::List<wire::AwardGranted>::Reader awards) {
  const std::string kind = EnumName(asked.getPeriod());
  if (awards.size() == 0) return "no " + kind + " award yet\n";
  auto latest = awards[0];
  std::string out = "current " + kind + " award: " + DashIfEmpty(Str(latest.getPost())) + " (" +
                    DashIfEmpty(Str(latest.getPeriod().getLabel())) + ", " +
                    Plural(latest.getTotals().getPoints(), "point", "points") + ")\n";
  Rows rows = {{"PERIOD", "POST", "POINTS", "REWARDS", "PENALTIES", "ENTRIES", "PREVIOUS"}};
  for (auto a : awards) {
    std::vector<std::string> row = {DashIfEmpty(Str(a.getPeriod().getLabel())),
                                    DashIfEmpty(Str(a.getPost()))};
    for (auto& cell : TotalsCells(a.getTotals())) row.push_back(std::move(cell));
    row.push_back(DashIfEmpty(Str(a.getPrevious())));
    rows.push_back(std::move(row));
  }
  return out + Columns(rows);
}

std::string FormatScoreQuery(ScoringRequest::Reader request, wire::ScoringReply::Reader reply,
                             bool csv) {
  switch (request.which()) {
    case ScoringRequest::LEADERBOARD:
      return csv ? FormatLeaderboardCsv(request.getLeaderboard(), reply.getStandings())
                 : FormatLeaderboard(request.getLeaderboard(), reply);
    case ScoringRequest::EXPLAIN:
      return FormatExplain(request.getExplain(), reply);
    case ScoringRequest::GET_ENTRY:
      return reply.getEntries().size() > 0 ? FormatEntry(reply.getEntries()[0]) : "no such entry\n";
    case ScoringRequest::AWARDS:
      return FormatAwards(request.getAwards(), reply.getAwards());
    default:
      return FormatScoreResult(request, reply) + "\n";
  }
}

}  // namespace picket
