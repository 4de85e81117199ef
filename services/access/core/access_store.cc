#include "access/core/access_store.h"

#include <algorithm>
#include <set>

#include "access/core/access_keys.h"

namespace picket::access {
namespace {

[[noreturn]] void Broken(std::string_view what, std::string_view which) {
  throw StoreError("access: " + std::string(what) + " '" + std::string(which) +
                   "' does not decode");
}

}  // namespace

std::optional<Person> AccessStore::LoadPerson(std::string_view id) {
  auto bytes = txn_.Get(keys::kPeopleTable, id);
  if (!bytes) return std::nullopt;
  auto p = DecodePerson(*bytes);
  if (!p || p->id != id) Broken("person", id);
  return p;
}

void AccessStore::SavePerson(const Person& p) {
  txn_.Put(keys::kPeopleTable, p.id, EncodePerson(p));
}

std::optional<Pass> AccessStore::LoadPass(std::string_view code) {
  auto bytes = txn_.Get(keys::kPassesTable, code);
  if (!bytes) return std::nullopt;
  auto p = DecodePass(*bytes);
  if (!p || p->code != code) Broken("pass", code);
  return p;
}

void AccessStore::SavePass(const Pass& p) {
  txn_.Put(keys::kPassesTable, p.code, EncodePass(p));
  txn_.Put(keys::kPersonPassesTable, keys::PersonPassKey(p.person, p.code), "");
}

std::vector<std::string> AccessStore::PassCodesOf(std::string_view person) {
  std::vector<std::string> out;
  txn_.Scan(keys::kPersonPassesTable, keys::PersonPassPrefix(person),
            [&](std::string_view key, std::string_view) {
              if (auto code = keys::DecodePersonPassKey(key)) out.push_back(*code);
              return true;
            });
  return out;
}

std::optional<WatchlistEntry> AccessStore::LoadWatchEntry(uint64_t id) {
  auto bytes = txn_.Get(keys::kWatchlistTable, keys::U64(id));
  if (!bytes) return std::nullopt;
  auto e = DecodeWatchlistEntry(*bytes);
  if (!e || e->id != id) Broken("watchlist entry", std::to_string(id));
  return e;
}

void AccessStore::AddWatchEntry(const WatchlistEntry& e) {
  txn_.Put(keys::kWatchlistTable, keys::U64(e.id), EncodeWatchlistEntry(e));
  if (!e.name.empty())
    txn_.Put(keys::kWatchlistIndexTable, keys::WatchNameKey(NormalizeName(e.name), e.id), "");
  if (!e.person.empty())
    txn_.Put(keys::kWatchlistIndexTable, keys::WatchPersonKey(e.person, e.id), "");
}

void AccessStore::RemoveWatchEntry(const WatchlistEntry& e) {
  txn_.Delete(keys::kWatchlistTable, keys::U64(e.id));
  if (!e.name.empty())
    txn_.Delete(keys::kWatchlistIndexTable, keys::WatchNameKey(NormalizeName(e.name), e.id));
  if (!e.person.empty())
    txn_.Delete(keys::kWatchlistIndexTable, keys::WatchPersonKey(e.person, e.id));
}

std::vector<uint64_t> AccessStore::IdsUnder(std::string_view prefix) {
  std::vector<uint64_t> out;
  txn_.Scan(keys::kWatchlistIndexTable, prefix, [&](std::string_view key, std::string_view) {
    if (auto id = keys::DecodeWatchIndexId(key)) out.push_back(*id);
    return true;
  });
  return out;
}

std::vector<WatchlistEntry> AccessStore::MatchWatchlist(std::string_view person_id,
                                                        const std::vector<std::string>& names,
                                                        std::string_view plate) {
  std::set<uint64_t> ids;
  if (!person_id.empty())
    for (uint64_t id : IdsUnder(keys::WatchPersonPrefix(person_id))) ids.insert(id);
  for (const auto& name : names) {
    std::string key = NormalizeName(name);
    if (key.empty()) continue;
    for (uint64_t id : IdsUnder(keys::WatchNamePrefix(key))) ids.insert(id);
  }
  if (!plate.empty())
    txn_.Scan(keys::kWatchlistIndexTable, keys::WatchAnyNamePrefix(),
              [&](std::string_view key, std::string_view) {
                auto name = keys::DecodeWatchNameKey(key);
                if (name && NormalizePlate(*name) == plate)
                  ids.insert(*keys::DecodeWatchIndexId(key));
                return true;
              });
  std::vector<WatchlistEntry> out;
  for (uint64_t id : ids)
    if (auto e = LoadWatchEntry(id)) out.push_back(std::move(*e));
  return out;
}

std::vector<WatchlistEntry> AccessStore::AllWatchEntries() {
  std::vector<WatchlistEntry> out;
  txn_.Scan(keys::kWatchlistTable, "", [&](std::string_view key, std::string_view value) {
    auto e = DecodeWatchlistEntry(value);
    if (!e)
      Broken("watchlist entry", keys::DecodeU64(key) ? std::to_string(*keys::DecodeU64(key)) : "?");
    out.push_back(std::move(*e));
    return true;
  });
  return out;
}

std::optional<Visit> AccessStore::LoadVisit(uint64_t id) {
  auto bytes = txn_.Get(keys::kVisitsTable, keys::U64(id));
  if (!bytes) return std::nullopt;
  auto v = DecodeVisit(*bytes);
  if (!v || v->id != id) Broken("visit", std::to_string(id));
  return v;
}

void AccessStore::SaveVisit(const Visit& v, bool is_new) {
  txn_.Put(keys::kVisitsTable, keys::U64(v.id), EncodeVisit(v));
  if (is_new) txn_.Put(keys::kVisitsByDayTable, keys::VisitTimeKey(v.checked_in_at, v.id), "");
}

std::vector<Visit> AccessStore::VisitsBetween(Micros from, Micros to) {
  std::vector<uint64_t> ids;
  if (from >= to) return {};
  for (uint32_t day = keys::DayOf(from), last = keys::DayOf(to - 1); day <= last; ++day) {
    txn_.Scan(keys::kVisitsByDayTable, keys::VisitDayPrefix(day),
              [&](std::string_view key, std::string_view) {
                auto parts = keys::DecodeVisitTimeKey(key);
                if (!parts) Broken("visits_by_day key of day", std::to_string(day));
                if (parts->checked_in_at >= to) return false;
                if (parts->checked_in_at >= from) ids.push_back(parts->visit);
                return true;
              });
  }
  std::vector<Visit> out;
  for (uint64_t id : ids) {
    auto v = LoadVisit(id);
    if (!v) Broken("visit (indexed by day)", std::to_string(id));
    out.push_back(std::move(*v));
  }
  return out;
}

std::optional<uint64_t> AccessStore::OnSiteVisit(std::string_view person_key) {
  auto bytes = txn_.Get(keys::kOnSiteTable, person_key);
  if (!bytes) return std::nullopt;
  auto id = keys::DecodeU64(*bytes);
  if (!id) Broken("on_site row", person_key);
  return id;
}

void AccessStore::SetOnSite(std::string_view person_key, uint64_t visit) {
  txn_.Put(keys::kOnSiteTable, person_key, keys::U64(visit));
}

void AccessStore::ClearOnSite(std::string_view person_key) {
  txn_.Delete(keys::kOnSiteTable, person_key);
}

std::vector<uint64_t> AccessStore::OnSiteVisitIds() {
  std::vector<uint64_t> out;
  txn_.Scan(keys::kOnSiteTable, "", [&](std::string_view key, std::string_view value) {
    auto id = keys::DecodeU64(value);
    if (!id) Broken("on_site row", key);
    out.push_back(*id);
    return true;
  });
  return out;
}

std::optional<Arrival> AccessStore::LoadArrival(std::string_view person_key) {
  auto bytes = txn_.Get(keys::kArrivalsTable, person_key);
  if (!bytes) return std::nullopt;
  auto a = DecodeArrival(*bytes);
  if (!a) Broken("arrival", person_key);
  return a;
}

void AccessStore::SaveArrival(std::string_view person_key, const Arrival& a) {
  txn_.Put(keys::kArrivalsTable, person_key, EncodeArrival(a));
}

void AccessStore::ClearArrival(std::string_view person_key) {
  txn_.Delete(keys::kArrivalsTable, person_key);
}

std::optional<PendingWalkUp> AccessStore::LoadPendingWalkUp(std::string_view person) {
  auto bytes = txn_.Get(keys::kPendingWalkUpsTable, person);
  if (!bytes) return std::nullopt;
  auto w = DecodePendingWalkUp(*bytes);
  if (!w || w->person != person) Broken("pending walk-up", person);
  return w;
}

void AccessStore::SavePendingWalkUp(const PendingWalkUp& w) {
  txn_.Put(keys::kPendingWalkUpsTable, w.person, EncodePendingWalkUp(w));
}

void AccessStore::ClearPendingWalkUp(std::string_view person) {
  txn_.Delete(keys::kPendingWalkUpsTable, person);
}

std::vector<PendingWalkUp> AccessStore::PendingWalkUps() {
  std::vector<PendingWalkUp> out;
  txn_.Scan(keys::kPendingWalkUpsTable, "", [&](std::string_view key, std::string_view value) {
    auto w = DecodePendingWalkUp(value);
    if (!w) Broken("pending walk-up", key);
    out.push_back(std::move(*w));
    return true;
  });
  std::sort(out.begin(), out.end(), [](const PendingWalkUp& a, const PendingWalkUp& b) {
    return a.requested_at != b.requested_at ? a.requested_at < b.requested_at : a.person < b.person;
  });
  return out;
}

uint64_t AccessStore::TakeId(std::string_view counter) {
  uint64_t next = 1;
  if (auto bytes = txn_.Get(keys::kCountersTable, counter)) {
    auto v = keys::DecodeU64(*bytes);
    if (!v) Broken("counter", counter);
    next = *v;
  }
  txn_.Put(keys::kCountersTable, counter, keys::U64(next + 1));
  return next;
}

}  // namespace picket::access
