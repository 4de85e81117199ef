// scoring_config: the text of a site.toml as picket-scoring reads its [scoring] section
// (scoring/scoring_config_toml.h, ParseScoringConfig: toml++, the runtime's ConfigReader,
// zone names resolved from /usr/share/zoneinfo, conditions parsed (ParseCondition), then
// the core's ValidateScoringConfig against the registered event types).
// Invariants: an accepted config passes ValidateScoringConfig again with no problems and
// nothing more filled in (the same rules, each guard and post already resolved, the same
// categories and award periods); its time_zone parses as a POSIX rule (a zone name was
// resolved); its command endpoint is tcp:// or ipc://, reply_wait within 0..30 s,
// award_delay within 0..1 day, shift starts ascending minutes of the day, rules at most
// kMaxRules with points in range (0 only for a reversal), categories not empty; the core
// starts on it (OnStart on an empty state arms one award timer per award period, due
// after now); a refusal says why.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "domain/site_time.h"
#include "fuzz/fuzz_support.h"
#include "scoring/core/scoring.h"
#include "scoring/scoring_config_toml.h"
#include "scoring/wire_convert.h"
#include "testing/memory_txn.h"

namespace {

bool SameRules(const std::vector<picket::scoring::Rule>& a,
               const std::vector<picket::scoring::Rule>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].name != b[i].name || a[i].event != b[i].event || a[i].points != b[i].points ||
        a[i].guard != b[i].guard || a[i].post != b[i].post || a[i].when != b[i].when ||
        a[i].once != b[i].once || a[i].reverses != b[i].reverses || a[i].match != b[i].match)
      return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace picket;
  using namespace picket::scoring;
  static const EventCatalog catalog = BuildEventCatalog();
  std::string error;
  auto text = fuzz::Bytes(data, size);
  auto config = ParseScoringConfig(text, "/nonexistent/fuzz/site.toml", &error);
  if (!config) {
    fuzz::Require(!error.empty(), "a refused config has a message");
    return 0;
  }
  const ScoringConfig& s = config->scoring;
  ScoringConfig again = s;
  fuzz::Require(ValidateScoringConfig(again, catalog).empty(), "an accepted config validates");
  fuzz::Require(SameRules(again.rules, s.rules) && again.categories == s.categories &&
                    again.award_periods == s.award_periods,
                "validating an accepted config again fills in nothing more");
  std::string why;
  fuzz::Require(TimeZoneRule::Parse(s.time_zone, &why).has_value(),
                "the time zone is a POSIX rule");
  fuzz::Require(config->commands.starts_with("tcp://") || config->commands.starts_with("ipc://"),
                "the command endpoint is tcp:// or ipc://");
  fuzz::Require(config->reply_wait >= 0 && config->reply_wait <= 30 * kMicrosPerSecond,
                "reply_wait within 0..30 s");
  constexpr Micros kDay = 24 * 3600 * kMicrosPerSecond;
  fuzz::Require(s.award_delay >= 0 && s.award_delay <= kDay, "award_delay within 0..1 d");
  for (size_t i = 0; i < s.shift_starts.size(); ++i)
    fuzz::Require(s.shift_starts[i] >= 0 && s.shift_starts[i] < 24 * 60 &&
                      (i == 0 || s.shift_starts[i - 1] < s.shift_starts[i]),
                  "shift starts are ascending minutes of the day");
  fuzz::Require(s.rules.size() <= kMaxRules, "at most kMaxRules rules");
  for (const Rule& r : s.rules) {
    fuzz::Require(r.guard != kDefaultSubject && r.post != kDefaultSubject,
                  "a rule's guard and post are resolved");
    fuzz::Require(r.reverses.empty()
                      ? r.points != 0 && r.points >= -kMaxRulePoints && r.points <= kMaxRulePoints
                      : r.points == 0,
                  "a rule's points are in range, 0 only for a reversal");
  }
  fuzz::Require(!s.categories.empty(), "an accepted config has inspection categories");
  // The core starts on it: one award timer per configured period kind, due after now.
  constexpr Micros kNow = 1'781'092'800'000'000;  // 2026-06-10 12:00 UTC
  Scoring core(s);
  MemoryTxn state(Scoring::Tables());
  Effects fx = core.OnStart(state, kNow);
  fuzz::Require(fx.set.size() == s.award_periods.size() && fx.events.empty(),
                "the core arms one award timer per award period");
  for (const auto& t : fx.set) fuzz::Require(t.due > kNow, "an award timer is due after now");
  return 0;
}
