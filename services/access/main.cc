// picket-access --config site.toml [--data-dir DIR] [--log-level info]
//
// Visitors, passes, the watchlist, gate decisions and who is on site (docs/access.md).
// Flags, start-up and exit status are ServiceMain's (runtime/service_main.h).
#include <spdlog/spdlog.h>

#include "access/access_config_toml.h"
#include "access/access_service.h"
#include "runtime/service_main.h"

int main(int argc, char** argv) {
  using picket::ServiceHost;
  using picket::ServiceHostOptions;
  using picket::access::AccessServiceConfig;
  return picket::ServiceMain<AccessServiceConfig>(
      argc, argv,
      {.name = "access",
       .summary = "visitors, passes, the watchlist, gate decisions and who is on site",
       .tables = picket::access::Access::Tables(),
       .read_config = &picket::access::ReadAccessConfig,
       .host_options =
           [](const AccessServiceConfig& config, ServiceHostOptions& o) {
             o.commands = config.commands;
             o.http = config.http;
           },
       .build = [](ServiceHost& host, const AccessServiceConfig& config) -> std::shared_ptr<void> {
         spdlog::info("{} gates, time zone {}, walk-ups {}", config.access.gates.size(),
                      config.access.time_zone,
                      config.access.walkups_need_approval ? "need approval" : "need no approval");
         return std::make_shared<picket::access::AccessService>(host, config);
       }});
}
