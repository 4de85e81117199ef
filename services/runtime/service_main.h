// ServiceMain: the whole main() of a domain service. A service states what it is (a
// ServiceSpec); ServiceMain does what is the same for all of them:
//
//   picket-<name> --config site.toml [--data-dir DIR] [--log-level info] [--check-config]
//
//   1. parses those flags (--data-dir defaults to <data_root>/<name>, as picket-site
//      passes it; <name> is the host's, which host_options may set: a post terminal is
//      named after its terminal id);
//   2. reads the site file once: the site's part (ReadSiteConfig) and the service's own
//      section (spec.read_config), every problem reported with file:line;
//   3. finds the bus (ResolveBusEndpoints: the running bus's ready file when the
//      configuration has wildcard endpoints);
//   4. builds the ServiceHost (before any thread: it blocks the stop signals), opens the
//      store with spec.tables, lets spec.build wire the service's handlers, and runs
//      until SIGTERM or SIGINT.
//
// Exit status, the same for every service: 0 after a clean stop; 1 if it could not start
// (store, endpoints, the bus's ready file not there yet: picket-site restarts it); 2 for a
// bad command line or configuration (nothing is started). --check-config stops after step 2:
// exit 0 if the file is valid for this service, 2 with the problem if not (picket-site
// runs it for every service before it starts any).
//
// services/tally/main.cc is the smallest complete example, services/escalation/main.cc
// one with a command endpoint (host_options); docs/writing-a-service.md walks through it.
#pragma once

#include <toml++/toml.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/service_host.h"

namespace CLI {
class App;
}

namespace picket {

template <typename Config>
struct ServiceSpec {
  // "escalation": the binary is picket-<name>; its section [<name>], its data directory
  // <data_root>/<name>, the producer of its events.
  std::string name = {};
  std::string summary = {};              // one line for --help
  std::vector<std::string> tables = {};  // the core's state tables
  // Reads the service's section of the parsed site file (`path` for messages).
  // Nullopt and *error (file:line: what) if it is wrong.
  std::function<std::optional<Config>(const toml::table& root, const std::string& path,
                                      std::string* error)>
      read_config = nullptr;
  // Optional: the host options the config decides (command endpoint, HTTP address, ...).
  std::function<void(const Config&, ServiceHostOptions&)> host_options = nullptr;
  // Optional: flags of this service beyond the common ones (bound to its own variables).
  std::function<void(CLI::App&)> flags = nullptr;
  // Wires the service on the opened host (sets its handlers, resumes its work). What it
  // returns lives until the host has stopped. A null return means it could not start
  // (exit 1); it logs why.
  std::function<std::shared_ptr<void>(ServiceHost&, const Config&)> build = nullptr;
};

// The type-erased steps ServiceMain runs (service_main.cc).
struct ServiceMainSteps {
  std::string name, summary;
  std::vector<std::string> tables;
  std::function<void(CLI::App&)> flags;
  // Reads and keeps the configuration, fills the options; false + *error if it is wrong.
  std::function<bool(const toml::table&, const std::string&, ServiceHostOptions&, std::string*)>
      configure;
  std::function<std::shared_ptr<void>(ServiceHost&)> build;
};
int RunServiceMain(int argc, char** argv, const ServiceMainSteps& steps);

template <typename Config>
int ServiceMain(int argc, char** argv, const ServiceSpec<Config>& spec) {
  auto config = std::make_shared<std::optional<Config>>();
  ServiceMainSteps steps;
  steps.name = spec.name;
  steps.summary = spec.summary;
  steps.tables = spec.tables;
  steps.flags = spec.flags;
  steps.configure = [&spec, config](const toml::table& root, const std::string& path,
                                    ServiceHostOptions& options, std::string* error) {
    *config = spec.read_config(root, path, error);
    if (!*config) return false;
    if (spec.host_options) spec.host_options(**config, options);
    return true;
  };
  steps.build = [&spec, config](ServiceHost& host) { return spec.build(host, **config); };
  return RunServiceMain(argc, argv, steps);
}

}  // namespace picket
