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

TEST_CASE("LogLimiter hands over what it held back once the period is over, once",
          "[log_limiter]") {
  LogLimiter limiter(2, 1000);
  uint64_t suppressed = 0;
  CHECK(limiter.TakeSuppressed(0) == 0);  // nothing held back
  CHECK(limiter.Allow(0, &suppressed));
  CHECK(limiter.Allow(1, &suppressed));
  CHECK_FALSE(limiter.Allow(2, &suppressed));
  CHECK_FALSE(limiter.Allow(3, &suppressed));
  CHECK(limiter.TakeSuppressed(999) == 0);  // the period is not over
  CHECK(limiter.TakeSuppressed(1000) == 2);
  CHECK(limiter.TakeSuppressed(5000) == 0);  // reported once
  CHECK(limiter.Allow(5001, &suppressed));
  CHECK(suppressed == 0);  // not again by the next line either
}

}  // namespace picket
