// bus_status: one BusReply frame as `picketctl status` reads it (picketctl/bus_status.h,
// ParseStatusReply), then printed for people (FormatStatus) and as JSON
// (StatusToJsonLine). Invariant: a report's lag is head - applied
// (0 when the subscriber is ahead).
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_support.h"
#include "picketctl/bus_status.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace picket;
  std::string error;
  auto report = ParseStatusReply(fuzz::Bytes(data, size), &error);
  if (!report) {
    fuzz::Require(!error.empty(), "a refused reply has a message");
    return 0;
  }
  for (const auto& s : report->subscribers)
    fuzz::Require(
        s.lag == (report->head_seq > s.applied_seq ? report->head_seq - s.applied_seq : 0),
        "lag is head - applied");
  (void)FormatStatus(*report);
  (void)StatusToJsonLine(*report);  // what picketctl status --json prints
  return 0;
}
