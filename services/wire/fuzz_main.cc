// libFuzzer target over FuzzOneFrame (built by scripts/fuzz with clang -fsanitize=fuzzer).
#include <cstddef>
#include <cstdint>

#include "testing/request_fuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  picket::FuzzOneFrame(data, size);
  return 0;
}
