// ResolveTimeZone: a site's time zone as configured — a tz database name
// ("Europe/Berlin") or a POSIX TZ rule ("CET-1CEST,M3.5.0,M10.5.0/3") — as the POSIX rule
// the cores evaluate (domain/site_time.h).
//
// A name is looked up once, at config load, in the zoneinfo directory: the rule is the
// footer of the TZif file (its last line, RFC 8536 section 3.3), which states the zone's
// current rule. So a running service never reads tzdata again, and a gate or a patrol
// deadline cannot change under it when the tzdata package is upgraded (the new rule is
// taken at the next start). Debian's `tzdata` package provides /usr/share/zoneinfo.
//
// Reads files; adapter code only (never a core). Thread-safe (no state).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace picket {

inline constexpr std::string_view kZoneInfoDir = "/usr/share/zoneinfo";

// The POSIX rule of `text`: `text` itself if it parses as a POSIX TZ rule, else the
// footer of <zoneinfo_dir>/<text> if `text` is a well-formed zone name (letters, digits,
// '_', '-', '+', '/' separated; no "..", no leading '/') whose file is a TZif file of
// version 2 or later with a footer that parses. Nullopt and *error (one sentence, naming
// what was tried) otherwise.
std::optional<std::string> ResolveTimeZone(std::string_view text, std::string* error,
                                           std::string_view zoneinfo_dir = kZoneInfoDir);

}  // namespace picket
