#include "domain/roster.h"

#include <algorithm>

#include "domain/record_codec.h"

namespace picket {
namespace {

constexpr std::string_view kDutyPrefix = "duty/";  // DO NOT CHANGE: stored

bool LongestOnDutyFirst(const OnDuty& a, const OnDuty& b) {
  if (a.since != b.since) return a.since < b.since;
  return a.person < b.person;
}

}  // namespace

Roster::Roster(const RosterConfig& config, Txn& txn, std::string table)
    : config_(config), txn_(txn), table_(std::move(table)) {}

std::string Roster::EncodeKey(std::string_view person) {
  return std::string(kDutyPrefix) + std::string(person);
}

std::string Roster::EncodeValue(const OnDuty& d) {
  record::RecordWriter w;
  w.String(d.post).String(d.role).I64(d.since);
  return w.Take();
}

std::optional<OnDuty> Roster::DecodeRow(std::string_view key, std::string_view value) {
  if (key.substr(0, kDutyPrefix.size()) != kDutyPrefix) return std::nullopt;
  OnDuty d;
  d.person = std::string(key.substr(kDutyPrefix.size()));
  record::RecordReader r(value);
  d.post = r.String();
  d.role = r.String();
  d.since = r.I64();
  if (!r.ok() || d.person.empty()) return std::nullopt;
  return d;
}

bool Roster::Apply(const ShiftStarted& s) {
  if (s.person.empty() || s.post.empty() || s.role.empty()) return false;
  txn_.Put(table_, EncodeKey(s.person), EncodeValue({s.person, s.post, s.role, s.at}));
  return true;
}

bool Roster::Apply(const ShiftEnded& s) {
  if (!DutyOf(s.person)) return false;
  txn_.Delete(table_, EncodeKey(s.person));
  return true;
}

std::optional<OnDuty> Roster::DutyOf(std::string_view person) {
  if (person.empty()) return std::nullopt;
  std::string key = EncodeKey(person);
  auto value = txn_.Get(table_, key);
  if (!value) return std::nullopt;
  return DecodeRow(key, *value);
}

std::vector<OnDuty> Roster::OnDutyNow() {
  std::vector<OnDuty> out;
  txn_.Scan(table_, kDutyPrefix, [&](std::string_view k, std::string_view v) {
    // An undecodable row is skipped rather than trusted; it can only come from a bug.
    if (auto d = DecodeRow(k, v)) out.push_back(std::move(*d));
    return true;
  });
  return out;
}

std::vector<OnDuty> Roster::HoldersOf(std::string_view role) {
  std::vector<OnDuty> out;
  for (auto& d : OnDutyNow())
    if (d.role == role) out.push_back(std::move(d));
  std::sort(out.begin(), out.end(), LongestOnDutyFirst);
  return out;
}

std::optional<std::string> Roster::LeaderOf(std::string_view post) {
  std::vector<OnDuty> leaders = HoldersOf(config_.leader_role);
  for (const auto& d : leaders)
    if (d.post == post) return d.person;
  auto squad = config_.squad_of_post.find(std::string(post));
  if (squad == config_.squad_of_post.end()) return std::nullopt;
  for (const auto& d : leaders) {
    auto other = config_.squad_of_post.find(d.post);
    if (other != config_.squad_of_post.end() && other->second == squad->second) return d.person;
  }
  return std::nullopt;
}

std::vector<std::string> Roster::EveryoneWith(std::string_view role) {
  std::vector<std::string> out;
  for (const auto& d : HoldersOf(role)) out.push_back(d.person);
  for (const auto& [person, roles] : config_.standing_roles) {
    if (std::find(roles.begin(), roles.end(), role) == roles.end()) continue;
    if (std::find(out.begin(), out.end(), person) == out.end()) out.push_back(person);
  }
  return out;
}

}  // namespace picket
