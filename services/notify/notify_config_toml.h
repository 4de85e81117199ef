// Reading the `[notify]` section of site.toml into a NotifyConfig.
//
// Every problem is reported, one line each, as "file:line:col: key.path: message" (the
// runtime's ConfigReader format); all of them at once, and unknown keys are errors.
// Beyond the types of values it refuses: a channel kind other than "webhook"; a URL that
// is not absolute http(s); neither or both of `secret` and `secret_file`; a secret shorter
// than 16 bytes or a secret file that cannot be read; a reserved or malformed extra
// header; a person or role naming a channel that is not defined; negative, zero or
// out-of-range durations; max_backoff below initial_backoff; an `http` that is not
// host:port.
//
// `secret_file` is read here, once, at start (a relative path is taken from the config
// file's directory); one trailing newline is dropped. The standing roles of people come
// from `[escalation.roster.people]` if present (read only; escalation validates it).
//
// Separate from the core library because it needs toml++ and the runtime's ConfigReader.
#pragma once

#include <toml++/toml.h>

#include <optional>
#include <string>
#include <string_view>

#include "notify/core/notify_config.h"

namespace picket::notify {

// Reads `root["notify"]` (absent: an empty config that delivers nothing). `source_name` is
// the config file's path (for messages and relative secret files). Nullopt + *error
// (lines joined by '\n') on any problem.
std::optional<NotifyConfig> ReadNotifyConfig(const toml::table& root,
                                             const std::string& source_name, std::string* error);

// Parses a whole site file's text and reads its [notify] section (tests, tools).
std::optional<NotifyConfig> ParseNotifyConfig(std::string_view text, const std::string& source_name,
                                              std::string* error);

}  // namespace picket::notify
