// IncidentStore: typed reads and writes of incidents, their history, the grouping-key
// index and the open set, through the handler's Txn (formats: incident_keys.h).
//
// Holds a reference: `txn` must outlive it. Writes go to the Txn only, so they commit
// (or not) with everything else the handler did. A row that does not decode is broken
// storage, not an expected outcome: it throws StoreError (txn.h), which the runtime turns
// into an abandoned apply.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include <map>

#include "base/txn.h"
#include "escalation/core/incident.h"

namespace picket::escalation {

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

 private:
  Txn& txn_;
  std::map<uint64_t, bool> active_;  // id -> active as loaded or last saved (this call)
};

}  // namespace picket::escalation
