// picket-scoring --config site.toml [--data-dir DIR] [--log-level info]
//
// Rules that turn recorded events into points, the ledger, leaderboards, inspections and
// the best-post award (docs/scoring.md). Flags, start-up and exit status are
// ServiceMain's (runtime/service_main.h).
#include <spdlog/spdlog.h>

#include "runtime/service_main.h"
#include "scoring/scoring_config_toml.h"
#include "scoring/scoring_service.h"

int main(int argc, char** argv) {
  using picket::ServiceHost;
  using picket::ServiceHostOptions;
  using picket::scoring::ScoringServiceConfig;
  return picket::ServiceMain<ScoringServiceConfig>(
      argc, argv,
      {.name = "scoring",
       .summary = "points for guards, posts and squads from recorded events; leaderboards; "
                  "inspections; the best-post award",
       .tables = picket::scoring::Scoring::Tables(),
       .read_config = &picket::scoring::ReadScoringConfig,
       .host_options =
           [](const ScoringServiceConfig& config, ServiceHostOptions& o) {
             o.commands = config.commands;
             o.http = config.http;
           },
       .build = [](ServiceHost& host, const ScoringServiceConfig& config) -> std::shared_ptr<void> {
         spdlog::info("{} rules, {} known posts, time zone {}", config.scoring.rules.size(),
                      picket::scoring::KnownPosts(config.scoring).size(), config.scoring.time_zone);
         return std::make_shared<picket::scoring::ScoringService>(host, config);
       }});
}
