// picket-notify: delivers escalation alerts to outside channels (signed webhooks, retried
// with backoff until the alert's respond_by). docs/notify.md.
//
//   picket-notify --config site.toml [--data-dir DIR] [--log-level info]
//
// Exit status: 0 after a clean stop (SIGTERM/SIGINT), 1 if it could not start, 2 for a
// bad command line or configuration (the errors are printed, one line each).
#include <sodium.h>

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <cstring>
#include <iostream>

#include "notify/core/delivery_keys.h"
#include "notify/core/notify_config_toml.h"
#include "notify/notify_service.h"
#include "runtime/config.h"
#include "runtime/logging.h"
#include "runtime/service_host.h"
#include "runtime/site_config.h"
#include "site/site_layout.h"

namespace picket::notify {
namespace {

int Run(const std::string& config_path, std::string data_dir) {
  std::string error;
  auto site = LoadSiteConfig(config_path, &error);
  auto root = site ? LoadTomlFile(config_path, &error) : std::nullopt;
  auto config = root ? ReadNotifyConfig(*root, config_path, &error) : std::nullopt;
  if (!config) {
    std::cerr << error << "\n";
    return 2;
  }
  if (data_dir.empty()) data_dir = ProcessDataDir(*site, "notify");
  if (!ResolveBusEndpoints(&*site, &error)) {
    spdlog::error("{}", error);
    return 1;  // picket-site restarts us once the bus is up
  }
  if (config->channels.empty())
    spdlog::warn("[notify] has no channels: every alert will be skipped");

  SystemClock clock;
  ServiceHostOptions options;
  options.name = "notify";
  options.data_dir = data_dir;
  options.tables = keys::AllTables();
  options.http = config->http;
  ServiceHost host(*site, options, clock);  // first: blocks the stop signals for all threads
  if (!host.Open(&error)) {
    spdlog::error("{}", error);
    return 1;
  }
  uint64_t seed = 0;
  randombytes_buf(&seed, sizeof seed);  // jitter differs per run; due times are stored
  NotifyService service(host, *config, seed);
  service.Start();
  int status = host.Run();
  service.Stop();
  return status;
}

}  // namespace
}  // namespace picket::notify

int main(int argc, char** argv) {
  CLI::App app{"picket-notify: delivers alerts to outside channels"};
  std::string config, data_dir, log_level = "info";
  app.add_option("--config", config, "site.toml")->required();
  app.add_option("--data-dir", data_dir,
                 "the service's data directory (default <data_root>/notify)");
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error");
  CLI11_PARSE(app, argc, argv);
  if (sodium_init() < 0) {
    std::cerr << "picket-notify: libsodium failed to initialise\n";
    return 1;
  }
  if (!picket::SetupLogging("picket-notify", log_level)) {
    std::cerr << "picket-notify: bad --log-level\n";
    return 2;
  }
  return picket::notify::Run(config, data_dir);
}
