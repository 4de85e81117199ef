// Every table, key and timer encoding of picket-escalation's state, in one place.
//
// DO NOT CHANGE any name or encoding here: they are the on-disk format of the service's
// RocksDB (one column family per table). incident_keys_test.cc pins them byte for byte;
// docs/escalation.md describes the layout. Integers are big-endian so byte order is
// numeric order.
//
//   table               key                                   value
//   incidents           u64 id                                EncodeIncident (incident.h)
//   incident_history    u64 id | u32 n                        EncodeHistoryEntry
//   incident_keys       type | 0x00 | rendered key            u64 id: the latest incident
//                                                             opened for that key
//   open_incidents      u64 id                                "" (pending/open/acknowledged)
//   escalation_counters "next_incident_id"                    u64: the next id to give
//   roster              "duty/" person                        domain/roster.h
//   timers (runtime)    runtime TimerKey(due, TimerId(id))    TimerPayload(version)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace picket::escalation::keys {

inline constexpr std::string_view kIncidentsTable = "incidents";
inline constexpr std::string_view kHistoryTable = "incident_history";
inline constexpr std::string_view kGroupKeysTable = "incident_keys";
inline constexpr std::string_view kOpenTable = "open_incidents";
inline constexpr std::string_view kCountersTable = "escalation_counters";
inline constexpr std::string_view kRosterTable = "roster";
inline constexpr std::string_view kNextIncidentIdKey = "next_incident_id";

// The state tables to declare when opening the store (ServiceStoreOptions::tables).
std::vector<std::string> AllTables();

std::string IncidentKey(uint64_t id);
std::optional<uint64_t> DecodeIncidentKey(std::string_view key);

std::string HistoryKey(uint64_t id, uint32_t n);
// The prefix of every history row of incident `id`.
std::string HistoryPrefix(uint64_t id);
struct HistoryKeyParts {
  uint64_t id = 0;
  uint32_t n = 0;
};
std::optional<HistoryKeyParts> DecodeHistoryKey(std::string_view key);

// `type` must not contain a 0x00 byte (config names cannot).
std::string GroupKey(std::string_view type, std::string_view rendered_key);

std::string EncodeId(uint64_t id);
std::optional<uint64_t> DecodeId(std::string_view bytes);

// The timer of incident `id` in the runtime's timers family: id "esc/" + u64 id; the
// payload is the incident version the timer was set for (u64).
std::string TimerId(uint64_t incident);
std::optional<uint64_t> DecodeTimerId(std::string_view timer_id);
std::string TimerPayload(uint64_t version);
std::optional<uint64_t> DecodeTimerPayload(std::string_view payload);

}  // namespace picket::escalation::keys
