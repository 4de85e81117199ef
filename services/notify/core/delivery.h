// A delivery: one alert to one channel, and how far its attempts have got. Stored as one
// row of the `deliveries` table while it is pending; deleted when it succeeds or gives up
// (the bus keeps the record: one notify.delivery_* event per attempt).
//
// DO NOT CHANGE the encoding or the DeliveryState numbers: they are the on-disk format
// (delivery_keys_test.cc pins them byte for byte). Append fields only, read them only if
// present (domain/record_codec.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"

namespace picket::notify {

// The escalation.alert_raised event a delivery carries (wire::AlertRaised + envelope).
struct Alert {
  std::string event_id;    // the event's 16-byte id
  uint64_t seq = 0;        // its bus sequence number
  Micros recorded_at = 0;  // the bus's receive time: "raised_at" in the payload
  uint64_t incident = 0;
  uint64_t version = 0;
  std::string person;
  uint32_t level = 0;
  uint32_t pass = 0;
  bool fallback = false;
  std::string target;
  std::string reason;
  Micros lateness = 0;
  Micros respond_by = 0;  // retries stop then; 0 = no deadline (max_attempts only)
  // What happened, for the pager (appended later: "" in rows and alerts from before).
  std::string incident_type;
  std::string post;
  std::string severity;  // "low", "medium", "high", "critical"; "" if not given
  std::string note;      // the reporter's note
  friend bool operator==(const Alert&, const Alert&) = default;
};

// DO NOT CHANGE the numbers: stored.
enum class DeliveryState : uint8_t {
  kScheduled = 1,  // waiting for its timer row (due next_attempt_at) to start attempt + 1
  kInFlight = 2,   // attempt `attempts` has been started and its result is not recorded
};

struct Delivery {
  std::string id;  // 16 bytes, keys::DeliveryId(alert.event_id, channel)
  std::string channel;
  Alert alert;
  DeliveryState state = DeliveryState::kInFlight;
  uint32_t attempts = 0;       // attempts started (in flight: the running one's number)
  Micros next_attempt_at = 0;  // kScheduled: when attempt + 1 is due
  Micros created_at = 0;       // when the alert was applied
  // kInFlight only: non-empty once the incident was settled ("acknowledged", "resolved",
  // "cancelled") while this attempt was in flight, and the seq of the event that did it.
  // Then a failure is not retried, and an attempt not running yet is not sent. Appended
  // fields: rows written before they existed decode with "" and 0.
  std::string stopped;
  uint64_t stopped_by = 0;
  friend bool operator==(const Delivery&, const Delivery&) = default;
};

std::string EncodeDelivery(const Delivery& d);
// Nullopt if `bytes` is truncated or malformed (a bad state number included).
std::optional<Delivery> DecodeDelivery(std::string_view bytes);

}  // namespace picket::notify
