// picket-escalation --config site.toml --data-dir DIR [--log-level info]
//
// Reads the site and its [escalation] section, opens the service's store in DIR/db and
// runs until SIGTERM or SIGINT. Exit codes: 0 after a clean stop, 1 if it could not start
// (store, endpoints), 2 on a configuration error (every problem printed with file:line:col).
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

#include "escalation/core/escalation_config_toml.h"
#include "escalation/escalation_service.h"
#include "runtime/clock.h"
#include "runtime/logging.h"
#include "runtime/service_host.h"
#include "runtime/site_config.h"
#include "site/site_layout.h"

int main(int argc, char** argv) {
  CLI::App app{"picket-escalation: incidents, escalation policies and procedures"};
  std::string config_path, data_dir, log_level = "info";
  app.add_option("--config", config_path, "the site configuration (site.toml)")->required();
  app.add_option("--data-dir", data_dir, "the service's data directory")->required();
  app.add_option("--log-level", log_level, "trace, debug, info, warn or error");
  CLI11_PARSE(app, argc, argv);

  if (!picket::SetupLogging("picket-escalation", log_level)) {
    std::cerr << "picket-escalation: unknown log level '" << log_level << "'\n";
    return 2;
  }
  std::string error;
  auto site = picket::LoadSiteConfig(config_path, &error);
  if (!site) {
    std::cerr << "picket-escalation: " << error << "\n";
    return 2;
  }
  std::ifstream in(config_path);
  std::stringstream text;
  text << in.rdbuf();
  auto config = picket::escalation::ParseEscalationConfig(text.str(), config_path, &error);
  if (!config) {
    std::cerr << "picket-escalation: " << error << "\n";
    return 2;
  }
  if (!picket::ResolveBusEndpoints(&*site, &error)) {
    spdlog::error("{}", error);
    return 1;  // picket-site restarts us once the bus is up
  }
  picket::SystemClock clock;
  // The host first: it blocks the stop signals before any thread starts.
  picket::ServiceHost host(*site, picket::escalation::EscalationHostOptions(*config, data_dir),
                           clock);
  if (!host.Open(&error)) {
    std::cerr << "picket-escalation: " << error << "\n";
    return 1;
  }
  picket::escalation::EscalationService service(host, *config);
  spdlog::info("{} incident types, {} policies, {} rules", config->incident_types.size(),
               config->policies.size(), config->rules.size());
  return host.Run();
}
