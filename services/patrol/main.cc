// picket-patrol --config site.toml [--data-dir DIR] [--log-level info]
//
// Patrol routes, schedules, rounds, checkpoint verdicts and missed deadlines
// (docs/patrol.md). Flags, start-up and exit status are ServiceMain's
// (runtime/service_main.h).
#include <spdlog/spdlog.h>

#include "patrol/patrol_config_toml.h"
#include "patrol/patrol_service.h"
#include "runtime/service_main.h"

int main(int argc, char** argv) {
  using picket::ServiceHost;
  using picket::ServiceHostOptions;
  using picket::patrol::PatrolServiceConfig;
  return picket::ServiceMain<PatrolServiceConfig>(
      argc, argv,
      {.name = "patrol",
       .summary = "patrol routes, schedules, rounds, checkpoint verdicts and missed deadlines",
       .tables = picket::patrol::Patrol::Tables(),
       .read_config = &picket::patrol::ReadPatrolConfig,
       .host_options =
           [](const PatrolServiceConfig& config, ServiceHostOptions& o) {
             o.commands = config.commands;
             o.http = config.http;
           },
       .build = [](ServiceHost& host, const PatrolServiceConfig& config) -> std::shared_ptr<void> {
         spdlog::info("{} checkpoints, {} routes, {} schedules, time zone {}",
                      config.patrol.checkpoints.size(), config.patrol.routes.size(),
                      config.patrol.schedules.size(), config.patrol.time_zone);
         return std::make_shared<picket::patrol::PatrolService>(host, config);
       }});
}
