// Reading the `[patrol]` section of site.toml into a PatrolServiceConfig: the core's
// PatrolConfig (checkpoints, routes, schedules, time zone, skew) and the adapter's
// endpoints.
//
// Every problem is reported, one line each, as "file:line:col: key.path: message" (the
// runtime's ConfigReader format), in file order, and unknown keys are errors. Checks
// beyond the types of values: endpoints, durations and their ranges, HH:MM times, day
// names, `every`/`from`/`to` against `at`; the time zone (a zone name such as
// "Europe/Berlin", resolved once here, or a POSIX rule: runtime/time_zone_names.h); then
// the core's ValidatePatrolConfig (unknown checkpoints, leg bounds, overlapping rounds),
// each sentence placed at the element it is about. docs/configuration.md lists every key.
#pragma once

#include <toml++/toml.h>

#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "patrol/core/patrol_config.h"

namespace picket::patrol {

struct PatrolServiceConfig {
  PatrolConfig patrol;                            // validated; time_zone is a POSIX rule
  std::string commands = "tcp://127.0.0.1:7413";  // the command ROUTER (tcp:// or ipc://)
  std::string http = "127.0.0.1:7484";            // /metrics and /healthz; "" = none
  // How long the reply to a command that changed something waits for its events to be on
  // the bus (as access.reply_wait).
  Micros reply_wait = 1500 * kMicrosPerMilli;
};

// Reads `root["patrol"]`. An absent section gives the defaults: no routes, no schedules
// (every scan is then refused as unknown_tag). Nullopt and *error (lines joined by '\n')
// on any problem.
std::optional<PatrolServiceConfig> ReadPatrolConfig(const toml::table& root,
                                                    const std::string& source_name,
                                                    std::string* error);

// Parses a whole site file's text and reads its `[patrol]` section (tests and tools).
std::optional<PatrolServiceConfig> ParsePatrolConfig(std::string_view text,
                                                     const std::string& source_name,
                                                     std::string* error);

}  // namespace picket::patrol
