// picket-escalation --config site.toml [--data-dir DIR] [--log-level info]
//
// Incidents, escalation policies and procedures (docs/escalation.md). Flags, start-up and
// exit status are ServiceMain's (runtime/service_main.h).
#include <spdlog/spdlog.h>

#include "escalation/escalation_config_toml.h"
#include "escalation/escalation_service.h"
#include "runtime/service_main.h"

int main(int argc, char** argv) {
  using picket::ServiceHost;
  using picket::ServiceHostOptions;
  using picket::escalation::EscalationConfig;
  return picket::ServiceMain<EscalationConfig>(
      argc, argv,
      {.name = "escalation",
       .summary = "incidents, escalation policies and procedures",
       .tables = picket::escalation::Escalation::Tables(),
       .read_config = &picket::escalation::ReadEscalationConfig,
       .host_options =
           [](const EscalationConfig& config, ServiceHostOptions& o) {
             o.commands = config.commands;
             o.http = config.http;
           },
       .build = [](ServiceHost& host, const EscalationConfig& config) -> std::shared_ptr<void> {
         spdlog::info("{} incident types, {} policies, {} rules", config.incident_types.size(),
                      config.policies.size(), config.rules.size());
         return std::make_shared<picket::escalation::EscalationService>(host, config);
       }});
}
