#include "scoring/core/queries.h"

namespace picket::scoring {
namespace {

constexpr uint32_t kDefaultAwards = 10;

bool KnownSubjectKind(SubjectKind k) { return static_cast<uint8_t>(k) <= 2; }

// A limit of 1..kMaxRows, or 0 for `fallback`; nullopt if over kMaxRows.
std::optional<size_t> RowLimit(uint32_t limit, size_t fallback) {
  if (limit > kMaxRows) return std::nullopt;
  return limit == 0 ? fallback : limit;
}

std::string LimitMessage() {
  return "limit must be at most " + std::to_string(kMaxRows) + " (0: the default)";
}

}  // namespace

CommandResult Refuse(CommandError e, std::string message) {
  CommandResult r;
  r.reply.error = e;
  r.reply.message = std::move(message);
  return r;
}

std::optional<Period> QueryRun::PeriodOf(PeriodKind kind, Micros at, CommandResult* refused) const {
  if (!ParsePeriodKind(PeriodKindName(kind))) {
    *refused = Refuse(CommandError::kInvalidArgument, "unknown period kind");
    return std::nullopt;
  }
  const Micros t = at == 0 ? now_ : at;
  if (!TimeInRange(t)) {
    *refused = Refuse(CommandError::kInvalidArgument, "at must be a time in 1970..9999");
    return std::nullopt;
  }
  return calendar_.At(kind, t);
}

CommandResult QueryRun::Run(const LeaderboardQuery& q) {
  CommandResult out;
  auto limit = RowLimit(q.limit, kMaxRows);
  if (!limit) return Refuse(CommandError::kInvalidArgument, LimitMessage());
  if (!KnownSubjectKind(q.subjects))
    return Refuse(CommandError::kInvalidArgument, "unknown subjects");
  auto period = PeriodOf(q.kind, q.at, &out);
  if (!period) return out;
  out.reply.period = *period;
  out.reply.standings = Ranked(ledger_.PeriodTotals(q.kind, period->start, q.subjects));
  if (out.reply.standings.size() > *limit) {
    out.reply.standings.resize(*limit);
    out.reply.truncated = true;
  }
  return out;
}

CommandResult QueryRun::Run(const ExplainQuery& q) {
  CommandResult out;
  if (!KnownSubjectKind(q.subject_kind))
    return Refuse(CommandError::kInvalidArgument, "unknown subject kind");
  if (q.subject.empty() || q.subject.size() > kMaxTextBytes)
    return Refuse(CommandError::kInvalidArgument, "a subject of 1..500 bytes is required");
  auto period = PeriodOf(q.kind, q.at, &out);
  if (!period) return out;
  out.reply.period = *period;
  out.reply.totals = ledger_.TotalsOf(q.kind, period->start, q.subject_kind, q.subject);
  out.reply.entries = ledger_.SubjectEntries(q.subject_kind, q.subject, period->start, period->end,
                                             kMaxRows, &out.reply.truncated);
  return out;
}

CommandResult QueryRun::Run(const EntryQuery& q) {
  auto e = ledger_.Load(q.entry);
  if (!e) return Refuse(CommandError::kUnknownEntry, "no entry " + std::to_string(q.entry));
  CommandResult out;
  out.reply.entries.push_back(*std::move(e));
  return out;
}

CommandResult QueryRun::Run(const AwardsQuery& q) {
  auto limit = RowLimit(q.limit, kDefaultAwards);
  if (!limit) return Refuse(CommandError::kInvalidArgument, LimitMessage());
  if (!ParsePeriodKind(PeriodKindName(q.kind)))
    return Refuse(CommandError::kInvalidArgument, "unknown period kind");
  CommandResult out;
  out.reply.awards = ledger_.LatestAwards(q.kind, *limit, &out.reply.truncated);
  return out;
}

}  // namespace picket::scoring
