#include "patrol/core/patrol_store.h"

namespace picket::patrol {
namespace {

[[noreturn]] void Broken(std::string_view what, std::string_view which) {
  throw StoreError("patrol: " + std::string(what) + " '" + std::string(which) +
                   "' does not decode");
}

}  // namespace

std::optional<Round> PatrolStore::LoadRound(uint64_t id) {
  auto bytes = txn_.Get(keys::kRoundsTable, keys::U64(id));
  if (!bytes) return std::nullopt;
  auto r = DecodeRound(*bytes);
  if (!r || r->id != id) Broken("round", std::to_string(id));
  return r;
}

Round PatrolStore::IndexedRound(uint64_t id) {
  auto r = LoadRound(id);
  if (!r) throw StoreError("patrol: an index names round " + std::to_string(id) + ", missing");
  return std::move(*r);
}

void PatrolStore::SaveRound(const Round& r) {
  txn_.Put(keys::kRoundsTable, keys::U64(r.id), EncodeRound(r));
}

uint64_t PatrolStore::TakeRoundId() {
  uint64_t next = 1;
  if (auto bytes = txn_.Get(keys::kCountersTable, keys::kNextRoundIdKey)) {
    auto v = keys::DecodeU64(*bytes);
    if (!v) Broken("counter", keys::kNextRoundIdKey);
    next = *v;
  }
  txn_.Put(keys::kCountersTable, keys::kNextRoundIdKey, keys::U64(next + 1));
  return next;
}

void PatrolStore::AddToTimeIndex(const Round& r) {
  txn_.Put(keys::kRoundsByTimeTable, keys::RoundTimeKey(TimeOf(r), r.id), "");
}

std::vector<uint64_t> PatrolStore::RoundsBetween(Micros from, Micros to) {
  std::vector<uint64_t> ids;
  if (from >= to) return ids;
  for (uint32_t day = keys::DayOf(from), last = keys::DayOf(to - 1); day <= last; ++day) {
    txn_.Scan(keys::kRoundsByTimeTable, keys::RoundTimeDayPrefix(day),
              [&](std::string_view key, std::string_view) {
                auto parts = keys::DecodeRoundTimeKey(key);
                if (!parts) Broken("rounds_by_time key of day", std::to_string(day));
                if (parts->time >= to) return false;
                if (parts->time >= from) ids.push_back(parts->round);
                return true;
              });
  }
  return ids;
}

void PatrolStore::AddOpen(const Round& r) {
  txn_.Put(keys::kOpenRoundsTable, keys::OpenRoundKey(r.post, r.route, r.due, r.id), "");
}

void PatrolStore::RemoveOpen(const Round& r) {
  txn_.Delete(keys::kOpenRoundsTable, keys::OpenRoundKey(r.post, r.route, r.due, r.id));
}

std::vector<Round> PatrolStore::OpenRounds(std::string_view post, std::string_view route) {
  std::vector<uint64_t> ids;
  const std::string prefix =
      route.empty() ? keys::OpenPostPrefix(post) : keys::OpenRoutePrefix(post, route);
  txn_.Scan(keys::kOpenRoundsTable, prefix, [&](std::string_view key, std::string_view) {
    auto parts = keys::DecodeOpenRoundKey(key);
    if (!parts) Broken("open_rounds key of post", post);
    ids.push_back(parts->round);
    return true;
  });
  std::vector<Round> out;
  for (uint64_t id : ids) out.push_back(IndexedRound(id));
  return out;
}

std::optional<uint64_t> PatrolStore::ActiveRound(std::string_view post, std::string_view guard) {
  auto bytes = txn_.Get(keys::kActiveRoundsTable, keys::ActiveKey(post, guard));
  if (!bytes) return std::nullopt;
  auto id = keys::DecodeU64(*bytes);
  if (!id) Broken("active round of", guard);
  return id;
}

void PatrolStore::SetActive(const Round& r) {
  txn_.Put(keys::kActiveRoundsTable, keys::ActiveKey(r.post, r.guard), keys::U64(r.id));
}

void PatrolStore::ClearActive(const Round& r) {
  if (ActiveRound(r.post, r.guard) == r.id)
    txn_.Delete(keys::kActiveRoundsTable, keys::ActiveKey(r.post, r.guard));
}

std::vector<uint64_t> PatrolStore::ActiveRounds(std::string_view post) {
  std::vector<uint64_t> ids;
  txn_.Scan(keys::kActiveRoundsTable, post.empty() ? "" : keys::ActivePostPrefix(post),
            [&](std::string_view key, std::string_view value) {
              auto id = keys::DecodeU64(value);
              if (!id) Broken("active_rounds row", key);
              ids.push_back(*id);
              return true;
            });
  return ids;
}

void PatrolStore::AddGuardRound(const Round& r) {
  txn_.Put(keys::kGuardRoundsTable, keys::GuardRoundKey(r.post, r.guard, r.started_at, r.id), "");
}

std::vector<keys::TimedRound> PatrolStore::GuardRoundsOnDay(std::string_view post,
                                                            std::string_view guard, uint32_t day) {
  std::vector<keys::TimedRound> out;
  txn_.Scan(keys::kGuardRoundsTable, keys::GuardDayPrefix(post, guard, day),
            [&](std::string_view key, std::string_view) {
              auto parts = keys::DecodeGuardRoundKey(key);
              if (!parts) Broken("guard_rounds key of", guard);
              out.push_back(*parts);
              return true;
            });
  return out;
}

std::optional<ScheduleState> PatrolStore::LoadSchedule(std::string_view id) {
  auto bytes = txn_.Get(keys::kSchedulesTable, id);
  if (!bytes) return std::nullopt;
  auto s = DecodeScheduleState(*bytes);
  if (!s || s->schedule != id) Broken("schedule state", id);
  return s;
}

void PatrolStore::SaveSchedule(const ScheduleState& s) {
  txn_.Put(keys::kSchedulesTable, s.schedule, EncodeScheduleState(s));
}

void PatrolStore::DeleteSchedule(std::string_view id) { txn_.Delete(keys::kSchedulesTable, id); }

std::vector<ScheduleState> PatrolStore::AllSchedules() {
  std::vector<ScheduleState> out;
  txn_.Scan(keys::kSchedulesTable, "", [&](std::string_view key, std::string_view value) {
    auto s = DecodeScheduleState(value);
    if (!s || s->schedule != key) Broken("schedule state", key);
    out.push_back(std::move(*s));
    return true;
  });
  return out;
}

std::optional<TerminalClock> PatrolStore::LoadClock(std::string_view terminal) {
  auto bytes = txn_.Get(keys::kTerminalClocksTable, terminal);
  if (!bytes) return std::nullopt;
  auto c = DecodeTerminalClock(*bytes);
  if (!c || c->terminal != terminal) Broken("terminal clock", terminal);
  return c;
}

void PatrolStore::SaveClock(const TerminalClock& c) {
  txn_.Put(keys::kTerminalClocksTable, c.terminal, EncodeTerminalClock(c));
}

}  // namespace picket::patrol
