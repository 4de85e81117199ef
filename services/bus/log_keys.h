// Every key and value the bus stores in RocksDB, encoded in one place.
//
// DO NOT CHANGE any encoding or name in this file: it is the on-disk format of the site
// event log. A change needs a new kFormatVersion and a migration. docs/bus-storage.md
// describes the layout; log_keys_test.cc pins it byte for byte.
//
// Column families:
//   events       key EventKey(seq)          value: the recorded Event (flat Cap'n Proto
//                                            message, seq and recordedAt set)
//   dedup        key DedupKey(event id)     value: DedupValue{seq, recorded_at}
//   dedup_order  key EventKey(seq)          value: DedupOrderValue{event id, recorded_at}
//                (the dedup rows in the order they expire; pruning walks it from the front)
//   meta         key kMeta*                 value: EncodeU64 / EncodeI64
// All integers are big-endian so that byte order is numeric order (prefix/range scans).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/clock.h"
#include "wire/event_id.h"

namespace picket::bus_keys {

// DO NOT CHANGE: embedded in the on-disk format.
inline constexpr uint64_t kFormatVersion = 1;

inline constexpr char kEventsFamily[] = "events";
inline constexpr char kDedupFamily[] = "dedup";
inline constexpr char kDedupOrderFamily[] = "dedup_order";
inline constexpr char kMetaFamily[] = "meta";

// meta keys. DO NOT CHANGE.
inline constexpr char kMetaFormat[] = "format";            // U64: kFormatVersion
inline constexpr char kMetaHeadSeq[] = "head_seq";         // U64: last assigned seq (0 = none)
inline constexpr char kMetaFirstSeq[] = "first_seq";       // U64: lowest seq not deleted (>= 1)
inline constexpr char kMetaLastRecordedAt[] = "last_rec";  // I64: recordedAt of head_seq

// 8 bytes, big-endian.
std::string EncodeU64(uint64_t v);
std::optional<uint64_t> DecodeU64(std::string_view bytes);  // nullopt unless exactly 8 bytes
// Two's complement in 8 big-endian bytes (times are never negative in practice).
std::string EncodeI64(int64_t v);
std::optional<int64_t> DecodeI64(std::string_view bytes);

// events / dedup_order key.
inline std::string EventKey(uint64_t seq) { return EncodeU64(seq); }
inline std::optional<uint64_t> DecodeEventKey(std::string_view key) { return DecodeU64(key); }

// dedup key: the 16 id bytes as they are.
inline std::string DedupKey(const EventId& id) { return std::string(id.Bytes()); }
std::optional<EventId> DecodeDedupKey(std::string_view key);

struct DedupValue {
  uint64_t seq = 0;
  Micros recorded_at = 0;
  friend bool operator==(const DedupValue&, const DedupValue&) = default;
};
std::string EncodeDedupValue(const DedupValue& v);                   // 16 bytes: seq, recorded_at
std::optional<DedupValue> DecodeDedupValue(std::string_view bytes);  // nullopt unless 16 bytes

struct DedupOrderValue {
  EventId id;
  Micros recorded_at = 0;
  friend bool operator==(const DedupOrderValue&, const DedupOrderValue&) = default;
};
std::string EncodeDedupOrderValue(const DedupOrderValue& v);  // 24 bytes: id, recorded_at
std::optional<DedupOrderValue> DecodeDedupOrderValue(std::string_view bytes);

}  // namespace picket::bus_keys
