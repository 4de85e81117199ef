// Which bus picketctl talks to: from --config site.toml (the site id, the configured
// endpoints, or the bus's ready file when the configuration lets the bus pick its ports),
// overridden by explicit --ingest / --events / --replay / --site.
#pragma once

#include <optional>
#include <string>

#include "runtime/site_layout.h"

namespace picket {

struct BusTargetFlags {
  std::string config;                  // "" = none
  std::string ingest, events, replay;  // "" = from the config
  std::string site;                    // "" = the config's site id
};

struct BusTarget {
  BusEndpoints endpoints;  // empty strings where neither the config nor a flag says
  std::string site;
};

// Returns nullopt and sets *error if the config cannot be read, or if the bus's ready file
// is needed and missing (then *bus_missing is set: the bus is not running, not a usage
// error).
std::optional<BusTarget> ResolveBusTarget(const BusTargetFlags& flags, std::string* error,
                                          bool* bus_missing);

// *error = "no <what> endpoint: give --config site.toml or --<what> ENDPOINT" when
// `endpoint` is empty; returns whether it is set.
bool RequireEndpoint(const std::string& endpoint, const std::string& what, std::string* error);

}  // namespace picket
