#include "notify/core/backoff.h"

namespace picket::notify {
namespace {

// SplitMix64's finaliser: a well-mixed 64-bit value from any input.
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace

Micros BaseBackoff(const RetryPolicy& policy, uint32_t attempt) {
  Micros base = policy.initial_backoff;
  for (uint32_t i = 1; i < attempt && base < policy.max_backoff; ++i) base *= 2;
  return base < policy.max_backoff ? base : policy.max_backoff;
}

Micros RetryDelay(const RetryPolicy& policy, uint64_t seed, std::string_view delivery_id,
                  uint32_t attempt) {
  uint64_t h = Mix(seed);
  for (unsigned char c : delivery_id) h = Mix(h ^ c);
  h = Mix(h ^ attempt);
  Micros base = BaseBackoff(policy, attempt);
  Micros half = base / 2;
  Micros spread = base - half;  // j in [0, spread]
  return half + static_cast<Micros>(h % static_cast<uint64_t>(spread + 1));
}

}  // namespace picket::notify
