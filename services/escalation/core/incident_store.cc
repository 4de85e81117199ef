#include "escalation/core/incident_store.h"

#include <string>

#include "escalation/core/incident_keys.h"

namespace picket::escalation {

std::optional<Incident> IncidentStore::Load(uint64_t id) {
  auto bytes = txn_.Get(keys::kIncidentsTable, keys::IncidentKey(id));
  if (!bytes) return std::nullopt;
  auto inc = DecodeIncident(*bytes);
  if (!inc || inc->id != id)
    throw StoreError("escalation: incident " + std::to_string(id) + " does not decode");
  active_[id] = IsActive(inc->state);
  return inc;
}

void IncidentStore::Save(const Incident& inc) {
  txn_.Put(keys::kIncidentsTable, keys::IncidentKey(inc.id), EncodeIncident(inc));
  const bool active = IsActive(inc.state);
  auto known = active_.find(inc.id);
  if (known != active_.end() && known->second == active) return;  // the open row is right
  if (active)
    txn_.Put(keys::kOpenTable, keys::EncodeId(inc.id), "");
  else
    txn_.Delete(keys::kOpenTable, keys::EncodeId(inc.id));
  active_[inc.id] = active;
}

void IncidentStore::AppendHistory(Incident* inc, const HistoryEntry& h) {
  txn_.Put(keys::kHistoryTable, keys::HistoryKey(inc->id, inc->history_size),
           EncodeHistoryEntry(h));
  ++inc->history_size;
}

std::vector<HistoryEntry> IncidentStore::History(uint64_t id) {
  std::vector<HistoryEntry> out;
  bool broken = false;
  txn_.Scan(keys::kHistoryTable, keys::HistoryPrefix(id),
            [&](std::string_view, std::string_view value) {
              auto h = DecodeHistoryEntry(value);
              if (!h) return !(broken = true);
              out.push_back(std::move(*h));
              return true;
            });
  if (broken)
    throw StoreError("escalation: a history row of incident " + std::to_string(id) +
                     " does not decode");
  return out;
}

std::optional<uint64_t> IncidentStore::FindByKey(std::string_view type, std::string_view key) {
  auto bytes = txn_.Get(keys::kGroupKeysTable, keys::GroupKey(type, key));
  if (!bytes) return std::nullopt;
  auto id = keys::DecodeId(*bytes);
  if (!id) throw StoreError("escalation: a grouping-key row does not decode");
  return id;
}

void IncidentStore::SetKey(std::string_view type, std::string_view key, uint64_t id) {
  txn_.Put(keys::kGroupKeysTable, keys::GroupKey(type, key), keys::EncodeId(id));
}

uint64_t IncidentStore::TakeNextId() {
  uint64_t next = 1;
  if (auto bytes = txn_.Get(keys::kCountersTable, keys::kNextIncidentIdKey)) {
    auto v = keys::DecodeId(*bytes);
    if (!v) throw StoreError("escalation: next_incident_id does not decode");
    next = *v;
  }
  txn_.Put(keys::kCountersTable, keys::kNextIncidentIdKey, keys::EncodeId(next + 1));
  return next;
}

std::vector<uint64_t> IncidentStore::OpenIds() {
  std::vector<uint64_t> out;
  txn_.Scan(keys::kOpenTable, "", [&](std::string_view key, std::string_view) {
    if (auto id = keys::DecodeId(key)) out.push_back(*id);
    return true;
  });
  return out;
}

}  // namespace picket::escalation
