// Which service command endpoint `picketctl incident ...` (picket-escalation),
// `picketctl access ...` (picket-access) and `picketctl patrol ...` (picket-patrol) talk to:
//   --commands ENDPOINT                  if given;
//   else `[<section>] commands` in --config site.toml (else the service's default port);
//   and when that asks for any free port ("tcp://127.0.0.1:*"), the "commands" endpoint
//   the running service wrote in its ready file, <data_root>/<section>/ready.
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "picketctl/tool_keys.h"

namespace picket {

// One service's command endpoint in site.toml.
struct CommandService {
  std::string_view name;              // in messages: "picket-escalation"
  std::string_view section;           // its site.toml table and data dir: "escalation"
  std::string_view default_commands;  // when the table has no `commands`
};

inline constexpr std::string_view kDefaultEscalationCommands = "tcp://127.0.0.1:7411";
inline constexpr std::string_view kDefaultAccessCommands = "tcp://127.0.0.1:7412";
inline constexpr std::string_view kDefaultPatrolCommands = "tcp://127.0.0.1:7413";
inline constexpr CommandService kEscalationService{"picket-escalation", "escalation",
                                                   kDefaultEscalationCommands};
inline constexpr CommandService kAccessService{"picket-access", "access", kDefaultAccessCommands};
inline constexpr CommandService kPatrolService{"picket-patrol", "patrol", kDefaultPatrolCommands};

struct CommandTargetFlags {
  std::string config;    // "" = none
  std::string commands;  // "" = from the config
  std::string key = {};  // --key FILE ("" = the config's picketctl_key: tool_keys.h)
};
using EscalationTargetFlags = CommandTargetFlags;

// `<section>.commands` of a parsed site.toml, or the service's default when absent.
// nullopt and *error if it is present but not a non-empty string.
std::optional<std::string> CommandsFromToml(const CommandService& service, const toml::table& site,
                                            const std::string& source_name, std::string* error);
inline std::optional<std::string> EscalationCommandsFromToml(const toml::table& site,
                                                             const std::string& source_name,
                                                             std::string* error) {
  return CommandsFromToml(kEscalationService, site, source_name, error);
}

// The "commands" string of a service ready file's JSON ({"name", "pid", "commands", ...}).
// nullopt and *error if it is not a JSON object with a non-empty "commands" string.
std::optional<std::string> CommandsFromReady(std::string_view json, std::string* error);

// Resolves the endpoint as described above. Returns nullopt and sets *error when neither
// flag is given (a usage error), the config cannot be read (usage error), or the ready
// file is needed and cannot be read (then *service_missing is set: the service is not
// running).
std::optional<std::string> ResolveCommandsEndpoint(const CommandService& service,
                                                   const CommandTargetFlags& flags,
                                                   std::string* error, bool* service_missing);
// What a verb of a service's client needs before it calls: its --timeout as µs (a positive
// duration such as 5s), the service's endpoint and the keys to connect to it with
// (tool_keys.h; the service is listed under its section's name, e.g. "scoring"). Nullopt after
// printing why to `err` (each line prefixed by `who`, e.g. "picketctl score void: "), with
// *exit_code set: 2 for a usage error, 3 when the service's ready file is missing (it is not
// running).
struct CallTarget {
  int64_t timeout = 0;
  std::string endpoint;
  ClientIdentity identity;
};
std::optional<CallTarget> ResolveCallTarget(const std::string& who, const std::string& timeout,
                                            const CommandService& service,
                                            const CommandTargetFlags& flags, std::ostream& err,
                                            int* exit_code);

inline std::optional<std::string> ResolveEscalationEndpoint(const CommandTargetFlags& flags,
                                                            std::string* error,
                                                            bool* service_missing) {
  return ResolveCommandsEndpoint(kEscalationService, flags, error, service_missing);
}

}  // namespace picket
