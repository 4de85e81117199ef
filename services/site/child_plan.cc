#include "site/child_plan.h"

#include <set>

namespace picket {
namespace {

constexpr const char* kLogsDir = "logs";

std::string Join(const std::string& dir, const std::string& name) {
  if (!dir.empty() && dir.back() == '/') return dir + name;
  return dir + "/" + name;
}

}  // namespace

std::string SubstitutePlaceholders(std::string text, const PlanPaths& paths,
                                   const std::string& data_dir) {
  // One pass, left to right: a replacement is never scanned again.
  const std::pair<std::string_view, const std::string*> values[] = {
      {"{config}", &paths.config},
      {"{data_dir}", &data_dir},
      {"{data_root}", &paths.data_root},
      {"{bin}", &paths.bin_dir}};
  std::string out;
  for (size_t i = 0; i < text.size();) {
    std::string_view rest = std::string_view(text).substr(i);
    bool replaced = false;
    for (const auto& [name, value] : values) {
      if (!rest.starts_with(name)) continue;
      out += *value;
      i += name.size();
      replaced = true;
      break;
    }
    if (!replaced) out += text[i++];
  }
  return out;
}

std::optional<std::vector<ChildSpec>> PlanChildren(const SiteConfig& site, const PlanPaths& paths,
                                                   std::string* error) {
  std::vector<ChildSpec> children;
  std::set<std::string> names;
  auto add = [&](ChildSpec spec) {
    if (spec.name == kLogsDir) {
      *error = "'logs' cannot be a process name: <data_root>/logs holds the processes' output";
      return false;
    }
    spec.log_path = Join(Join(paths.data_root, kLogsDir), spec.name + ".log");
    if (!names.insert(spec.name).second) {
      *error = "two processes are named '" + spec.name +
               "' (site.services and [run.*] share one namespace: the data directory)";
      return false;
    }
    children.push_back(std::move(spec));
    return true;
  };
  auto service = [&](const std::string& name) {
    ChildSpec spec;
    spec.name = name;
    spec.data_dir = Join(paths.data_root, name);
    spec.argv = {Join(paths.bin_dir, "picket-" + name), "--config", paths.config, "--data-dir",
                 spec.data_dir};
    spec.is_bus = name == "bus";
    spec.is_service = true;
    return spec;
  };

  for (const auto& name : site.services)
    if (name == "bus" && !add(service(name))) return std::nullopt;
  for (const auto& name : site.services)
    if (name != "bus" && !add(service(name))) return std::nullopt;
  for (const auto& [name, run] : site.run) {
    ChildSpec spec;
    spec.name = name;
    spec.data_dir = Join(paths.data_root, name);
    for (const auto& arg : run.command)
      spec.argv.push_back(SubstitutePlaceholders(arg, paths, spec.data_dir));
    if (!add(std::move(spec))) return std::nullopt;
  }
  return children;
}

}  // namespace picket
