// delivery_record: a stored row of picket-notify's deliveries table (also each attempt
// job's payload) as it is read back (notify/core/delivery.h, DecodeDelivery over
// domain/record_codec.h). Invariant: a row that decodes re-encodes to a row decoding to
// the same value, whose encoding is stable; its state is one of the stored numbers.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_support.h"
#include "notify/core/delivery.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace picket;
  using namespace picket::notify;
  auto d = DecodeDelivery(fuzz::Bytes(data, size));
  if (!d) return 0;
  fuzz::Require(d->state == DeliveryState::kScheduled || d->state == DeliveryState::kInFlight,
                "a known state");
  std::string bytes = EncodeDelivery(*d);
  auto again = DecodeDelivery(bytes);
  fuzz::Require(again.has_value() && *again == *d, "decode(encode(x)) == x");
  fuzz::Require(EncodeDelivery(*again) == bytes, "encoding is stable");
  return 0;
}
