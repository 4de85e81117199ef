#include "picketctl/bus_target.h"

#include "runtime/site_config.h"

namespace picket {

std::optional<BusTarget> ResolveBusTarget(const BusTargetFlags& flags, std::string* error,
                                          bool* bus_missing) {
  *bus_missing = false;
  BusTarget target;
  std::optional<SiteConfig> site;  // read once: the keys and the endpoints
  if (!flags.config.empty() && !(site = LoadSiteConfig(flags.config, error))) return std::nullopt;
  auto identity = ResolveClientIdentity(site ? &*site : nullptr, flags.key, "bus", error);
  if (!identity) return std::nullopt;
  target.identity = std::move(*identity);
  if (site) {
    target.site = site->id;
    // Only look for a ready file if some endpoint is still needed from the config.
    bool all_given = !flags.ingest.empty() && !flags.events.empty() && !flags.replay.empty();
    if (!all_given) {
      auto bus = LocateBus(*site, error);
      if (!bus) {
        *bus_missing = true;
        return std::nullopt;
      }
      target.endpoints = *bus;
    }
  }
  if (!flags.ingest.empty()) target.endpoints.ingest = flags.ingest;
  if (!flags.events.empty()) target.endpoints.events = flags.events;
  if (!flags.replay.empty()) target.endpoints.replay = flags.replay;
  if (!flags.site.empty()) target.site = flags.site;
  return target;
}

bool RequireEndpoint(const std::string& endpoint, const std::string& what, std::string* error) {
  if (!endpoint.empty()) return true;
  *error = "no " + what + " endpoint: give --config site.toml or --" + what + " ENDPOINT";
  return false;
}

}  // namespace picket
