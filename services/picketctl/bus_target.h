// Which bus picketctl talks to: from --config site.toml (the site id, the configured
// endpoints, or the bus's ready file when the configuration lets the bus pick its ports),
// overridden by explicit --ingest / --events / --replay / --site; and the key to connect
// with (--key, or the config's [security] picketctl_key: tool_keys.h).
#pragma once

#include <optional>
#include <string>

#include "picketctl/tool_keys.h"
#include "runtime/site_layout.h"

namespace picket {

struct BusTargetFlags {
  std::string config;                  // "" = none
  std::string ingest, events, replay;  // "" = from the config
  std::string site;                    // "" = the config's site id
  std::string key = {};                // --key FILE ("" = the config's picketctl_key)
};

struct BusTarget {
  BusEndpoints endpoints;  // empty strings where neither the config nor a flag says
  std::string site;
  ClientIdentity identity;  // the keys for the bus (plain on a plain site)
};

// Returns nullopt and sets *error if the config cannot be read, the key cannot be resolved
// (a usage error), or if the bus's ready file
// is needed and missing (then *bus_missing is set: the bus is not running, not a usage
// error).
std::optional<BusTarget> ResolveBusTarget(const BusTargetFlags& flags, std::string* error,
                                          bool* bus_missing);

// *error = "no <what> endpoint: give --config site.toml or --<what> ENDPOINT" when
// `endpoint` is empty; returns whether it is set.
bool RequireEndpoint(const std::string& endpoint, const std::string& what, std::string* error);

}  // namespace picket
