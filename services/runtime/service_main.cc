#include "runtime/service_main.h"

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <iostream>

#include "runtime/clock.h"
#include "runtime/config.h"
#include "runtime/logging.h"
#include "runtime/site_config.h"
#include "runtime/site_keys.h"
#include "runtime/site_layout.h"

namespace picket {

int RunServiceMain(int argc, char** argv, const ServiceMainSteps& steps) {
  const std::string binary = "picket-" + steps.name;
  CLI::App app{binary + ": " + steps.summary};
  std::string config_path, data_dir, log_level = "info", key_file;
  app.add_option("--config", config_path, "the site configuration (site.toml)")->required();
  app.add_option("--data-dir", data_dir,
                 "the service's data directory (default <data_root>/" + steps.name + ")");
  app.add_option("--log-level", log_level, "trace, debug, info, warn or error");
  app.add_option("--key", key_file,
                 "this process's CURVE key file (a site with [security]; default "
                 "<keys>/<name>.key)");
  bool check_only = false;
  app.add_flag("--check-config", check_only,
               "only check the site file (exit 0 if it is valid, 2 with the problem if not)");
  if (steps.flags) steps.flags(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  if (!SetupLogging(binary, log_level)) {
    std::cerr << binary << ": unknown log level '" << log_level << "'\n";
    return 2;
  }

  std::string error;
  // One read of the file: the site's part and the service's own section from one table.
  auto root = LoadTomlFile(config_path, &error);
  auto site = root ? ReadSiteConfig(*root, config_path, &error) : std::nullopt;
  ServiceHostOptions options;
  options.name = steps.name;
  options.tables = steps.tables;
  if (!site || !steps.configure(*root, config_path, options, &error)) {
    std::cerr << binary << ": " << error << "\n";
    return 2;
  }
  options.key_file = key_file;
  if (site->security.enabled && !SiteKeys::Load(*site, options.name, key_file, &error)) {
    std::cerr << binary << ": [security]: " << error << "\n";
    return 2;
  }
  if (check_only) {
    std::cout << binary << ": " << config_path << ": the configuration is valid\n";
    return 0;
  }
  options.data_dir = data_dir.empty() ? ProcessDataDir(*site, options.name) : data_dir;
  if (!ResolveBusEndpoints(&*site, &error)) {
    spdlog::error("{}", error);
    return 1;  // picket-site restarts us once the bus is up
  }

  SystemClock clock;
  ServiceHost host(*site, options, clock);  // first: blocks the stop signals for all threads
  if (!host.Open(&error)) {
    spdlog::error("{}", error);
    return 1;
  }
  std::shared_ptr<void> service = steps.build(host);
  if (!service) return 1;
  return host.Run();
}

}  // namespace picket
