#include "scoring/core/ledger.h"

#include <algorithm>

#include "scoring/core/scoring.h"
#include "scoring/core/scoring_keys.h"

namespace picket::scoring {
namespace {

constexpr size_t kIdBytes = 8;

[[noreturn]] void Broken(std::string_view table, std::string_view what) {
  throw StoreError("scoring: a row of " + std::string(table) + " does not decode (" +
                   std::string(what) + ")");
}

// The subjects an entry counts for.
std::vector<std::pair<SubjectKind, std::string>> SubjectsOf(const Entry& e) {
  std::vector<std::pair<SubjectKind, std::string>> out;
  if (!e.guard.empty()) out.emplace_back(SubjectKind::kGuard, e.guard);
  if (!e.post.empty()) out.emplace_back(SubjectKind::kPost, e.post);
  if (!e.squad.empty()) out.emplace_back(SubjectKind::kSquad, e.squad);
  return out;
}

void Apply(Totals& t, int64_t points, int sign) {
  t.points += sign * points;
  (points > 0 ? t.rewards : t.penalties) += sign * points;
  t.entries = static_cast<uint32_t>(static_cast<int64_t>(t.entries) + sign);
}

// The longest prefix shared by the time keys of `from` and `to - 1`: every subject_entries
// key of a time in [from, to) starts with it, so a scan need not start at the first entry.
std::string SharedTimePrefix(Micros from, Micros to) {
  const std::string a = keys::EncodeTime(from), b = keys::EncodeTime(to - 1);
  size_t n = 0;
  while (n < a.size() && a[n] == b[n]) ++n;
  return a.substr(0, n);
}

}  // namespace

uint64_t Ledger::Take(std::string_view counter) {
  uint64_t next = 1;
  if (auto row = txn_.Get(keys::kCounters, counter)) {
    auto v = keys::DecodeCounter(*row);
    if (!v) Broken(keys::kCounters, counter);
    next = *v;
  }
  txn_.Put(keys::kCounters, counter, keys::EncodeCounter(next + 1));
  return next;
}

void Ledger::KeepAbove(std::string_view counter, uint64_t used) {
  uint64_t next = 1;
  if (auto row = txn_.Get(keys::kCounters, counter)) {
    auto v = keys::DecodeCounter(*row);
    if (!v) Broken(keys::kCounters, counter);
    next = *v;
  }
  if (next <= used && used < UINT64_MAX)
    txn_.Put(keys::kCounters, counter, keys::EncodeCounter(used + 1));
}

std::optional<Entry> Ledger::Load(uint64_t id) {
  auto row = txn_.Get(keys::kEntries, keys::EntryKey(id));
  if (!row) return std::nullopt;
  auto e = keys::DecodeEntry(*row);
  if (!e || e->id != id) Broken(keys::kEntries, "entry " + std::to_string(id));
  return e;
}

void Ledger::Save(const Entry& e) {
  txn_.Put(keys::kEntries, keys::EntryKey(e.id), keys::EncodeEntry(e));
}

Entry Ledger::Add(Entry e) {
  e.id = Take(keys::kNextEntry);
  e.voided = false;
  Save(e);
  for (const auto& [kind, subject] : SubjectsOf(e))
    txn_.Put(keys::kSubjectEntries, keys::SubjectEntryKey(kind, subject, e.at, e.id), "");
  Count(e, +1);
  return e;
}

Entry Ledger::Void(Entry e, std::string reason, std::string by, uint64_t seq, Micros at) {
  e.voided = true;
  e.void_reason = std::move(reason);
  e.voided_by = std::move(by);
  e.void_seq = seq;
  e.voided_at = at;
  Save(e);
  Count(e, -1);
  return e;
}

void Ledger::Count(const Entry& e, int sign) {
  for (PeriodKind kind : kAllPeriodKinds) {
    const Micros start = calendar_.At(kind, e.at).start;
    for (const auto& [subject_kind, subject] : SubjectsOf(e)) {
      Totals t = TotalsOf(kind, start, subject_kind, subject);
      Apply(t, e.points, sign);
      const std::string key = keys::TotalsKey(kind, start, subject_kind, subject);
      // A subject with no live entry left has no row: rankings list only subjects that
      // have entries.
      if (t.entries == 0)
        txn_.Delete(keys::kTotals, key);
      else
        txn_.Put(keys::kTotals, key, keys::EncodeTotals(t));
    }
  }
}

bool Ledger::OnceTaken(std::string_view rule, const std::vector<FieldValue>& values) {
  return txn_.Get(keys::kOnceKeys, keys::OnceKey(rule, values)).has_value();
}

void Ledger::TakeOnce(std::string_view rule, const std::vector<FieldValue>& values, uint64_t id) {
  txn_.Put(keys::kOnceKeys, keys::OnceKey(rule, values), keys::EncodeCounter(id));
}

void Ledger::AddMatch(std::string_view rule, const std::vector<FieldValue>& values, uint64_t id) {
  txn_.Put(keys::kMatchKeys, keys::MatchKey(rule, values, id), "");
}

std::vector<uint64_t> Ledger::Matching(std::string_view rule,
                                       const std::vector<FieldValue>& values) {
  const std::string prefix = keys::MatchPrefix(rule, values);
  std::vector<uint64_t> ids;
  txn_.Scan(keys::kMatchKeys, prefix, [&](std::string_view key, std::string_view) {
    // Exactly the prefix and an id: longer keys hold other values.
    if (key.size() == prefix.size() + kIdBytes)
      ids.push_back(*keys::DecodeCounter(key.substr(prefix.size())));
    return true;
  });
  return ids;
}

Totals Ledger::TotalsOf(PeriodKind kind, Micros start, SubjectKind subject_kind,
                        std::string_view subject) {
  const std::string key = keys::TotalsKey(kind, start, subject_kind, subject);
  auto row = txn_.Get(keys::kTotals, key);
  if (!row) return {};
  auto t = keys::DecodeTotals(*row);
  if (!t) Broken(keys::kTotals, subject);
  return *t;
}

std::vector<std::pair<std::string, Totals>> Ledger::PeriodTotals(PeriodKind kind, Micros start,
                                                                 SubjectKind subject_kind) {
  const std::string prefix = keys::TotalsPrefix(kind, start, subject_kind);
  std::vector<std::pair<std::string, Totals>> out;
  txn_.Scan(keys::kTotals, prefix, [&](std::string_view key, std::string_view value) {
    auto t = keys::DecodeTotals(value);
    if (!t) Broken(keys::kTotals, key.substr(prefix.size()));
    out.emplace_back(std::string(key.substr(prefix.size())), *t);
    return true;
  });
  return out;
}

std::vector<Entry> Ledger::SubjectEntries(SubjectKind kind, std::string_view subject, Micros from,
                                          Micros to, size_t limit, bool* truncated) {
  std::vector<uint64_t> ids;
  *truncated = false;
  if (from < to) {
    const std::string prefix = keys::SubjectEntriesPrefix(kind, subject);
    const std::string lo = prefix + keys::EncodeTime(from), hi = prefix + keys::EncodeTime(to);
    txn_.Scan(keys::kSubjectEntries, prefix + SharedTimePrefix(from, to),
              [&](std::string_view key, std::string_view) {
                if (key < lo) return true;
                if (key >= hi) return false;
                if (ids.size() == limit) {
                  *truncated = true;
                  return false;
                }
                ids.push_back(*keys::EntryIdOfSubjectKey(key));
                return true;
              });
  }
  std::vector<Entry> out;
  for (uint64_t id : ids) {
    auto e = Load(id);
    if (!e) Broken(keys::kSubjectEntries, "entry " + std::to_string(id) + " is missing");
    out.push_back(*std::move(e));
  }
  return out;
}

std::optional<AwardGranted> Ledger::LoadAward(PeriodKind kind, Micros start) {
  auto row = txn_.Get(keys::kAwards, keys::AwardKey(kind, start));
  if (!row) return std::nullopt;
  auto a = keys::DecodeAward(*row);
  if (!a) Broken(keys::kAwards, PeriodKindName(kind));
  return a;
}

void Ledger::SaveAward(const AwardGranted& a) {
  txn_.Put(keys::kAwards, keys::AwardKey(a.period.kind, a.period.start), keys::EncodeAward(a));
}

std::vector<AwardGranted> Ledger::LatestAwards(PeriodKind kind, size_t limit, bool* truncated) {
  std::vector<AwardGranted> all;
  txn_.Scan(keys::kAwards, keys::AwardPrefix(kind), [&](std::string_view, std::string_view v) {
    auto a = keys::DecodeAward(v);
    if (!a) Broken(keys::kAwards, PeriodKindName(kind));
    all.push_back(*std::move(a));
    return true;
  });
  std::reverse(all.begin(), all.end());
  *truncated = all.size() > limit;
  if (*truncated) all.resize(limit);
  return all;
}

std::optional<Micros> Ledger::Armed(PeriodKind kind) {
  auto row = txn_.Get(keys::kCounters, keys::ArmedAwardKey(kind));
  if (!row) return std::nullopt;
  auto t = keys::DecodeTime(*row);
  if (!t) Broken(keys::kCounters, keys::ArmedAwardKey(kind));
  return t;
}

void Ledger::SetArmed(PeriodKind kind, Micros period_start) {
  txn_.Put(keys::kCounters, keys::ArmedAwardKey(kind), keys::EncodeTime(period_start));
}

void Ledger::ClearArmed(PeriodKind kind) {
  txn_.Delete(keys::kCounters, keys::ArmedAwardKey(kind));
}

std::vector<Standing> Ranked(std::vector<std::pair<std::string, Totals>> rows) {
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return RanksBefore(a.first, a.second, b.first, b.second);
  });
  std::vector<Standing> out;
  for (auto& [subject, totals] : rows)
    out.push_back({static_cast<uint32_t>(out.size() + 1), std::move(subject), totals});
  return out;
}

}  // namespace picket::scoring
