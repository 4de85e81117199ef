// Every table, key and timer encoding of picket-access's state, in one place.
//
// DO NOT CHANGE any name or encoding here: they are the on-disk format of the service's
// RocksDB (one column family per table). access_keys_test.cc pins them byte for byte;
// docs/access.md describes the layout. Integers are big-endian (base/big_endian.h) so
// byte order is numeric order; text parts of a composite key end with a 0x00 byte (ids,
// codes and normalized names never contain one).
//
//   table             key                                   value
//   people            person id                             EncodePerson
//   passes            pass code                             EncodePass
//   person_passes     person id | 0x00 | pass code          "" (a person's passes)
//   watchlist         u64 entry id                          EncodeWatchlistEntry
//   watchlist_index   'n' | normalized name | 0x00 | u64 id "" (entries by name)
//                     'p' | person id | 0x00 | u64 id       "" (entries by person id)
//   visits            u64 visit id                          EncodeVisit
//   visits_by_day     u32 UTC day | u64 check-in | u64 id   "" (visits by entry time)
//   on_site           person key                            u64 visit id (open visits)
//   arrivals          person key                            EncodeArrival (waiting)
//   access_counters   "next_visit_id" | "next_watch_id"     u64: the next id to give
//   pending_walkups   person id                             EncodePendingWalkUp (waiting
//                                                           for approval)
//   timers (runtime)  "ovs/" | u64 visit id                 u32 overstay number it raises
//
// A "person key" is the person id, or for a manual entry of someone unregistered, the
// name as typed. Check-in times in visits_by_day are Micros + 2^63 (so negative times
// still sort); the UTC day is floor(check-in / 1 day) + 2^31 for the same reason.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"

namespace picket::access::keys {

inline constexpr std::string_view kPeopleTable = "people";
inline constexpr std::string_view kPassesTable = "passes";
inline constexpr std::string_view kPersonPassesTable = "person_passes";
inline constexpr std::string_view kWatchlistTable = "watchlist";
inline constexpr std::string_view kWatchlistIndexTable = "watchlist_index";
inline constexpr std::string_view kVisitsTable = "visits";
inline constexpr std::string_view kVisitsByDayTable = "visits_by_day";
inline constexpr std::string_view kOnSiteTable = "on_site";
inline constexpr std::string_view kArrivalsTable = "arrivals";
inline constexpr std::string_view kCountersTable = "access_counters";
inline constexpr std::string_view kPendingWalkUpsTable = "pending_walkups";
inline constexpr std::string_view kNextVisitIdKey = "next_visit_id";
inline constexpr std::string_view kNextWatchIdKey = "next_watch_id";

// The state tables to declare when opening the store.
std::vector<std::string> AllTables();

std::string U64(uint64_t v);
std::optional<uint64_t> DecodeU64(std::string_view bytes);

std::string PersonPassKey(std::string_view person, std::string_view code);
std::string PersonPassPrefix(std::string_view person);
// The pass code of a person_passes key (after the prefix), or nullopt if malformed.
std::optional<std::string> DecodePersonPassKey(std::string_view key);

std::string WatchNameKey(std::string_view normalized_name, uint64_t id);
std::string WatchNamePrefix(std::string_view normalized_name);
std::string WatchPersonKey(std::string_view person, uint64_t id);
std::string WatchPersonPrefix(std::string_view person);
// The entry id at the end of a watchlist_index key.
std::optional<uint64_t> DecodeWatchIndexId(std::string_view key);
// The prefix of every by-name row ('n'), and the normalized name of one such key.
std::string WatchAnyNamePrefix();
std::optional<std::string> DecodeWatchNameKey(std::string_view key);

uint32_t DayOf(Micros t);  // biased UTC day number (see above)
std::string VisitDayPrefix(uint32_t day);
std::string VisitTimeKey(Micros checked_in_at, uint64_t visit);
struct VisitTimeKeyParts {
  Micros checked_in_at = 0;
  uint64_t visit = 0;
};
std::optional<VisitTimeKeyParts> DecodeVisitTimeKey(std::string_view key);

// The overstay timer of a visit; its payload is the overstay number it will raise (1 for
// the first, 2 for the first repeat, ...).
std::string OverstayTimerId(uint64_t visit);
std::optional<uint64_t> DecodeOverstayTimerId(std::string_view timer_id);
std::string OverstayPayload(uint32_t number);
std::optional<uint32_t> DecodeOverstayPayload(std::string_view payload);

}  // namespace picket::access::keys
