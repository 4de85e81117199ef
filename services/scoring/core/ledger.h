// Ledger: typed reads and writes of picket-scoring's tables through the handler's Txn
// (formats: scoring_keys.h). Internal to the core.
//
// Holds references: `txn` and `calendar` must outlive it. Writes go to the Txn only, so
// they commit (or not) with everything else the handler did. A row that does not decode,
// or an index row naming a missing entry, is broken storage, not an expected outcome: it
// throws StoreError (base/txn.h). Not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/txn.h"
#include "scoring/core/commands.h"
#include "scoring/core/periods.h"
#include "scoring/core/scoring_types.h"

namespace picket::scoring {

class Ledger {
 public:
  Ledger(Txn& txn, const PeriodCalendar& calendar) : txn_(txn), calendar_(calendar) {}

  // Counters (keys::kNextEntry ...): Take hands out 1, 2, ...; KeepAbove makes sure
  // `used` is never handed out (an id seen on the bus, for a state rebuilt from it).
  uint64_t Take(std::string_view counter);
  void KeepAbove(std::string_view counter, uint64_t used);

  std::optional<Entry> Load(uint64_t id);
  // A new entry: takes its id, stores it with its subjects' index rows, and counts it in
  // the totals of its four periods. Returns it with its id.
  Entry Add(Entry e);
  // Voids a live entry: stores it voided and takes it out of every total it counted in.
  // Returns the entry after the void.
  Entry Void(Entry e, std::string reason, std::string by, uint64_t seq, Micros at);

  // once_keys: true if `values` already earned from `rule`; TakeOnce records it.
  bool OnceTaken(std::string_view rule, const std::vector<FieldValue>& values);
  void TakeOnce(std::string_view rule, const std::vector<FieldValue>& values, uint64_t id);
  // match_keys: the entries of `rule` with these match values, by id.
  void AddMatch(std::string_view rule, const std::vector<FieldValue>& values, uint64_t id);
  std::vector<uint64_t> Matching(std::string_view rule, const std::vector<FieldValue>& values);

  // The live totals of a subject in the period starting at `start` (zero if none).
  Totals TotalsOf(PeriodKind kind, Micros start, SubjectKind subject_kind,
                  std::string_view subject);
  // Every subject of a kind with a live entry in the period, by name.
  std::vector<std::pair<std::string, Totals>> PeriodTotals(PeriodKind kind, Micros start,
                                                           SubjectKind subject_kind);
  // A subject's entries (voided ones too) with `at` in [from, to), in time order, at most
  // `limit`; *truncated if there are more.
  std::vector<Entry> SubjectEntries(SubjectKind kind, std::string_view subject, Micros from,
                                    Micros to, size_t limit, bool* truncated);

  std::optional<AwardGranted> LoadAward(PeriodKind kind, Micros start);
  void SaveAward(const AwardGranted& a);
  // The awards of a kind, latest first, at most `limit`; *truncated if there are more.
  std::vector<AwardGranted> LatestAwards(PeriodKind kind, size_t limit, bool* truncated);

  // The period start the award timer of `kind` stands for (scoring_counters).
  std::optional<Micros> Armed(PeriodKind kind);
  void SetArmed(PeriodKind kind, Micros period_start);
  void ClearArmed(PeriodKind kind);

 private:
  // Adds (sign +1) or removes (-1) `e` in the totals of its periods and subjects.
  void Count(const Entry& e, int sign);
  void Save(const Entry& e);

  Txn& txn_;
  const PeriodCalendar& calendar_;
};

// The ranking of scoring.h, best first; ranks 1, 2, ...
std::vector<Standing> Ranked(std::vector<std::pair<std::string, Totals>> rows);

}  // namespace picket::scoring
