// Exponential backoff with seeded jitter.
#include <catch2/catch.hpp>

#include <set>

#include "notify/core/backoff.h"

namespace picket::notify {

TEST_CASE("backoff: the base doubles from initial_backoff up to max_backoff", "[notify][backoff]") {
  RetryPolicy p;
  p.initial_backoff = 100 * kMicrosPerMilli;
  p.max_backoff = 1 * kMicrosPerSecond;
  CHECK(BaseBackoff(p, 1) == 100 * kMicrosPerMilli);
  CHECK(BaseBackoff(p, 2) == 200 * kMicrosPerMilli);
  CHECK(BaseBackoff(p, 4) == 800 * kMicrosPerMilli);
  CHECK(BaseBackoff(p, 5) == 1 * kMicrosPerSecond);
  CHECK(BaseBackoff(p, 1000) == 1 * kMicrosPerSecond);  // no overflow on a long chain
}

TEST_CASE("backoff: the wait lies in [base/2, base], is deterministic and is spread",
          "[notify][backoff]") {
  RetryPolicy p;
  p.initial_backoff = 1 * kMicrosPerSecond;
  p.max_backoff = 64 * kMicrosPerSecond;
  std::set<Micros> seen;
  for (int i = 0; i < 200; ++i) {
    std::string id = "delivery-" + std::to_string(i);
    for (uint32_t attempt = 1; attempt <= 8; ++attempt) {
      Micros base = BaseBackoff(p, attempt);
      Micros w = RetryDelay(p, 42, id, attempt);
      REQUIRE(w >= base / 2);
      REQUIRE(w <= base);
      REQUIRE(w == RetryDelay(p, 42, id, attempt));  // same inputs, same wait
    }
    seen.insert(RetryDelay(p, 42, id, 1));
  }
  CHECK(seen.size() > 150);  // 200 deliveries failing together do not retry together
  // Another seed draws other waits.
  int differ = 0;
  for (int i = 0; i < 50; ++i)
    differ += RetryDelay(p, 1, std::to_string(i), 3) != RetryDelay(p, 2, std::to_string(i), 3);
  CHECK(differ > 40);
}

}  // namespace picket::notify
