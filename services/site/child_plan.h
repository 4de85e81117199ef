// What picket-site runs for a site: one child per entry of site.services and per
// [run.<name>], each with its own data directory. Pure: paths in, argv lists out.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "runtime/site_config.h"

namespace picket {

struct ChildSpec {
  std::string name;               // "bus", "sim": unique; also the data directory's name
  std::vector<std::string> argv;  // argv[0]: a path, or a program looked up in PATH
  std::string data_dir;           // <data_root>/<name>; picket-site creates it
  std::string log_path;           // <data_root>/logs/<name>.log: the child's stdout+stderr
  bool is_bus = false;            // started first; the others wait for its ready file
  bool is_service = false;        // a picket-<name> binary: it can check its configuration
};

struct PlanPaths {
  std::string config;     // absolute path of site.toml, passed to every child
  std::string bin_dir;    // where picket-<service> binaries are
  std::string data_root;  // absolute data_root
};

// The children of `site`, the bus (if listed) first, then the other services in the
// order listed, then the [run.*] entries by name. A service child runs
//   <bin_dir>/picket-<name> --config <config> --data-dir <data_root>/<name>
// and a run child its command with "{config}" (the site file), "{data_dir}" (its own
// data directory), "{data_root}" and "{bin}" (bin_dir) replaced wherever they occur. Output goes to
// <data_root>/logs/<name>.log, outside the data directory, which is the service's own. Returns
// nullopt and sets *error if two children would share a name or a child is named "logs".
std::optional<std::vector<ChildSpec>> PlanChildren(const SiteConfig& site, const PlanPaths& paths,
                                                   std::string* error);

// `text` with every "{config}", "{data_dir}", "{data_root}" and "{bin}" replaced.
std::string SubstitutePlaceholders(std::string text, const PlanPaths& paths,
                                   const std::string& data_dir);

}  // namespace picket
