#include "runtime/log_limiter.h"

#include <catch2/catch.hpp>

namespace picket {

TEST_CASE("LogLimiter passes a burst per period and reports what it held back", "[log_limiter]") {
  LogLimiter limiter(2, 1000);
  uint64_t suppressed = 99;
  CHECK(limiter.Allow(0, &suppressed));
  CHECK(suppressed == 0);
  CHECK(limiter.Allow(10, &suppressed));
  CHECK_FALSE(limiter.Allow(20, &suppressed));
  CHECK_FALSE(limiter.Allow(30, &suppressed));
  CHECK_FALSE(limiter.Allow(999, &suppressed));
  CHECK(limiter.Allow(1000, &suppressed));
  CHECK(suppressed == 3);
  CHECK(limiter.Allow(1001, &suppressed));
  CHECK(suppressed == 0);
}

}  // namespace picket
