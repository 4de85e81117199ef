// patrol_config: the text of a site.toml as picket-patrol reads its [patrol] section
// (patrol/patrol_config_toml.h, ParsePatrolConfig: toml++, the runtime's ConfigReader, zone
// names resolved from /usr/share/zoneinfo, then the core's ValidatePatrolConfig).
// Invariants: an accepted config passes ValidatePatrolConfig again (checkpoints, routes
// and schedules well formed and consistent, no overlapping rounds); its time_zone parses
// as a POSIX rule (a zone name was resolved); its command endpoint is tcp:// or ipc://,
// reply_wait, skew_limit and skew_window in their ranges; every schedule has a next
// occurrence after now, due after now (schedule.h: only a schedule without a start time
// or a day has none); a refusal says why.
#include <cstddef>
#include <cstdint>
#include <string>

#include "domain/site_time.h"
#include "fuzz/fuzz_support.h"
#include "patrol/core/schedule.h"
#include "patrol/patrol_config_toml.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace picket;
  using namespace picket::patrol;
  std::string error;
  auto text = fuzz::Bytes(data, size);
  auto config = ParsePatrolConfig(text, "/nonexistent/fuzz/site.toml", &error);
  if (!config) {
    fuzz::Require(!error.empty(), "a refused config has a message");
    return 0;
  }
  const PatrolConfig& p = config->patrol;
  fuzz::Require(ValidatePatrolConfig(p).empty(), "an accepted config validates");
  std::string why;
  auto zone = TimeZoneRule::Parse(p.time_zone, &why);
  fuzz::Require(zone.has_value(), "the time zone is a POSIX rule");
  fuzz::Require(config->commands.starts_with("tcp://") || config->commands.starts_with("ipc://"),
                "the command endpoint is tcp:// or ipc://");
  fuzz::Require(config->reply_wait >= 0 && config->reply_wait <= 30 * kMicrosPerSecond,
                "reply_wait within 0..30 s");
  constexpr Micros kDay = 24 * 60 * kMinute;
  fuzz::Require(p.skew_limit >= kMicrosPerSecond && p.skew_limit <= kDay,
                "skew_limit within 1 s..1 d");
  fuzz::Require(p.skew_window >= kMinute && p.skew_window <= kDay, "skew_window within 1 min..1 d");
  constexpr Micros kNow = 1'781'121'000'000'000;  // 2026-06-10 19:50 UTC
  for (const auto& s : p.schedules) {
    auto next = NextOccurrence(s, *zone, kNow);
    fuzz::Require(next.has_value(), "a valid schedule has a next occurrence");
    fuzz::Require(next->due > kNow, "the next occurrence is due after now");
  }
  return 0;
}
