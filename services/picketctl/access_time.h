// Times on `picketctl access ...` command lines, and how its output shows them.
//
//   2026-11-28T14:00:00Z          RFC 3339 (also "2026-11-28T14:00:00.250Z" and a numeric
//                                 offset, "2026-11-28T15:00:00+01:00"; the date and time must
//                                 be valid: no 2026-02-30, no 24:00)
//   now                           the time picketctl runs
//   +8h, +30m, +2d, +90s, -7d     now plus or minus a duration (the configuration's syntax,
//                                 runtime ParseDurationMicros; at most 6 digits)
//
// Pure: `now` is passed in.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"

namespace picket {

// Parses an RFC 3339 date-time with seconds and a zone ("Z" or "+hh:mm"), years
// 0000..9999. Nullopt if malformed or not a real date or time.
std::optional<Micros> ParseRfc3339Micros(std::string_view text);

// Parses any of the forms above. Nullopt and *error ("'x' is not a time: give ...") if
// it is none of them.
std::optional<Micros> ParseAccessTime(std::string_view text, Micros now, std::string* error);

// "2026-11-28T14:00:00Z", or with milliseconds when there are any
// ("2026-11-28T14:00:00.250Z"); "-" for 0 (not set).
std::string FormatAccessTime(Micros at);

}  // namespace picket
