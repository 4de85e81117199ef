// picket-site as a real process, with shell commands as children: restart after SIGKILL,
// the bus-first start order, and a clean stop (SIGTERM, then SIGKILL after the grace);
// with the real service binaries: a broken site refused before anything starts; children
// that die with a SIGKILLed picket-site, and one picket-site per site.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/process.h"
#include "testing/site_keys_fixture.h"

namespace picket {
namespace {

using namespace std::chrono_literals;
using testing::BinaryPath;
using testing::ChildProcess;
using testing::ReadFile;
using testing::TempDir;
using testing::WaitUntil;
using testing::WriteFile;

// The pids a child command appended to `path`, one per line, in start order.
std::vector<pid_t> ReadPids(const std::string& path) {
  std::vector<pid_t> pids;
  std::istringstream in(ReadFile(path));
  long pid;
  while (in >> pid) pids.push_back(static_cast<pid_t>(pid));
  return pids;
}

// Running: it exists and is not a zombie waiting for a parent that does not reap it.
bool Alive(pid_t pid) {
  if (kill(pid, 0) != 0 && errno == ESRCH) return false;
  std::string stat = ReadFile("/proc/" + std::to_string(pid) + "/stat");
  auto close = stat.rfind(')');
  return close == std::string::npos || close + 2 >= stat.size() || stat[close + 2] != 'Z';
}

// Kills whatever a failed test left running, so no `sleep 1000` outlives the test.
struct PidFileReaper {
  std::string path;
  ~PidFileReaper() {
    for (pid_t pid : ReadPids(path)) kill(pid, SIGKILL);
  }
};

// A site with no services and one [run.x] child: `script` with {data_dir} available.
std::string WriteSite(const TempDir& dir, const std::string& services, const std::string& script) {
  std::string path = dir / "site.toml";
  WriteFile(path, "[site]\nid = \"t\"\ndata_root = \"" + (dir / "data") + "\"\nservices = [" +
                      services +
                      "]\nrestart_backoff_max = \"400ms\"\n"
                      "[bus]\ningest = \"ipc://" +
                      (dir / "ingest") +
                      "\"\n"
                      "[run.x]\ncommand = [\"sh\", \"-c\", \"" +
                      script + "\"]\n");
  return path;
}

ChildProcess StartSite(const TempDir& dir, const std::string& config,
                       std::vector<std::string> extra = {}) {
  std::vector<std::string> argv = {BinaryPath("picket-site"), "--config", config, "--stop-grace",
                                   "500ms"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return ChildProcess(argv, dir / "site.log");
}

}  // namespace

TEST_CASE("A killed child is restarted, and SIGTERM stops everything", "[site][process]") {
  TempDir dir;
  std::string pids_file = dir / "data/x/pids";
  PidFileReaper reaper{pids_file};
  auto config = WriteSite(dir, "", "echo $$ >> {data_dir}/pids; exec sleep 1000");
  auto site = StartSite(dir, config);

  REQUIRE(WaitUntil([&] { return ReadPids(pids_file).size() == 1; }, 10s));
  pid_t first = ReadPids(pids_file)[0];
  kill(first, SIGKILL);
  INFO(ReadFile(site.log_path()));
  REQUIRE(WaitUntil([&] { return ReadPids(pids_file).size() == 2; }, 10s));
  pid_t second = ReadPids(pids_file)[1];
  CHECK(second != first);
  CHECK(Alive(second));
  CHECK_THAT(ReadFile(site.log_path()), Catch::Contains("killed by signal 9"));

  site.Signal(SIGTERM);
  auto status = site.Wait(10s);
  REQUIRE(status.has_value());
  CHECK(WIFEXITED(*status));
  CHECK(WEXITSTATUS(*status) == 0);
  CHECK_FALSE(Alive(second));
}

TEST_CASE("A child that ignores SIGTERM is killed after the grace period", "[site][process]") {
  TempDir dir;
  std::string pids_file = dir / "data/x/pids";
  PidFileReaper reaper{pids_file};
  auto config = WriteSite(dir, "", "trap '' TERM; echo $$ >> {data_dir}/pids; exec sleep 1000");
  auto site = StartSite(dir, config);
  REQUIRE(WaitUntil([&] { return ReadPids(pids_file).size() == 1; }, 10s));

  site.Signal(SIGTERM);
  auto status = site.Wait(10s);
  INFO(ReadFile(site.log_path()));
  REQUIRE(status.has_value());
  CHECK(WEXITSTATUS(*status) == 0);
  CHECK_FALSE(Alive(ReadPids(pids_file)[0]));
  CHECK_THAT(ReadFile(site.log_path()), Catch::Contains("grace period over"));
}

// Regression: the demo's Ctrl-C reached picket-site as SIGINT and its trap then sent
// SIGTERM; the second signal used to SIGKILL the bus at once.
TEST_CASE("A second stop signal does not cut the grace period short", "[site][process]") {
  TempDir dir;
  std::string pids_file = dir / "data/x/pids";
  PidFileReaper reaper{pids_file};
  auto config = WriteSite(dir, "",
                          "trap 'exit 0' TERM; echo $$ >> {data_dir}/pids; "
                          "while :; do sleep 0.05; done");
  auto site = StartSite(dir, config);
  REQUIRE(WaitUntil([&] { return ReadPids(pids_file).size() == 1; }, 10s));

  site.Signal(SIGINT);
  site.Signal(SIGTERM);
  auto status = site.Wait(10s);
  INFO(ReadFile(site.log_path()));
  REQUIRE(status.has_value());
  CHECK(WEXITSTATUS(*status) == 0);
  CHECK_THAT(ReadFile(site.log_path()),
             Catch::Contains("x (pid") && Catch::Contains("exited with status 0"));
  CHECK_THAT(ReadFile(site.log_path()), !Catch::Contains("signal 9"));
}

TEST_CASE("The others start only once the bus has written its ready file", "[site][process]") {
  TempDir dir;
  std::string bus_pids = dir / "data/bus/pids";
  std::string x_pids = dir / "data/x/pids";
  PidFileReaper bus_reaper{bus_pids};
  PidFileReaper x_reaper{x_pids};
  // A stand-in picket-bus: waits until told, then writes its ready file.
  std::filesystem::create_directories(dir / "bin");
  WriteFile(dir / "bin/picket-bus",
            "#!/bin/sh\n"
            "[ \"$3\" = --check-config ] && exit 0\n"
            "echo $$ >> \"$4/pids\"\n"
            "while [ ! -e \"$4/go\" ]; do sleep 0.02; done\n"
            "echo '{\"pid\": '$$', \"ingest\": \"i\", \"events\": \"e\", \"replay\": \"r\", "
            "\"http\": \"h\"}' > \"$4/ready\"\n"
            "exec sleep 1000\n");
  std::filesystem::permissions(dir / "bin/picket-bus", std::filesystem::perms::owner_all);
  auto config = WriteSite(dir, "\"bus\"", "echo $$ >> {data_dir}/pids; exec sleep 1000");
  auto site = StartSite(dir, config, {"--bin-dir", dir / "bin"});

  REQUIRE(WaitUntil([&] { return ReadPids(bus_pids).size() == 1; }, 10s));
  // The bus is up but not ready: x must not start. Give picket-site several of its
  // 50 ms polls to get it wrong (a bounded wait for a thing that must not happen).
  CHECK_FALSE(WaitUntil([&] { return !ReadPids(x_pids).empty(); }, 300ms));
  WriteFile(dir / "data/bus/go", "");
  INFO(ReadFile(site.log_path()));
  REQUIRE(WaitUntil([&] { return ReadPids(x_pids).size() == 1; }, 10s));
  CHECK_THAT(ReadFile(site.log_path()), Catch::Contains("bus ready"));

  site.Signal(SIGTERM);
  REQUIRE(site.Wait(10s).has_value());
  CHECK_FALSE(Alive(ReadPids(bus_pids)[0]));
  CHECK_FALSE(Alive(ReadPids(x_pids)[0]));
}

TEST_CASE("A bad configuration is refused with exit code 2", "[site][process]") {
  TempDir dir;
  WriteFile(dir / "site.toml", "[site]\nid = \"t\"\n");  // no data_root
  auto site = StartSite(dir, dir / "site.toml");
  auto status = site.Wait(10s);
  REQUIRE(status.has_value());
  CHECK(WEXITSTATUS(*status) == 2);
  CHECK_THAT(ReadFile(site.log_path()), Catch::Contains("data_root"));
}

TEST_CASE("A service section a service refuses stops picket-site before anything starts",
          "[site][process]") {
  TempDir dir;
  WriteFile(dir / "site.toml", "[site]\nid = \"t\"\ndata_root = \"" + (dir / "data") +
                                   "\"\nservices = [\"bus\", \"escalation\"]\n"
                                   "[bus]\ningest = \"ipc://" +
                                   (dir / "ingest") + "\"\n[escalation]\nbogus_key = 1\n");
  auto site = StartSite(dir, dir / "site.toml");  // the real binaries, beside picket-site
  auto status = site.Wait(30s);
  std::string log = ReadFile(site.log_path());
  INFO(log);
  REQUIRE(status.has_value());
  CHECK(WEXITSTATUS(*status) == 2);
  CHECK_THAT(log, Catch::Contains("escalation: the configuration is refused") &&
                      Catch::Contains("bogus_key") && Catch::Contains("nothing was started"));
  CHECK_FALSE(std::filesystem::exists(dir / "data/bus"));  // the bus never ran
}

TEST_CASE("A typo in site.services is refused with exit code 2", "[site][process]") {
  TempDir dir;
  auto config = WriteSite(dir, "\"escalaton\"", "exec sleep 1000");
  auto site = StartSite(dir, config);
  auto status = site.Wait(30s);
  std::string log = ReadFile(site.log_path());
  INFO(log);
  REQUIRE(status.has_value());
  CHECK(WEXITSTATUS(*status) == 2);
  CHECK_THAT(log, Catch::Contains("'escalaton': there is no program"));
  CHECK_FALSE(std::filesystem::exists(dir / "data/x"));
}

TEST_CASE("A child that exits 2 is not restarted: the site stops with exit code 2",
          "[site][process]") {
  TempDir dir;
  auto config = WriteSite(dir, "", "echo 'x: site.toml:9: frobnicate: unknown key'; exit 2");
  auto site = StartSite(dir, config);
  auto status = site.Wait(30s);
  std::string log = ReadFile(site.log_path());
  INFO(log);
  REQUIRE(status.has_value());
  CHECK(WEXITSTATUS(*status) == 2);
  CHECK_THAT(log, Catch::Contains("exited with status 2") &&
                      Catch::Contains("frobnicate: unknown key") && !Catch::Contains("restarting"));
}

TEST_CASE("Children die with a SIGKILLed picket-site, and a second one names the first",
          "[site][process]") {
  TempDir dir;
  std::string pids_file = dir / "data/x/pids";
  PidFileReaper reaper{pids_file};
  auto config = WriteSite(dir, "", "echo $$ >> {data_dir}/pids; exec sleep 1000");
  auto first = StartSite(dir, config);
  REQUIRE(WaitUntil([&] { return ReadPids(pids_file).size() == 1; }, 10s));
  pid_t child = ReadPids(pids_file)[0];

  // A second picket-site for the same site refuses to start, naming the first's pid.
  auto second = ChildProcess({BinaryPath("picket-site"), "--config", config}, dir / "second.log");
  auto status = second.Wait(30s);
  REQUIRE(status.has_value());
  CHECK(WEXITSTATUS(*status) == 1);
  CHECK_THAT(ReadFile(dir / "second.log"),
             Catch::Contains("another picket-site (pid " + std::to_string(first.pid()) + ")"));
  CHECK(Alive(child));

  first.Signal(SIGKILL);
  REQUIRE(first.Wait(10s).has_value());
  CHECK(WaitUntil([&] { return !Alive(child); }, 10s));

  // The lock went with the killed process: a new picket-site starts the site again.
  auto third = StartSite(dir, config);
  REQUIRE(WaitUntil([&] { return ReadPids(pids_file).size() == 2; }, 10s));
  third.Signal(SIGTERM);
  REQUIRE(third.Wait(10s).has_value());
}

// deploy/config/site.toml with what a test machine needs instead of /var/lib and fixed
// ports: the data root and the secret file under `dir`, every endpoint on a free port, and
// (as docs/security.md tells an operator to) a CURVE key for each of its processes, listed
// in [security].
std::string LocalCopyOfExample(const TempDir& dir) {
  std::string text = ReadFile(PICKET_EXAMPLE_SITE);
  auto replace = [&](const std::string& from, const std::string& to) {
    auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
  };
  replace("/var/lib/picket", dir / "data");
  replace("/etc/picket/notify/duty-pager.secret", dir / "duty-pager.secret");
  for (const char* port : {"7401", "7402", "7403", "7411", "7412", "7413"})
    replace(std::string("tcp://127.0.0.1:") + port, "tcp://127.0.0.1:*");
  for (const char* port : {"7480", "7481", "7482", "7483", "7484"})
    replace(std::string("127.0.0.1:") + port, "127.0.0.1:0");
  WriteFile(dir / "duty-pager.secret", "an-example-secret-of-32-bytes!!!\n");
  testing::SiteKeysFixture keys(dir.path());
  for (const char* name : {"bus", "escalation", "notify", "access", "patrol", "scoring", "console"})
    keys.Add(name, "service");
  keys.Add("admin", "admin");
  WriteFile(dir / "site.toml", text + keys.SecuritySection("admin"));
  return dir / "site.toml";
}

TEST_CASE("deploy/config/site.toml runs as a whole site: every service comes up",
          "[site][process]") {
  TempDir dir;
  auto config = LocalCopyOfExample(dir);
  auto site = StartSite(dir, config);
  auto ready = [&](const std::string& name) {
    return std::filesystem::exists(dir / ("data/" + name + "/ready"));
  };
  bool up = WaitUntil(
      [&] {
        return ready("bus") && ready("escalation") && ready("notify") && ready("access") &&
               ready("patrol");
      },
      60s);
  INFO(ReadFile(site.log_path()));
  INFO(ReadFile(dir / "data/logs/escalation.log"));
  INFO(ReadFile(dir / "data/logs/notify.log"));
  INFO(ReadFile(dir / "data/logs/access.log"));
  INFO(ReadFile(dir / "data/logs/patrol.log"));
  REQUIRE(up);
  site.Signal(SIGTERM);
  auto status = site.Wait(30s);
  REQUIRE(status.has_value());
  CHECK(WEXITSTATUS(*status) == 0);
}

}  // namespace picket
