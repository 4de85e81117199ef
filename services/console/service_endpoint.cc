#include "console/service_endpoint.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

namespace picket::console {

std::string ResolveServiceEndpoint(const std::string& configured, const std::string& data_root,
                                   const std::string& section, std::string* error) {
  if (configured.find('*') == std::string::npos) return configured;
  std::string path = data_root + "/" + section + "/ready";
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json j = nlohmann::json::parse(text.str(), nullptr, false);
  if (!in || j.is_discarded() || !j.is_object() || !j.contains("commands") ||
      !j["commands"].is_string()) {
    *error = "picket-" + section + " is not running (no usable " + path + ")";
    return "";
  }
  return j["commands"].get<std::string>();
}

}  // namespace picket::console
