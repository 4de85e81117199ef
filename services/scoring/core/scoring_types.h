// The values picket-scoring's core works with: a recorded event flattened for the rules
// (Fact), a ledger entry, the totals of a subject in a period, and an award.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>

#include "base/clock.h"

namespace picket::scoring {

// A scalar field of an event body. Cap'n Proto Bool -> bool; every integer (UInt64 ids,
// Int64 times and durations in µs, UInt32 counts) -> int64_t (a UInt64 over INT64_MAX is
// clamped to it); Text and enums (by their schema name, e.g. "in") -> std::string.
using FieldValue = std::variant<bool, int64_t, std::string>;
enum class FieldKind : uint8_t { kBool = 0, kInt = 1, kText = 2 };
FieldKind KindOf(const FieldValue& v);
std::string_view FieldKindName(FieldKind k);  // "bool", "integer", "text"

// A recorded bus event, as the adapter hands it to the core: its type, envelope and the
// scalar fields of its body by schema name (lists and structs are left out).
struct Fact {
  uint64_t seq = 0;  // the bus sequence number: the entry's cause
  std::string type;  // e.g. "patrol.checkpoint_missed"
  std::string producer, actor;
  Micros at = 0;        // observedAt: the periods its entries count in
  Micros recorded = 0;  // recordedAt
  std::map<std::string, FieldValue, std::less<>> fields;
};

// The fields each registered event type offers to rules: type -> field name -> kind. The
// adapter builds it from the schemas (wire/event_types.h); unit tests write one by hand.
using EventCatalog = std::map<std::string, std::map<std::string, FieldKind, std::less<>>, std::less<>>;

// Who an entry's points count for. DO NOT CHANGE the numbers: in keys and on the wire.
enum class SubjectKind : uint8_t { kGuard = 0, kPost = 1, kSquad = 2 };
std::string_view SubjectKindName(SubjectKind k);  // "guard", "post", "squad"

// One line of the ledger. Entries are never deleted; a voided one stops counting.
struct Entry {
  uint64_t id = 0;         // 1, 2, ... in the order entries were made (so a rebuild from the
                           // same events gives the same ids)
  uint64_t seq = 0;        // the bus seq of the event that caused it
  std::string event;       // its type
  std::string rule;        // the rule's name
  std::string label;       // the rule's label with {field}s filled in from the event
  int64_t points = 0;      // > 0 a reward, < 0 a penalty
  std::string guard, post, squad;  // the subjects it counts for ("" = none)
  Micros at = 0;           // the event's observed time
  bool voided = false;
  std::string void_reason;  // the supervisor's reason, or "reversed by <rule>"
  std::string voided_by;    // the supervisor (actor), or "rule:<name>" for a reversal
  uint64_t void_seq = 0;    // the bus seq of the event that reversed it (0 for a command)
  Micros voided_at = 0;
  friend bool operator==(const Entry&, const Entry&) = default;
};

// The points of one subject in one period, counting live (not voided) entries only.
struct Totals {
  int64_t points = 0;     // rewards + penalties
  int64_t rewards = 0;    // sum of positive entries (>= 0)
  int64_t penalties = 0;  // sum of negative entries (<= 0)
  uint32_t entries = 0;
  friend bool operator==(const Totals&, const Totals&) = default;
};

}  // namespace picket::scoring
