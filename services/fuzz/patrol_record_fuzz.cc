// patrol_record: the stored rows, keys and timer rows of picket-patrol's state as its store
// and timer handler read them back (patrol/core/patrol_types.h, schedule.h,
// patrol_keys.h). The first byte picks what the rest is (its value mod 9, in this order):
//   0 a rounds row (DecodeRound)            5 an open_rounds key (DecodeOpenRoundKey)
//   1 a terminal_clocks row                 6 a guard_rounds key (DecodeGuardRoundKey)
//     (DecodeTerminalClock)                 7 a timer id (DecodeScheduleTimerId,
//   2 a schedules row (DecodeScheduleState)   DecodeRoundTimerId)
//   3 a schedule timer's payload            8 a u64 value: patrol_counters, active_rounds
//     (DecodeOccurrence)                      (DecodeU64)
//   4 a rounds_by_time key (DecodeRoundTimeKey)
// Invariants: a record that decodes re-encodes to one decoding to the same value, whose
// encoding is stable (a row with bytes after its fields loses them once); a key, timer id
// or value that decodes is exactly what its encoder makes of the parts (a guard_rounds
// key: its day, time and round, the tail the decoder reads).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_support.h"
#include "patrol/core/patrol_keys.h"
#include "patrol/core/patrol_types.h"
#include "patrol/core/schedule.h"

namespace {

using picket::fuzz::Require;

template <class Decode, class Encode>
void RoundTrip(std::string_view row, Decode decode, Encode encode, const char* what,
               const char* stable) {
  auto value = decode(row);
  if (!value) return;
  std::string bytes = encode(*value);
  auto again = decode(bytes);
  Require(again.has_value() && *again == *value, what);
  Require(encode(*again) == bytes, stable);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace picket::patrol;
  namespace keys = picket::patrol::keys;
  if (size == 0) return 0;
  auto row = picket::fuzz::Bytes(data + 1, size - 1);
  switch (data[0] % 9) {
    case 0:
      RoundTrip(row, DecodeRound, EncodeRound, "round: decode(encode(x)) == x",
                "round: encoding is stable");
      break;
    case 1:
      RoundTrip(row, DecodeTerminalClock, EncodeTerminalClock,
                "terminal clock: decode(encode(x)) == x", "terminal clock: encoding is stable");
      break;
    case 2:
      RoundTrip(row, DecodeScheduleState, EncodeScheduleState,
                "schedule state: decode(encode(x)) == x", "schedule state: encoding is stable");
      break;
    case 3:
      RoundTrip(row, DecodeOccurrence, EncodeOccurrence, "occurrence: decode(encode(x)) == x",
                "occurrence: encoding is stable");
      break;
    case 4:
      if (auto k = keys::DecodeRoundTimeKey(row))
        Require(keys::RoundTimeKey(k->time, k->round) == row,
                "rounds_by_time key: encode(decode(k)) == k");
      break;
    case 5:
      if (auto k = keys::DecodeOpenRoundKey(row))
        Require(keys::OpenRoundKey(k->post, k->route, k->due, k->round) == row,
                "open_rounds key: encode(decode(k)) == k");
      break;
    case 6:
      if (auto k = keys::DecodeGuardRoundKey(row)) {
        // The decoder reads the last 20 bytes (day | time | round); the post and guard
        // before them are the scan's prefix.
        const std::string tail = keys::GuardRoundKey("", "", k->time, k->round).substr(2);
        Require(row.size() >= tail.size() && row.substr(row.size() - tail.size()) == tail,
                "guard_rounds key: its tail is encode(decode(k))");
      }
      break;
    case 7:
      if (auto s = keys::DecodeScheduleTimerId(row))
        Require(!s->empty() && keys::ScheduleTimerId(*s) == row,
                "schedule timer id: encode(decode(id)) == id");
      if (auto t = keys::DecodeRoundTimerId(row))
        Require(keys::RoundTimerId(t->kind, t->round) == row,
                "round timer id: encode(decode(id)) == id");
      Require(!(keys::DecodeScheduleTimerId(row) && keys::DecodeRoundTimerId(row)),
              "a timer id is a schedule's or a round's, not both");
      break;
    default:
      if (auto v = keys::DecodeU64(row))
        Require(keys::U64(*v) == row, "u64: encode(decode(v)) == v");
      break;
  }
  return 0;
}
