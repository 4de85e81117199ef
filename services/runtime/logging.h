// spdlog set-up shared by every binary: one logger, lines to stderr, with the service name.
#pragma once

#include <string>

namespace picket {

// Makes the default spdlog logger write "<time> <level> <service> <message>" to stderr.
// `level` is one of trace, debug, info, warn, error; returns false if it is not.
bool SetupLogging(const std::string& service, const std::string& level);

}  // namespace picket
