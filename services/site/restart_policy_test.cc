#include "site/restart_policy.h"
#include "testing/manual_clock.h"

#include <catch2/catch.hpp>

namespace picket {
namespace {

constexpr Micros kMs = kMicrosPerMilli;
constexpr Micros kS = kMicrosPerSecond;

RestartPolicyOptions Options() {
  RestartPolicyOptions o;
  o.initial_backoff = 100 * kMs;
  o.max_backoff = 1 * kS;
  o.stable_after = 5 * kS;
  return o;
}

// Starts at clock.Now(), runs for `uptime`, exits; returns the wait it was given and
// advances the clock past it (as the supervisor would before restarting).
Micros RunFor(RestartPolicy& policy, ManualClock& clock, Micros uptime) {
  policy.OnStarted(clock.Now());
  clock.Advance(uptime);
  Micros wait = policy.OnExited(clock.Now());
  clock.Advance(wait);
  return wait;
}

}  // namespace

TEST_CASE("A crash loop backs off exponentially up to the cap", "[restart_policy]") {
  ManualClock clock(1'000 * kS);
  RestartPolicy policy(Options());
  CHECK(RunFor(policy, clock, 10 * kMs) == 100 * kMs);
  CHECK(RunFor(policy, clock, 10 * kMs) == 200 * kMs);
  CHECK(RunFor(policy, clock, 10 * kMs) == 400 * kMs);
  CHECK(RunFor(policy, clock, 10 * kMs) == 800 * kMs);
  CHECK(RunFor(policy, clock, 10 * kMs) == 1 * kS);
  CHECK(RunFor(policy, clock, 10 * kMs) == 1 * kS);
  CHECK(policy.consecutive_failures() == 6);
}

TEST_CASE("A run that stayed up resets the backoff", "[restart_policy]") {
  ManualClock clock(1'000 * kS);
  RestartPolicy policy(Options());
  for (int i = 0; i < 4; ++i) RunFor(policy, clock, 1 * kMs);
  CHECK(policy.consecutive_failures() == 4);
  CHECK(RunFor(policy, clock, 5 * kS) == 100 * kMs);  // stayed up: forgiven
  CHECK(policy.consecutive_failures() == 1);
  CHECK(policy.last_uptime() == 5 * kS);
  CHECK(RunFor(policy, clock, 4 * kS) == 200 * kMs);  // not long enough: keeps growing
}

TEST_CASE("The first exit, however early, waits the initial backoff", "[restart_policy]") {
  ManualClock clock(0);
  RestartPolicy policy(Options());
  CHECK(RunFor(policy, clock, 0) == 100 * kMs);
}

TEST_CASE("An initial backoff above the cap is clamped to it", "[restart_policy]") {
  RestartPolicyOptions o = Options();
  o.initial_backoff = 5 * kS;
  ManualClock clock(0);
  RestartPolicy policy(o);
  CHECK(RunFor(policy, clock, 0) == 1 * kS);
  CHECK(RunFor(policy, clock, 0) == 1 * kS);
}

TEST_CASE("A clock that steps back does not give a negative uptime", "[restart_policy]") {
  RestartPolicy policy(Options());
  policy.OnStarted(10 * kS);
  CHECK(policy.OnExited(9 * kS) == 100 * kMs);
  CHECK(policy.last_uptime() == 0);
}

}  // namespace picket
