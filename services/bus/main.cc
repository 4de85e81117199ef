// picket-bus --config site.toml --data-dir DIR [--log-level info]
//
// Builds the real things (system clock, config, signals) and runs the bus until SIGTERM or
// SIGINT. Exit codes: 0 after a clean stop, 1 on a configuration or start-up error.
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <iostream>

#include "bus/bus_server.h"
#include "runtime/clock.h"
#include "runtime/logging.h"
#include "runtime/signals.h"
#include "runtime/site_config.h"

int main(int argc, char** argv) {
  CLI::App app{"picket-bus: the site event log"};
  std::string config_path, data_dir, log_level = "info";
  app.add_option("--config", config_path, "the site configuration (site.toml)")->required();
  app.add_option("--data-dir", data_dir, "the bus's data directory")->required();
  app.add_option("--log-level", log_level, "trace, debug, info, warn or error");
  CLI11_PARSE(app, argc, argv);

  if (!picket::SetupLogging("picket-bus", log_level)) {
    std::cerr << "picket-bus: unknown log level '" << log_level << "'\n";
    return 1;
  }
  // Before any thread starts, so every thread inherits the blocked signal mask.
  picket::StopSignals signals;

  std::string error;
  auto site = picket::LoadSiteConfig(config_path, &error);
  if (!site) {
    std::cerr << "picket-bus: " << error << "\n";
    return 1;
  }
  picket::BusServerOptions options;
  options.site_id = site->id;
  options.bus = site->bus;
  options.data_dir = data_dir;
  picket::SystemClock clock;
  picket::BusServer server(options, clock);
  if (!server.Start(&error)) {
    std::cerr << "picket-bus: " << error << "\n";
    return 1;
  }
  server.StopWhenReadable(signals.fd(), [&signals] {
    int sig = signals.Consume();
    spdlog::info("signal {}: stopping", sig);
  });
  server.Run();
  return 0;
}
