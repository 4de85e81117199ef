#include "escalation/core/incident_store.h"

#include <deque>
#include <iterator>
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

uint64_t IncidentStore::NewestId() {
  auto bytes = txn_.Get(keys::kCountersTable, keys::kNextIncidentIdKey);
  if (!bytes) return 0;
  auto next = keys::DecodeId(*bytes);
  if (!next) throw StoreError("escalation: next_incident_id does not decode");
  return *next == 0 ? 0 : *next - 1;
}

Micros IncidentStore::FirstOpenedAt(const Incident& inc) {
  auto bytes = txn_.Get(keys::kHistoryTable, keys::HistoryKey(inc.id, 0));
  if (!bytes) return inc.opened_at;
  auto h = DecodeHistoryEntry(*bytes);
  if (!h)
    throw StoreError("escalation: the first history row of incident " + std::to_string(inc.id) +
                     " does not decode");
  return h->at;
}

IncidentStore::OpenedList IncidentStore::OpenedBetween(Micros from, Micros to,
                                                       std::string_view post, size_t limit) {
  OpenedList out;
  const uint64_t newest = NewestId();
  // The smallest id first opened at or after to + slack (newest + 1 if none is found):
  // every id above it was first opened at or after `to`. Correct whatever the order of
  // the times, since the answer is always an id that satisfies the test (or none).
  uint64_t lo = 1, hi = newest + 1;
  while (lo < hi) {
    const uint64_t mid = lo + (hi - lo) / 2;
    auto inc = Load(mid);
    if (inc && FirstOpenedAt(*inc) >= to + kOpenedClockSlack)
      hi = mid;
    else
      lo = mid + 1;
  }
  std::deque<Opened> found;  // descending id while scanning
  for (uint64_t id = lo - 1; id >= 1; --id) {
    auto inc = Load(id);
    if (!inc) continue;
    const Micros first = FirstOpenedAt(*inc);
    if (first < from - kOpenedClockSlack) break;  // every earlier id is before `from`
    if (first < from || first >= to || (!post.empty() && inc->post != post)) continue;
    found.push_back({std::move(*inc), first});
    if (found.size() > limit) {
      found.pop_front();  // the newest: the oldest `limit` are kept
      out.truncated = true;
    }
  }
  out.incidents.assign(std::make_move_iterator(found.rbegin()),
                       std::make_move_iterator(found.rend()));
  return out;
}

}  // namespace picket::escalation
