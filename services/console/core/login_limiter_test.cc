#include "console/core/login_limiter.h"

#include <catch2/catch.hpp>

namespace picket::console {
namespace {
constexpr Micros kMin = 60 * kMicrosPerSecond;
}

TEST_CASE("console: repeated failures lock an account, and the lock expires") {
  LoginLimiter l(LoginLimits{});
  for (int i = 0; i < 4; ++i) {
    REQUIRE(l.Attempt("10.0.0.1", "ann", true, i).allowed());
    REQUIRE_FALSE(l.Failed("ann", i));
  }
  REQUIRE(l.Attempt("10.0.0.1", "ann", true, 4).allowed());
  REQUIRE(l.Failed("ann", 4));                     // the fifth failure locks
  auto v = l.Attempt("10.0.0.2", "ann", true, 5);  // from anywhere
  REQUIRE(v.kind == LoginVerdict::Kind::kAccountLocked);
  REQUIRE(v.retry_after == 15 * kMin - 1);
  REQUIRE(l.Attempt("10.0.0.2", "bob", true, 5).allowed());  // others are not locked
  REQUIRE(l.Attempt("10.0.0.2", "ann", true, 4 + 15 * kMin).allowed());
}

TEST_CASE("console: failures spread wider than the window do not lock, a success clears them") {
  LoginLimiter l(LoginLimits{});
  for (int i = 0; i < 10; ++i) REQUIRE_FALSE(l.Failed("ann", i * 4 * kMin));
  for (int i = 0; i < 4; ++i) l.Failed("bob", i);
  l.Succeeded("bob");
  REQUIRE_FALSE(l.Failed("bob", 5));
}

TEST_CASE("console: one client address gets a bounded number of attempts per window") {
  LoginLimits limits;
  limits.max_attempts = 3;
  limits.max_clients = 2;
  LoginLimiter l(limits);
  for (int i = 0; i < 3; ++i) REQUIRE(l.Attempt("c1", "x", false, i).allowed());
  auto v = l.Attempt("c1", "x", false, 3);
  REQUIRE(v.kind == LoginVerdict::Kind::kClientLimited);
  REQUIRE(v.retry_after > 0);
  REQUIRE(l.Attempt("c1", "x", false, 5 * kMin + 1).allowed());
  // The table of clients stays bounded.
  l.Attempt("c2", "x", false, 5 * kMin + 2);
  l.Attempt("c3", "x", false, 5 * kMin + 3);
  REQUIRE(l.tracked_clients() == 2);
}

}  // namespace picket::console
