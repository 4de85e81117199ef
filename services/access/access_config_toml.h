// Reading the `[access]` section of site.toml into an AccessServiceConfig: the core's
// AccessConfig (gates, time zone, pass kinds, overstay, walk-ups, officers) and the
// adapter's endpoints.
//
// Every problem is reported, one line each, as "file:line:col: key.path: message" (the
// runtime's ConfigReader format), in file order, and unknown keys are errors. Checks
// beyond the types of values: endpoints, durations and their ranges, HH:MM-HH:MM hours
// (DailyHours::Parse), kind names other than visitor, contractor and staff; then the
// core's ValidateAccessConfig (the time zone, gate and post ids, duplicate gates, default
// gates that are not gates, officer ids, overstay_repeat), each of its sentences placed at
// the key it is about. docs/configuration.md lists every key.
//
// Separate from the core library because it needs toml++ and the runtime's ConfigReader;
// the core takes the resulting values only.
#pragma once

#include <toml++/toml.h>

#include <optional>
#include <string>
#include <string_view>

#include "access/core/access_config.h"
#include "base/clock.h"

namespace picket::access {

struct AccessServiceConfig {
  AccessConfig access;                            // validated: access.zone is parsed
  std::string commands = "tcp://127.0.0.1:7412";  // the command ROUTER (tcp:// or ipc://)
  std::string http = "127.0.0.1:7483";            // /metrics and /healthz; "" = none
  // How long the reply to a command that changed something waits for its events to be on
  // the bus (as escalation.reply_wait).
  Micros reply_wait = 1500 * kMicrosPerMilli;
};

// Reads `root["access"]`. An absent section gives the defaults: no gates (so every scan is
// refused as unknown_gate), UTC, the kinds' default rules. Returns nullopt and sets *error
// (lines joined by '\n') on any problem.
std::optional<AccessServiceConfig> ReadAccessConfig(const toml::table& root,
                                                    const std::string& source_name,
                                                    std::string* error);

// Parses a whole site file's text and reads its `[access]` section (for tests and tools).
// TOML syntax errors are reported the same way.
std::optional<AccessServiceConfig> ParseAccessConfig(std::string_view text,
                                                     const std::string& source_name,
                                                     std::string* error);

}  // namespace picket::access
