// Reading the `[escalation]` section of site.toml into an EscalationConfig.
//
// Every problem is reported, one line each, as "file:line:col: key.path: message" (the
// runtime's ConfigReader format), and unknown keys are errors. Checks beyond the types of
// values: a policy without levels; a wait that is zero, negative or malformed; a fallback
// without a person; repeat_from outside the levels; a rule naming an unknown event type,
// incident type or match field; an incident type naming an unknown policy; a key template
// that is malformed or names a field some triggering event does not carry; duplicate or
// empty procedure step ids; a post in two squads.
//
// Separate from the core library because it needs toml++ and the runtime's ConfigReader;
// the core takes the resulting values only.
#pragma once

#include <toml++/toml.h>

#include <optional>
#include <string>
#include <string_view>

#include "escalation/core/escalation_config.h"

namespace picket::escalation {

// Reads `root["escalation"]` (an absent section gives an empty config: no rules, nothing
// escalates). Returns nullopt and sets *error (lines joined by '\n') on any problem.
std::optional<EscalationConfig> ReadEscalationConfig(const toml::table& root,
                                                     const std::string& source_name,
                                                     std::string* error);

// Parses a whole site file's text and reads its `[escalation]` section (for tests and
// tools). TOML syntax errors are reported the same way.
std::optional<EscalationConfig> ParseEscalationConfig(std::string_view text,
                                                      const std::string& source_name,
                                                      std::string* error);

}  // namespace picket::escalation
