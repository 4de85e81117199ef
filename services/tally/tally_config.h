// Reads [tally] of site.toml (docs/configuration.md).
#pragma once

#include <toml++/toml.h>

#include <optional>
#include <string>

#include "tally/core/tally.h"

namespace picket::tally {

// Nullopt and *error (file: tally.key: what) for a bad value or an unknown key.
std::optional<TallyConfig> ReadTallyConfig(const toml::table& root, const std::string& path,
                                           std::string* error);

}  // namespace picket::tally
