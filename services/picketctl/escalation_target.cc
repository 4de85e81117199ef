#include "picketctl/escalation_target.h"

#include <nlohmann/json.hpp>

#include "picketctl/publish_command.h"
#include "runtime/config.h"
#include "runtime/site_config.h"
#include "runtime/site_layout.h"

namespace picket {

std::optional<std::string> CommandsFromToml(const CommandService& service, const toml::table& site,
                                            const std::string& source_name, std::string* error) {
  const std::string key = std::string(service.section) + ".commands";
  const toml::node* node = site.at_path(key).node();
  if (node == nullptr) return std::string(service.default_commands);
  auto value = node->value<std::string>();
  if (!value || value->empty()) {
    const auto& where = node->source().begin;
    *error = source_name + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) +
             ": " + key + ": must be a non-empty endpoint string";
    return std::nullopt;
  }
  return *value;
}

std::optional<std::string> CommandsFromReady(std::string_view json, std::string* error) {
  auto j = nlohmann::json::parse(json.begin(), json.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    *error = "not a JSON object";
    return std::nullopt;
  }
  auto it = j.find("commands");
  if (it == j.end() || !it->is_string() || it->get<std::string>().empty()) {
    *error = "no \"commands\" endpoint";
    return std::nullopt;
  }
  return it->get<std::string>();
}

namespace {

// ResolveCommandsEndpoint with flags.config already read into `site` (null: none given).
std::optional<std::string> CommandsEndpointOf(const CommandService& service,
                                              const CommandTargetFlags& flags,
                                              const SiteConfig* site, std::string* error,
                                              bool* service_missing) {
  *service_missing = false;
  if (!flags.commands.empty()) return flags.commands;
  if (!site) {
    *error = "no " + std::string(service.section) +
             " commands endpoint: give --config site.toml or --commands ENDPOINT";
    return std::nullopt;
  }
  auto table = LoadTomlFile(flags.config, error);
  if (!table) return std::nullopt;
  auto commands = CommandsFromToml(service, *table, flags.config, error);
  if (!commands || !IsWildcardEndpoint(*commands)) return commands;
  std::string path = ProcessDataDir(*site, std::string(service.section)) + "/ready";
  std::string why;
  auto text = ReadSmallFile(path, 64 * 1024, &why);
  auto ready = text ? CommandsFromReady(*text, &why) : std::nullopt;
  if (!ready) {
    *service_missing = true;
    *error = "the configuration lets " + std::string(service.name) + " pick its port (" +
             *commands + "), and its ready file cannot be read (" + path + ": " + why +
             "); is it running?";
  }
  return ready;
}

}  // namespace

std::optional<std::string> ResolveCommandsEndpoint(const CommandService& service,
                                                   const CommandTargetFlags& flags,
                                                   std::string* error, bool* service_missing) {
  *service_missing = false;
  std::optional<SiteConfig> site;
  if (flags.commands.empty() && !flags.config.empty() &&
      !(site = LoadSiteConfig(flags.config, error)))
    return std::nullopt;
  return CommandsEndpointOf(service, flags, site ? &*site : nullptr, error, service_missing);
}

std::optional<CallTarget> ResolveCallTarget(const std::string& who, const std::string& timeout,
                                            const CommandService& service,
                                            const CommandTargetFlags& flags, std::ostream& err,
                                            int* exit_code) {
  auto micros = ParseDurationMicros(timeout);
  if (!micros || *micros <= 0) {
    err << who << "--timeout: '" << timeout << "' is not a duration like 5s\n";
    *exit_code = kExitUsage;
    return std::nullopt;
  }
  std::string error;
  std::optional<SiteConfig> site;  // read once: the keys and the endpoint
  if (!flags.config.empty() && !(site = LoadSiteConfig(flags.config, &error))) {
    err << who << error << "\n";
    *exit_code = kExitUsage;
    return std::nullopt;
  }
  const SiteConfig* read = site ? &*site : nullptr;
  auto identity = ResolveClientIdentity(read, flags.key, service.section, &error);
  if (!identity) {
    err << who << error << "\n";
    *exit_code = kExitUsage;
    return std::nullopt;
  }
  bool missing = false;
  auto endpoint = CommandsEndpointOf(service, flags, read, &error, &missing);
  if (!endpoint) {
    err << who << error << "\n";
    *exit_code = missing ? kExitNoAnswer : kExitUsage;
    return std::nullopt;
  }
  return CallTarget{*micros, *endpoint, std::move(*identity)};
}

}  // namespace picket
