// Pieces every service's site.toml section reader shares, on top of ConfigReader: a fixed
// list of known keys, arrays of tables read element by element, the command and HTTP
// endpoints of a service on the kit, and the errors reported in file order.
#pragma once

#include <toml++/toml.h>

#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/config.h"

namespace picket {

// Reports every key of `r` not in `known` as "unknown key".
void RejectUnknown(ConfigReader& r, std::initializer_list<std::string_view> known);

// Calls fn with a reader for each table of the array `key` of `t` and its index (from 0;
// the readers' paths count from 1: "escalation.rules[1]"). Absent or empty: no call.
// Anything else than an array of tables is an error at `key` of `parent`. The elements'
// errors are appended to *errors.
void ForEachTable(ConfigReader& parent, const toml::table& t, const std::string& key,
                  const std::string& path, const std::string& source,
                  std::vector<std::string>* errors,
                  const std::function<void(ConfigReader&, const toml::table&, size_t)>& fn);

// `commands` (a tcp:// or ipc:// endpoint) and `http` (host:port, or "" for none) of a
// service's section: reads each into *commands / *http (which hold the defaults).
void ReadServiceEndpoints(ConfigReader& section, std::string* commands, std::string* http);

// Sorts `errors` ("file:line:col: ..." lines of `source`) by position, stably, and joins
// them with '\n' into *error. Returns true (and leaves *error alone) when there are none.
bool NoErrorsInFileOrder(std::vector<std::string> errors, const std::string& source,
                         std::string* error);

// "source:line:col: path: message" at `node`, or at `fallback` (e.g. the section) when
// `node` is null or has no position, or "source: path: message" when neither has one. For
// errors a section reader finds itself, beyond ConfigReader's (the core's validation).
std::string ErrorAt(const std::string& source, const toml::node* node, const toml::node* fallback,
                    const std::string& path, const std::string& message);

}  // namespace picket
