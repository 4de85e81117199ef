// incident_record: the stored rows of picket-escalation's incidents family and history
// family as its store reads them back (escalation/core/incident.h, DecodeIncident and
// DecodeHistoryEntry over domain/record_codec.h). The first byte picks the row kind.
// Invariant: a row that decodes re-encodes to a row decoding to the same value, whose
// encoding is stable (an older, shorter row gains its appended fields once).
#include <cstddef>
#include <cstdint>
#include <string>

#include "escalation/core/incident.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace picket;
  using namespace picket::escalation;
  if (size == 0) return 0;
  auto row = fuzz::Bytes(data + 1, size - 1);
  if (data[0] % 2 == 0) {
    auto inc = DecodeIncident(row);
    if (!inc) return 0;
    std::string bytes = EncodeIncident(*inc);
    auto again = DecodeIncident(bytes);
    fuzz::Require(again.has_value() && *again == *inc, "incident: decode(encode(x)) == x");
    fuzz::Require(EncodeIncident(*again) == bytes, "incident: encoding is stable");
  } else {
    auto h = DecodeHistoryEntry(row);
    if (!h) return 0;
    std::string bytes = EncodeHistoryEntry(*h);
    auto again = DecodeHistoryEntry(bytes);
    fuzz::Require(again.has_value() && *again == *h, "history: decode(encode(x)) == x");
    fuzz::Require(EncodeHistoryEntry(*again) == bytes, "history: encoding is stable");
  }
  return 0;
}
