// picket-bus --config site.toml --data-dir DIR [--log-level info]
// picket-bus --config site.toml --check-config
//
// Builds the real things (system clock, config, signals) and runs the bus until SIGTERM or
// SIGINT. Exit codes: 0 after a clean stop (or a valid configuration with --check-config),
// 1 if it could not start (e.g. the log is locked by another bus), 2 for a bad command
// line or configuration.
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>

#include "bus/bus_server.h"
#include "runtime/clock.h"
#include "runtime/logging.h"
#include "runtime/signals.h"
#include "runtime/signing_keys.h"
#include "runtime/site_config.h"
#include "runtime/site_keys.h"

int main(int argc, char** argv) {
  CLI::App app{"picket-bus: the site event log"};
  std::string config_path, data_dir, log_level = "info", key_file;
  app.add_option("--config", config_path, "the site configuration (site.toml)")->required();
  app.add_option("--data-dir", data_dir, "the bus's data directory (required to run)");
  app.add_option("--log-level", log_level, "trace, debug, info, warn or error");
  app.add_option("--key", key_file,
                 "the bus's CURVE key file (site with [security]; default <keys>/bus.key)");
  bool check_only = false;
  app.add_flag("--check-config", check_only,
               "only check the site file (exit 0 if it is valid, 2 with the problem if not)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (data_dir.empty() && !check_only) {
    std::cerr << "picket-bus: --data-dir is required\n";
    return 2;
  }
  if (!picket::SetupLogging("picket-bus", log_level)) {
    std::cerr << "picket-bus: unknown log level '" << log_level << "'\n";
    return 2;
  }
  // Before any thread starts, so every thread inherits the blocked signal mask.
  picket::StopSignals signals;

  std::string error;
  auto site = picket::LoadSiteConfig(config_path, &error);
  if (!site) {
    std::cerr << "picket-bus: " << error << "\n";
    return 2;
  }
  picket::BusServerOptions options;
  options.site_id = site->id;
  options.bus = site->bus;
  if (!options.bus.checkpoint_key.empty())
    options.bus.checkpoint_key = picket::BesideConfig(*site, options.bus.checkpoint_key);
  // The bus's own CURVE key (identity "bus") on a site with [security].
  auto keys = picket::SiteKeys::Load(*site, "bus", key_file, &error);
  if (!keys) {
    std::cerr << "picket-bus: [security]: " << error << "\n";
    return 2;
  }
  options.keys = std::move(*keys);
  if (check_only) {
    if (!options.bus.checkpoint_key.empty() &&
        !picket::ReadSigningKeyFile(options.bus.checkpoint_key, true, &error)) {
      std::cerr << "picket-bus: [bus] checkpoint_key: " << error << "\n";
      return 2;
    }
    std::cout << "picket-bus: " << config_path << ": the configuration is valid\n";
    return 0;
  }
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
