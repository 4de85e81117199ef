// Which picket-escalation command endpoint `picketctl incident ...` talks to:
//   --commands ENDPOINT                  if given;
//   else `[escalation] commands` in --config site.toml (default tcp://127.0.0.1:7411);
//   and when that asks for any free port ("tcp://127.0.0.1:*"), the "commands" endpoint
//   the running service wrote in its ready file, <data_root>/escalation/ready.
#pragma once

#include <toml++/toml.h>

#include <optional>
#include <string>
#include <string_view>

namespace picket {

inline constexpr std::string_view kDefaultEscalationCommands = "tcp://127.0.0.1:7411";

struct EscalationTargetFlags {
  std::string config;    // "" = none
  std::string commands;  // "" = from the config
};

// `escalation.commands` of a parsed site.toml, or kDefaultEscalationCommands when absent.
// nullopt and *error if it is present but not a non-empty string.
std::optional<std::string> EscalationCommandsFromToml(const toml::table& site,
                                                      const std::string& source_name,
                                                      std::string* error);

// The "commands" string of a service ready file's JSON ({"name", "pid", "commands", ...}).
// nullopt and *error if it is not a JSON object with a non-empty "commands" string.
std::optional<std::string> CommandsFromReady(std::string_view json, std::string* error);

// Resolves the endpoint as described above. Returns nullopt and sets *error when neither
// flag is given (a usage error), the config cannot be read (usage error), or the ready
// file is needed and cannot be read (then *service_missing is set: the service is not
// running).
std::optional<std::string> ResolveEscalationEndpoint(const EscalationTargetFlags& flags,
                                                     std::string* error, bool* service_missing);

}  // namespace picket
