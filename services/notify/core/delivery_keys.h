// Every table, key and timer encoding of picket-notify's state, in one place.
//
// DO NOT CHANGE any name or encoding here: they are the on-disk format of the service's
// RocksDB and, for DeliveryId, what receivers see as the Idempotency-Key.
// delivery_keys_test.cc pins them byte for byte; docs/notify.md describes the layout.
//
//   table              key                        value
//   deliveries         16-byte delivery id        EncodeDelivery (delivery.h)
//   settled            u64 BE incident            u64 BE: the highest version it was
//                                                 acknowledged / resolved / cancelled at
//   timers (runtime)   TimerKey(due, TimerId(id)) TimerPayload(attempt due)
//                      TimerKey(due, SettledTimerId(incident))  u64 BE version (forget it)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace picket::notify::keys {

inline constexpr std::string_view kDeliveriesTable = "deliveries";
inline constexpr std::string_view kSettledTable = "settled";

// The state tables to declare when opening the store (ServiceStoreOptions::tables).
std::vector<std::string> AllTables();

// The id of the delivery of alert event `alert_id` (16 bytes) to `channel`:
// BLAKE2b-128("picket.notify.delivery.v1" 0x00 || alert_id || channel). Its hex is the
// Idempotency-Key, the same for every attempt and across restarts.
std::string DeliveryId(std::string_view alert_id, std::string_view channel);

// 2 lower-case hex digits per byte.
std::string Hex(std::string_view bytes);

// A delivery's timer in the runtime's timers family: "dlv/" + the 16-byte delivery id; the
// payload is the number of the attempt it starts (u32 BE).
std::string TimerId(std::string_view delivery_id);
std::optional<std::string> DecodeTimerId(std::string_view timer_id);
std::string TimerPayload(uint32_t attempt);
std::optional<uint32_t> DecodeTimerPayload(std::string_view payload);

// The timer that forgets an incident's settled row: "set/" + u64 BE incident; its payload
// is the version it forgets (u64 BE), so a newer settle keeps its row.
std::string SettledTimerId(uint64_t incident);
std::optional<uint64_t> DecodeSettledTimerId(std::string_view timer_id);
std::string U64(uint64_t v);  // 8 bytes big-endian (settled keys, values and payloads)
std::optional<uint64_t> DecodeU64(std::string_view bytes);

}  // namespace picket::notify::keys
