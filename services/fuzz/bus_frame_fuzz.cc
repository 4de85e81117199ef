// bus_frame: one ZeroMQ frame as picket-bus and its clients read it: a BusRequest (publish,
// replay, progress) and a BusReply (replay batches, nacks), each published event checked
// (CheckPublishable) and rendered as JSON and as a tail line (testing/request_fuzz.h; the
// suite's request_fuzz_test runs the same entry with deterministic mutations).
#include <cstddef>
#include <cstdint>

#include "testing/request_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  picket::FuzzOneFrame(data, size);
  return 0;
}
