#include "runtime/site_layout.h"

#include <nlohmann/json.hpp>

#include <filesystem>

#include "runtime/config.h"

namespace picket {

std::string ResolveDataRoot(const SiteConfig& site) {
  namespace fs = std::filesystem;
  fs::path root(site.data_root);
  if (root.is_absolute()) return root.lexically_normal().string();
  std::error_code ec;
  fs::path config = fs::absolute(site.source_path, ec);
  fs::path base = ec ? fs::current_path(ec) : config.parent_path();
  return (base / root).lexically_normal().string();
}

std::string ProcessDataDir(const SiteConfig& site, const std::string& name) {
  std::string root = ResolveDataRoot(site);
  if (!root.empty() && root.back() == '/') root.pop_back();
  return root + "/" + name;
}

std::optional<BusEndpoints> ParseBusReady(std::string_view json, std::string* error) {
  auto j = nlohmann::json::parse(json.begin(), json.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    *error = "not a JSON object";
    return std::nullopt;
  }
  BusEndpoints bus;
  auto pid = j.find("pid");
  if (pid == j.end() || !pid->is_number_integer() || pid->get<int64_t>() <= 0) {
    *error = "no positive integer \"pid\"";
    return std::nullopt;
  }
  bus.pid = pid->get<int64_t>();
  for (auto [key, field] : {std::pair{"ingest", &bus.ingest}, std::pair{"events", &bus.events},
                            std::pair{"replay", &bus.replay}, std::pair{"http", &bus.http}}) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_string()) {
      *error = std::string("no string \"") + key + "\"";
      return std::nullopt;
    }
    *field = it->get<std::string>();
  }
  return bus;
}

std::optional<BusEndpoints> ReadBusReady(const std::string& bus_data_dir, std::string* error) {
  std::string path = bus_data_dir + "/ready";
  auto text = ReadSmallFile(path, 64 * 1024, error);
  if (!text) return std::nullopt;
  auto bus = ParseBusReady(*text, error);
  if (!bus) *error = path + ": " + *error;
  return bus;
}

bool IsWildcardEndpoint(std::string_view endpoint) {
  return endpoint.find('*') != std::string_view::npos ||
         (endpoint.size() >= 2 && endpoint.substr(endpoint.size() - 2) == ":0");
}

std::optional<BusEndpoints> LocateBus(const SiteConfig& site, std::string* error) {
  const BusConfig& c = site.bus;
  if (!IsWildcardEndpoint(c.ingest) && !IsWildcardEndpoint(c.events) &&
      !IsWildcardEndpoint(c.replay))
    return BusEndpoints{c.ingest, c.events, c.replay, c.http, 0};
  std::string dir = ProcessDataDir(site, "bus");
  std::string why;
  auto bus = ReadBusReady(dir, &why);
  if (!bus)
    *error = "the configuration lets the bus pick its ports, and its ready file cannot be read (" +
             why + "); is the bus running?";
  return bus;
}

bool ResolveBusEndpoints(SiteConfig* site, std::string* error) {
  auto bus = LocateBus(*site, error);
  if (!bus) return false;
  site->bus.ingest = bus->ingest;
  site->bus.events = bus->events;
  site->bus.replay = bus->replay;
  return true;
}

}  // namespace picket
