// IncidentStore: typed reads and writes of incidents, their history, the grouping-key
// index and the open set, through the handler's Txn (formats: incident_keys.h).
//
// Holds a reference: `txn` must outlive it. Writes go to the Txn only, so they commit
// (or not) with everything else the handler did. A row that does not decode is broken
// storage, not an expected outcome: it throws StoreError (txn.h), which the runtime turns
// into an abandoned apply.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string_view>
#include <vector>

#include "base/txn.h"
#include "escalation/core/incident.h"

namespace picket::escalation {

// How far back the service's clock may step between two incident openings without
// IncidentStore::OpenedBetween missing any (see there).
inline constexpr Micros kOpenedClockSlack = 3600LL * kMicrosPerSecond;

class IncidentStore {
 public:
  explicit IncidentStore(Txn& txn) : txn_(txn) {}

  // The incident, or nullopt if there is none with that id.
  std::optional<Incident> Load(uint64_t id);
  // Writes the incident and keeps the open set in step with its state: the open row is
  // written only when the incident enters or leaves the active states, compared with how
  // this store loaded it (a new incident, never loaded, enters).
  void Save(const Incident& inc);

  // Appends `h` as the next history row of `inc` (inc->history_size grows; Save it).
  void AppendHistory(Incident* inc, const HistoryEntry& h);
  // Every history row of incident `id`, oldest first.
  std::vector<HistoryEntry> History(uint64_t id);

  // The latest incident opened for (type, key), if any.
  std::optional<uint64_t> FindByKey(std::string_view type, std::string_view key);
  void SetKey(std::string_view type, std::string_view key, uint64_t id);

  // Takes the next incident id (1, 2, ...).
  uint64_t TakeNextId();
  // Ids of the incidents that are pending, open or acknowledged, ascending.
  std::vector<uint64_t> OpenIds();

  // The id of the newest incident (0: none yet); reads next_incident_id, writes nothing.
  uint64_t NewestId();
  // When incident `inc` was first opened: the time of its first history row (the
  // incident_opened written with it), which a reopen does not move (unlike opened_at);
  // inc.opened_at if that row is missing.
  Micros FirstOpenedAt(const Incident& inc);

  struct Opened {
    Incident incident;
    Micros first_opened_at = 0;
  };
  struct OpenedList {
    std::vector<Opened> incidents;  // ascending id
    bool truncated = false;         // more matched than `limit`: the newest were left out
  };
  // The incidents first opened in [from, to) at `post` ("" = any), ascending id (the order
  // they were opened in), at most `limit` of them: the oldest.
  //
  // How: no index by time is kept (the stored layout predates this query, and an index
  // would need a backfill of older rows). Ids are taken in the order incidents are opened
  // (one loop thread), and the first-opened time is the service's clock when it happened,
  // so it grows with the id as long as that clock does. The scan relies on this bound:
  //
  //   for ids a < b:  FirstOpenedAt(a) <= FirstOpenedAt(b) + kOpenedClockSlack
  //
  // i.e. the service's clock never stepped back by more than kOpenedClockSlack between two
  // openings. With it, a binary search over ids finds an id b first opened at or after
  // to + slack (every later id is then at or after `to`), and a scan down from there stops
  // at the first incident first opened before from - slack (every earlier id is then
  // before `from`). Cost: about log2(ids) + (incidents first opened in
  // [from - slack, to + slack)) reads of two rows each. A clock that stepped back further
  // can hide incidents from this query (they are still stored and listed by id).
  OpenedList OpenedBetween(Micros from, Micros to, std::string_view post, size_t limit);

 private:
  Txn& txn_;
  std::map<uint64_t, bool> active_;  // id -> active as loaded or last saved (this call)
};

}  // namespace picket::escalation
