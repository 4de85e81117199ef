// Where a site's processes find each other on one machine: the data root, each process's
// data directory, and the bus's ready file with the endpoints it actually bound.
//
// Used by ServiceMain (every service's data directory and bus), picket-site (wait for the
// bus), picketctl and picket-sim (find the bus when the configuration asks for any free
// port, e.g. "tcp://127.0.0.1:*").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/site_config.h"

namespace picket {

// The endpoints of a running bus, as in its ready file:
//   {"pid": 1234, "ingest": "tcp://127.0.0.1:40001", "events": "...", "replay": "...",
//    "http": "127.0.0.1:40004"}
struct BusEndpoints {
  std::string ingest, events, replay, http;
  int64_t pid = 0;  // 0 when the endpoints come from the configuration
};

// site.data_root as an absolute path: as written if absolute, else relative to the
// directory of the configuration file (not the current directory, so every process of the
// site agrees whatever its working directory).
std::string ResolveDataRoot(const SiteConfig& site);

// <data_root>/<name>.
std::string ProcessDataDir(const SiteConfig& site, const std::string& name);

// Parses a ready file's JSON. nullopt and *error if it is not an object with a positive
// integer pid and the four endpoint strings.
std::optional<BusEndpoints> ParseBusReady(std::string_view json, std::string* error);

// Reads and parses <bus_data_dir>/ready. nullopt and *error if absent or unreadable.
std::optional<BusEndpoints> ReadBusReady(const std::string& bus_data_dir, std::string* error);

// True for an endpoint that asks for any free port or name ("tcp://127.0.0.1:*", ":0").
bool IsWildcardEndpoint(std::string_view endpoint);

// The endpoints to reach `site`'s bus: the configured ones, except that when any of them
// is a wildcard they all come from the ready file in ProcessDataDir(site, "bus").
// nullopt and *error (saying which file is missing) if that file cannot be read.
std::optional<BusEndpoints> LocateBus(const SiteConfig& site, std::string* error);

// For a service process: sets site->bus.{ingest,events,replay} to LocateBus's (the
// running bus's, when the configuration has wildcards). Resolved once, at start: a bus
// restarted on other ports needs its services restarted, so give production buses fixed
// addresses. False and *error if the bus's ready file cannot be read (not up yet).
bool ResolveBusEndpoints(SiteConfig* site, std::string* error);

}  // namespace picket
