// The Gates page's live feed: picket-access's decisions at the gates (granted, denied,
// watchlist hit, unregistered entry), the most recent `keep` of them, stored in the
// console's own table so that a restart shows the same feed.
//
// Stored layout (DO NOT CHANGE; pinned by gate_feed_test.cc):
//   console_gate  key u64 seq   value: format 1, at, type, actor, post, gate, person,
//                                      pass_code, reason, direction
//   console_gate  key "count"   value: u64 rows held (keys of 8 bytes are seqs)
// Pure: standard library, base/, domain/record_codec, wire/event_names.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/txn.h"

namespace picket::console {

inline constexpr char kGateTable[] = "console_gate";

struct GateEvent {
  std::string type;  // event_names::kAccessGranted, ...
  uint64_t seq = 0;
  Micros at = 0;      // the bus's receive time
  std::string actor;  // the guard at the gate
  std::string post, gate, person, pass_code;
  std::string reason;     // denied: the reason; watchlist hit: the entry's; unregistered: note
  std::string direction;  // "in", "out" or ""
};

bool IsGateEventType(std::string_view type);

// Stores `event` and drops the oldest row beyond `keep` (>= 1).
void AppendGateEvent(Txn& state, const GateEvent& event, size_t keep);
// The stored events, oldest first.
std::vector<GateEvent> LoadGateEvents(Txn& state);

std::string EncodeGateEvent(const GateEvent& e);
std::optional<GateEvent> DecodeGateEvent(std::string_view bytes);

}  // namespace picket::console
