// AccessStore: typed reads and writes of picket-access's tables through the handler's
// Txn (formats: access_keys.h, access_types.h).
//
// Holds a reference: `txn` must outlive it. Writes go to the Txn only, so they commit (or
// not) with everything else the handler did. A row that does not decode is broken
// storage, not an expected outcome: it throws StoreError (base/txn.h), which the runtime
// turns into an abandoned apply. Not thread-safe (one handler at a time).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "access/core/access_types.h"
#include "base/txn.h"

namespace picket::access {

class AccessStore {
 public:
  explicit AccessStore(Txn& txn) : txn_(txn) {}

  std::optional<Person> LoadPerson(std::string_view id);
  void SavePerson(const Person& p);

  std::optional<Pass> LoadPass(std::string_view code);
  // Writes the pass and its person_passes row.
  void SavePass(const Pass& p);
  // Codes of the person's passes, ascending.
  std::vector<std::string> PassCodesOf(std::string_view person);

  std::optional<WatchlistEntry> LoadWatchEntry(uint64_t id);
  // Writes the entry and its index rows (by normalized name and by person, if set).
  void AddWatchEntry(const WatchlistEntry& e);
  // Deletes the entry and its index rows.
  void RemoveWatchEntry(const WatchlistEntry& e);
  // Entries naming `person_id` (if not empty) or any of `names` (normalized here), each
  // once, ascending by id. With a `plate` (a vehicle's, NormalizePlate'd) also every entry
  // whose name is that plate however it is spaced or punctuated ("B AB-1234" for
  // "BAB1234"); that reads every by-name row, so only vehicles pay for it.
  std::vector<WatchlistEntry> MatchWatchlist(std::string_view person_id,
                                             const std::vector<std::string>& names,
                                             std::string_view plate = {});
  std::vector<WatchlistEntry> AllWatchEntries();

  std::optional<Visit> LoadVisit(uint64_t id);
  // Writes the visit; a new visit (first save) also gets its visits_by_day row.
  void SaveVisit(const Visit& v, bool is_new);
  // Visits whose check-in is in [from, to), ascending by check-in time then id.
  std::vector<Visit> VisitsBetween(Micros from, Micros to);

  // The open visit of a person key, if they are on site.
  std::optional<uint64_t> OnSiteVisit(std::string_view person_key);
  void SetOnSite(std::string_view person_key, uint64_t visit);
  void ClearOnSite(std::string_view person_key);
  // Every open visit id, by person key.
  std::vector<uint64_t> OnSiteVisitIds();

  std::optional<Arrival> LoadArrival(std::string_view person_key);
  void SaveArrival(std::string_view person_key, const Arrival& a);
  void ClearArrival(std::string_view person_key);

  std::optional<PendingWalkUp> LoadPendingWalkUp(std::string_view person);
  void SavePendingWalkUp(const PendingWalkUp& w);
  void ClearPendingWalkUp(std::string_view person);
  // Every pending walk-up, oldest request first (then by person id).
  std::vector<PendingWalkUp> PendingWalkUps();

  // Takes the next id of a counter (1, 2, ...).
  uint64_t TakeId(std::string_view counter);

 private:
  std::vector<uint64_t> IdsUnder(std::string_view prefix);

  Txn& txn_;
};

}  // namespace picket::access
