// picket-site: runs one site's processes on this machine and restarts any that exits.
//
//   picket-site --config site.toml [--bin-dir DIR] [--stop-grace 10s] [--log-level info]
//
// Children: picket-<name> for each name in site.services (from --bin-dir, by default the
// directory of this executable) and each [run.<name>] command. Each child's output goes to
// <data_root>/logs/<name>.log; picket-site's own log (starts, exits, restarts) to stderr.
// SIGTERM or SIGINT stops every child (SIGTERM, then SIGKILL after the grace period) and
// exits 0.
//
// Before it starts anything it checks the whole site (site/preflight.h): every program
// exists and every service accepts the file (`picket-<name> --check-config`); every
// problem goes to stderr and it exits 2. A child that exits 2 later is fatal too: the site
// is stopped and picket-site exits 2. Exit 1: the data root cannot be created, or another
// picket-site runs this site (the lock <data_root>/picket-site.pid names its pid). The
// children die with picket-site, even if it is killed with SIGKILL.
#include <fcntl.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "runtime/clock.h"
#include "runtime/config.h"
#include "runtime/event_loop.h"
#include "runtime/logging.h"
#include "runtime/signals.h"
#include "runtime/site_config.h"
#include "runtime/site_layout.h"
#include "site/child_plan.h"
#include "site/preflight.h"
#include "site/site_supervisor.h"

namespace {

namespace fs = std::filesystem;

std::string OwnDirectory() {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::current_path().string() : self.parent_path().string();
}

// Holds an exclusive lock on <data_root>/picket-site.pid (with our pid in it) for the
// process's life. False and *error (naming the other instance's pid) if it is held.
bool LockSite(const std::string& data_root, std::string* error) {
  const std::string path = data_root + "/picket-site.pid";
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    *error = "cannot open " + path + ": " + std::strerror(errno);
    return false;
  }
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    char buf[32] = {};
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    std::string pid = n > 0 ? std::string(buf, static_cast<size_t>(n)) : "?";
    while (!pid.empty() && pid.back() == '\n') pid.pop_back();
    *error = "another picket-site (pid " + pid + ") is running this site (data_root " + data_root +
             "); stop it first";
    close(fd);
    return false;
  }
  std::string pid = std::to_string(getpid()) + "\n";
  if (ftruncate(fd, 0) != 0 || pwrite(fd, pid.data(), pid.size(), 0) < 0)
    spdlog::warn("cannot write {}: {}", path, std::strerror(errno));
  return true;  // the fd stays open (and locked) until the process ends
}

}  // namespace

int main(int argc, char** argv) {
  // Before anything else (and before any thread): SIGTERM/SIGINT become a readable fd.
  picket::StopSignals stop_signals;

  CLI::App app{"picket-site: runs a Picket site's processes and restarts any that exits"};
  std::string config_path, bin_dir, grace_text = "10s", log_level = "info";
  app.add_option("--config", config_path, "the site configuration (site.toml)")->required();
  app.add_option("--bin-dir", bin_dir, "where the picket-<service> binaries are")
      ->check(CLI::ExistingDirectory);
  app.add_option("--stop-grace", grace_text, "SIGTERM to SIGKILL on stop, e.g. 10s, 500ms");
  app.add_option("--log-level", log_level, "trace, debug, info, warn or error");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  auto grace = picket::ParseDurationMicros(grace_text);
  if (!grace) {
    std::cerr << "picket-site: --stop-grace: '" << grace_text << "' is not a duration\n";
    return 2;
  }
  if (!picket::SetupLogging("picket-site", log_level)) {
    std::cerr << "picket-site: --log-level: unknown level '" << log_level << "'\n";
    return 2;
  }

  std::error_code ec;
  std::string abs_config = fs::absolute(config_path, ec).lexically_normal().string();
  std::string error;
  auto site = picket::LoadSiteConfig(abs_config, &error);
  if (!site) {
    std::cerr << error << "\n";
    return 2;
  }
  picket::PlanPaths paths{abs_config, bin_dir.empty() ? OwnDirectory() : bin_dir,
                          picket::ResolveDataRoot(*site)};
  paths.bin_dir = fs::absolute(paths.bin_dir, ec).string();
  auto children = picket::PlanChildren(*site, paths, &error);
  if (!children) {
    std::cerr << abs_config << ": " << error << "\n";
    return 2;
  }
  fs::create_directories(paths.data_root, ec);
  if (ec) {
    std::cerr << "picket-site: cannot create data_root " << paths.data_root << ": " << ec.message()
              << "\n";
    return 1;
  }
  if (!LockSite(paths.data_root, &error)) {
    std::cerr << "picket-site: " << error << "\n";
    return 1;
  }
  auto problems = picket::Preflight(*children, 30 * picket::kMicrosPerSecond);
  for (const auto& p : problems) std::cerr << abs_config << ": " << p << "\n";
  if (!problems.empty()) {
    std::cerr << "picket-site: " << problems.size()
              << " problem(s) in the site; nothing was started\n";
    return 2;
  }
  if (children->empty())  // still runs until stopped, as a unit file expects
    spdlog::warn("{}: nothing to run (no site.services, no [run.*])", abs_config);

  picket::SupervisorOptions options;
  options.restart.max_backoff = site->restart_backoff_max;
  options.stop_grace = *grace;
  picket::SystemClock clock;
  picket::EventLoop loop(clock);
  picket::SiteSupervisor supervisor(loop, std::move(*children), options);
  loop.AddFd(stop_signals.fd(), [&] {
    int sig = stop_signals.Consume();
    spdlog::info("received {}", sig == SIGINT ? "SIGINT" : "SIGTERM");
    supervisor.Stop();
  });

  spdlog::info("site {} ({}): data in {}, binaries from {}, pid {}", site->id, site->name,
               paths.data_root, paths.bin_dir, getpid());
  if (!supervisor.Start(&error)) {
    spdlog::error("{}", error);
    return 1;
  }
  loop.Run();
  spdlog::info("stopped");
  return supervisor.exit_code();
}
