// picket-notify --config site.toml [--data-dir DIR] [--log-level info]
//
// Delivers escalation alerts to outside channels: signed webhooks, retried with backoff
// until the alert's respond_by (docs/notify.md). Flags, start-up and exit status are
// ServiceMain's (runtime/service_main.h).
#include <sodium.h>

#include <spdlog/spdlog.h>

#include <iostream>

#include "notify/core/delivery_keys.h"
#include "notify/notify_config_toml.h"
#include "notify/notify_service.h"
#include "runtime/service_main.h"

int main(int argc, char** argv) {
  using picket::ServiceHost;
  using picket::ServiceHostOptions;
  using picket::notify::NotifyConfig;
  if (sodium_init() < 0) {
    std::cerr << "picket-notify: libsodium failed to initialise\n";
    return 1;
  }
  return picket::ServiceMain<NotifyConfig>(
      argc, argv,
      {.name = "notify",
       .summary = "delivers alerts to outside channels",
       .tables = picket::notify::keys::AllTables(),
       .read_config = &picket::notify::ReadNotifyConfig,
       .host_options = [](const NotifyConfig& config,
                          ServiceHostOptions& o) { o.http = config.http; },
       .build = [](ServiceHost& host, const NotifyConfig& config) -> std::shared_ptr<void> {
         if (config.channels.empty())
           spdlog::warn("[notify] has no channels: every alert will be skipped");
         uint64_t seed = 0;
         randombytes_buf(&seed, sizeof seed);  // jitter differs per run; due times are stored
         auto service = std::make_shared<picket::notify::NotifyService>(host, config, seed);
         service->Start();
         return service;
       }});
}
