// Reading the `[scoring]` section of site.toml into a ScoringServiceConfig: the core's
// ScoringConfig (rules, squads and posts, periods, inspection categories, awards) and the
// adapter's endpoints.
//
// Every problem is reported, one line each, as "file:line:col: key.path: message", in file
// order; unknown keys are errors. Beyond the types of values: endpoints, durations, HH:MM
// shift times, period names, the time zone (a tz name such as "Europe/Berlin" or a POSIX
// rule: runtime/time_zone_names.h); then the core's ValidateScoringConfig against the
// registered event types (unknown event type, unknown field, reversals, ...), each
// sentence placed at the rule it is about. docs/configuration.md lists every key.
#pragma once

#include <toml++/toml.h>

#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "scoring/core/scoring_config.h"

namespace picket::scoring {

struct ScoringServiceConfig {
  ScoringConfig scoring;                          // validated; time_zone is a POSIX rule
  std::string commands = "tcp://127.0.0.1:7414";  // the command ROUTER (tcp:// or ipc://)
  std::string http = "127.0.0.1:7485";            // /metrics and /healthz; "" = none
  // How long the reply to a command that changed something waits for its events to be on
  // the bus (as patrol.reply_wait).
  Micros reply_wait = 1500 * kMicrosPerMilli;
};

// Reads `root["scoring"]`. An absent section gives the defaults: the default rules, no
// known posts (inspections are then refused), UTC, a week award. Nullopt and *error
// (lines joined by '\n') on any problem.
std::optional<ScoringServiceConfig> ReadScoringConfig(const toml::table& root,
                                                      const std::string& source_name,
                                                      std::string* error);

// Parses a whole site file's text and reads its `[scoring]` section (tests and tools).
std::optional<ScoringServiceConfig> ParseScoringConfig(std::string_view text,
                                                       const std::string& source_name,
                                                       std::string* error);

}  // namespace picket::scoring
