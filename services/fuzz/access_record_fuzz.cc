// access_record: the stored rows of picket-access's families as its store reads them back
// (access/core/access_types.h over domain/record_codec.h: DecodePerson, DecodePass,
// DecodeVisit, DecodeWatchlistEntry, DecodeArrival, DecodePendingWalkUp). The first byte
// picks the row kind: its value mod 7 is 0 or 5 a person, 1 a pass, 2 a visit, 3 a
// watchlist entry, 4 an arrival, 6 a pending walk-up. Invariant: a row that decodes re-encodes to a
// row decoding to the same value, whose encoding is stable (an older, shorter row gains its
// appended fields once).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "access/core/access_types.h"
#include "fuzz/fuzz_support.h"

namespace {

template <class Decode, class Encode>
void RoundTrip(std::string_view row, Decode decode, Encode encode, const char* what,
               const char* stable) {
  auto value = decode(row);
  if (!value) return;
  std::string bytes = encode(*value);
  auto again = decode(bytes);
  picket::fuzz::Require(again.has_value() && *again == *value, what);
  picket::fuzz::Require(encode(*again) == bytes, stable);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace picket::access;
  if (size == 0) return 0;
  auto row = picket::fuzz::Bytes(data + 1, size - 1);
  switch (data[0] % 7) {
    case 0:
    case 5:
      RoundTrip(row, DecodePerson, EncodePerson, "person: decode(encode(x)) == x",
                "person: encoding is stable");
      break;
    case 1:
      RoundTrip(row, DecodePass, EncodePass, "pass: decode(encode(x)) == x",
                "pass: encoding is stable");
      break;
    case 2:
      RoundTrip(row, DecodeVisit, EncodeVisit, "visit: decode(encode(x)) == x",
                "visit: encoding is stable");
      break;
    case 3:
      RoundTrip(row, DecodeWatchlistEntry, EncodeWatchlistEntry,
                "watchlist entry: decode(encode(x)) == x", "watchlist entry: encoding is stable");
      break;
    case 4:
      RoundTrip(row, DecodeArrival, EncodeArrival, "arrival: decode(encode(x)) == x",
                "arrival: encoding is stable");
      break;
    default:
      RoundTrip(row, DecodePendingWalkUp, EncodePendingWalkUp,
                "pending walk-up: decode(encode(x)) == x", "pending walk-up: encoding is stable");
      break;
  }
  return 0;
}
