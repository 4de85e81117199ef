// A subscribing service (picket-tally, services/tally: the kit's example) as a real process
// against a real picket-bus: kill -9 mid-run, a slow subscriber that misses live messages,
// a bus restart under it. The state it ends with must be the state of one clean pass.
#include <signal.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "support/bus_fixture.h"

namespace picket::testing {
namespace {

using std::chrono::milliseconds;

// picket-tally derives one milestone for every 10th event it applies, and applies its own
// milestones too: after N published events the log settles at H = N + floor(H / 10).
uint64_t SettledHead(uint64_t n) {
  uint64_t h = n;
  while (n + h / 10 != h) h = n + h / 10;
  return h;
}

class TallyUnderTest {
 public:
  TallyUnderTest(const BusUnderTest& bus, std::string data_dir, int apply_delay_us = 0)
      : bus_(bus), data_dir_(std::move(data_dir)), delay_(apply_delay_us) {}

  void Start() {
    std::string log = data_dir_ + ".log";
    process_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{BinaryPath("picket-tally"), "--config", bus_.config_path(),
                                 "--data-dir", data_dir_, "--apply-delay-us",
                                 std::to_string(delay_)},
        log);
  }
  // Waits for the ready file this process writes once caught up; returns its applied seq.
  uint64_t WaitReady() {
    uint64_t applied = 0;
    bool ready = WaitUntil(
        [&] {
          auto j = nlohmann::json::parse(ReadFile(data_dir_ + "/ready"), nullptr, false);
          if (j.is_discarded() || j.value("pid", 0) != process_->pid()) return false;
          applied = j.value("applied_seq", uint64_t{0});
          return true;
        },
        milliseconds(30000));
    INFO(ReadFile(data_dir_ + ".log"));
    REQUIRE(ready);
    return applied;
  }
  void Stop() {
    process_->Signal(SIGTERM);
    auto status = process_->Wait(milliseconds(20000));
    REQUIRE(status.has_value());
    CHECK(WIFEXITED(*status));
  }
  ChildProcess& process() { return *process_; }
  nlohmann::json Dump() const {
    std::string out = data_dir_ + ".dump";
    ChildProcess dump({BinaryPath("picket-tally"), "--dump", "--data-dir", data_dir_}, out);
    auto status = dump.Wait(milliseconds(20000));
    REQUIRE(status.has_value());
    auto j = nlohmann::json::parse(ReadFile(out), nullptr, false);
    INFO(ReadFile(out));
    REQUIRE(j.is_object());
    return j;
  }
  nlohmann::json Stats() const {
    return nlohmann::json::parse(ReadFile(data_dir_ + "/stats.json"), nullptr, false);
  }

 private:
  const BusUnderTest& bus_;
  std::string data_dir_;
  int delay_;
  std::unique_ptr<ChildProcess> process_;
};

// Waits until the bus head is `head` and the tally has reported applying all of it.
void WaitSettled(zmq::context_t& ctx, const BusUnderTest& bus, const BusEndpoints& ep,
                 uint64_t head) {
  std::optional<BusStatus> last;
  bool settled = WaitUntil(
      [&] {
        last = QueryStatus(ctx, ep.replay, milliseconds(2000), bus.Probe());
        return last && last->head_seq == head && last->applied["tally"] == head;
      },
      milliseconds(90000));
  INFO("head " << (last ? last->head_seq : 0) << ", tally applied "
               << (last ? last->applied["tally"] : 0) << ", expected " << head);
  REQUIRE(settled);
}

// The state of a tally that applied seqs 1..h once each, with n_each events per producer.
void CheckTallyState(const nlohmann::json& d, uint64_t h, int loads, uint64_t n_each) {
  CHECK(d["applied_seq"] == h);
  CHECK(d["events"] == h);
  CHECK(d["seq_sum"] == h * (h + 1) / 2);
  CHECK(d["milestones"] == h / 10);
  CHECK(d["producers"]["tally"] == h / 10);
  for (int i = 0; i < loads; ++i) CHECK(d["producers"]["load-" + std::to_string(i)] == n_each);
  CHECK(d["outbox_pending"] == 0);
}

void CheckMilestonesInLog(zmq::context_t& ctx, const BusUnderTest& bus, const BusEndpoints& ep,
                          uint64_t h) {
  auto log = ReplayAll(ctx, ep.replay, 1, milliseconds(30000), bus.Probe());
  REQUIRE(log.has_value());
  REQUIRE(log->size() == h);
  CheckLogIsOneTotalOrder(*log);
  uint64_t milestones = 0;
  for (const auto& e : *log) milestones += e.type == "tally.milestone";
  CHECK(milestones == h / 10);  // each derived effect once: none lost, none doubled
}

}  // namespace

TEST_CASE("kill -9 of a subscribing service mid-run: it ends as if it applied the log once",
          "[service][process][fault]") {
  BusUnderTest bus;
  BusEndpoints ep = bus.Start();
  TallyUnderTest tally(bus, bus.dir() / "tally");
  tally.Start();
  tally.WaitReady();

  constexpr int kLoads = 3, kEach = 2000;
  LoadRun loads(bus, ep.ingest, kLoads, kEach, 32);
  REQUIRE(WaitUntil([&] { return loads.Acks().size() >= 1500; }, milliseconds(60000)));
  tally.process().Kill();
  REQUIRE(loads.Acks().size() < kLoads * kEach);  // killed in the middle of the run
  // Events keep arriving while it is down; then it comes back.
  REQUIRE(WaitUntil([&] { return loads.Acks().size() >= 3000; }, milliseconds(60000)));
  tally.Start();
  loads.RequireAllCleanExit();

  const uint64_t h = SettledHead(kLoads * kEach);
  zmq::context_t ctx;
  WaitSettled(ctx, bus, ep, h);
  tally.Stop();
  auto state = tally.Dump();
  CheckTallyState(state, h, kLoads, kEach);
  CheckMilestonesInLog(ctx, bus, ep, h);

  // A fresh tally of the same name that applies the whole log once ends in the same state
  // (its milestones carry the same derived ids, so the bus drops them as duplicates).
  TallyUnderTest reference(bus, bus.dir() / "reference");
  reference.Start();
  CHECK(reference.WaitReady() == h);
  reference.Stop();
  CHECK(reference.Dump() == state);
  CHECK(QueryStatus(ctx, ep.replay, milliseconds(2000), bus.Probe())->head_seq == h);
}

TEST_CASE("A slow subscriber that misses live messages repairs the gaps, across a bus restart",
          "[service][process][fault]") {
  // A tiny PUB high-water mark and a slow service: the bus drops live messages for it.
  BusUnderTest bus("pub_hwm = 10\n");
  BusEndpoints ep = bus.Start();
  TallyUnderTest tally(bus, bus.dir() / "tally", 1000);
  tally.Start();
  tally.WaitReady();

  constexpr int kLoads = 4, kEach = 1500;
  LoadRun loads(bus, ep.ingest, kLoads, kEach, 64);
  REQUIRE(WaitUntil([&] { return loads.Acks().size() >= 2000; }, milliseconds(60000)));
  bus.Kill();  // the subscriber's sockets lose their peer mid-stream
  ep = bus.Start();
  loads.RequireAllCleanExit();

  const uint64_t h = SettledHead(kLoads * kEach);
  zmq::context_t ctx;
  WaitSettled(ctx, bus, ep, h);
  tally.Stop();
  CheckTallyState(tally.Dump(), h, kLoads, kEach);
  CheckMilestonesInLog(ctx, bus, ep, h);
  auto stats = tally.Stats();
  INFO(stats.dump());
  CHECK(stats["gaps"].get<uint64_t>() > 0);  // it did miss live messages, and repaired them
  CHECK(stats["live"].get<uint64_t>() + stats["replayed"].get<uint64_t>() >= h);
}

namespace {

// Runs picket-tally (a service on ServiceMain) with `args` and returns its exit status and
// its output.
std::pair<int, std::string> RunTally(const TempDir& dir, std::vector<std::string> args) {
  args.insert(args.begin(), BinaryPath("picket-tally"));
  std::string log = dir / "tally-run.log";
  WriteFile(log, "");
  ChildProcess p(args, log);
  auto status = p.Wait(milliseconds(20000));
  REQUIRE(status.has_value());
  REQUIRE(WIFEXITED(*status));
  return {WEXITSTATUS(*status), ReadFile(log)};
}

// A [security] section for the site in `dir` (sites run with keys): the bus's and the
// tally's keys, in dir/keys, where each process looks for its own.
std::string SecuritySectionFor(const TempDir& dir) {
  SiteKeysFixture keys(dir.path());
  keys.Add("bus", "service");
  keys.Add("tally", "service");
  return keys.SecuritySection();
}

}  // namespace

TEST_CASE("ServiceMain: exit 2 for a bad command line or configuration, 1 when the bus is not up",
          "[service][process]") {
  TempDir dir;
  const std::string site = "[site]\nid = \"test-site\"\ndata_root = \"" + dir.path() + "/data\"\n";
  const std::string security = SecuritySectionFor(dir);

  // An unknown flag: 2, nothing started.
  auto [flag_status, flag_log] = RunTally(dir, {"--config", dir / "none.toml", "--no-such-flag"});
  CHECK(flag_status == 2);
  CHECK(flag_log.find("--no-such-flag") != std::string::npos);

  // A value out of range in the service's own section: 2, with file and key.
  WriteFile(dir / "bad.toml", site + "\n[tally]\nmilestone_every = 0\n" + security);
  auto [bad_status, bad_log] = RunTally(dir, {"--config", dir / "bad.toml"});
  CHECK(bad_status == 2);
  INFO(bad_log);
  CHECK(bad_log.find("bad.toml") != std::string::npos);
  CHECK(bad_log.find("tally.milestone_every") != std::string::npos);

  // An unknown key: 2.
  WriteFile(dir / "typo.toml", site + "\n[tally]\nmilestone_evry = 5\n" + security);
  CHECK(RunTally(dir, {"--config", dir / "typo.toml"}).first == 2);

  // A file that does not exist: 2.
  CHECK(RunTally(dir, {"--config", dir / "missing.toml"}).first == 2);

  // A good configuration whose bus (any free port) has written no ready file yet: 1, so
  // that picket-site starts it again once the bus is up.
  WriteFile(dir / "good.toml",
            site + "\n[bus]\ningest = \"tcp://127.0.0.1:*\"\nevents = \"tcp://127.0.0.1:*\"\n" +
                "replay = \"tcp://127.0.0.1:*\"\n\n[tally]\nmilestone_every = 5\n" + security);
  auto [good_status, good_log] = RunTally(dir, {"--config", dir / "good.toml"});
  INFO(good_log);
  CHECK(good_status == 1);
  CHECK(good_log.find("ready") != std::string::npos);
}

TEST_CASE(
    "ServiceMain and picket-bus check a config: 0 for a valid file, 2 with the problem, nothing "
    "started",
    "[service][process]") {
  TempDir dir;
  const std::string site = "[site]\nid = \"test-site\"\ndata_root = \"" + dir.path() +
                           "/data\"\n[bus]\ningest = \"tcp://127.0.0.1:*\"\n";
  const std::string security = SecuritySectionFor(dir);
  WriteFile(dir / "good.toml", site + "[tally]\nmilestone_every = 5\n" + security);
  WriteFile(dir / "bad.toml", site + "[tally]\nmilestone_every = 0\n" + security);
  auto [good_status, good_log] = RunTally(dir, {"--config", dir / "good.toml", "--check-config"});
  INFO(good_log);
  CHECK(good_status == 0);  // no bus needed: only the file is read
  CHECK(good_log.find("the configuration is valid") != std::string::npos);
  auto [bad_status, bad_log] = RunTally(dir, {"--config", dir / "bad.toml", "--check-config"});
  CHECK(bad_status == 2);
  CHECK(bad_log.find("tally.milestone_every") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "data/tally"));

  // The bus has the same flag, and the same exit codes.
  ChildProcess bus({BinaryPath("picket-bus"), "--config", dir / "good.toml", "--check-config"},
                   dir / "bus.log");
  auto status = bus.Wait(milliseconds(20000));
  REQUIRE(status.has_value());
  CHECK(WEXITSTATUS(*status) == 0);
  WriteFile(dir / "broken.toml", "[site]\nid = \"test-site\"\n" + security);
  ChildProcess broken({BinaryPath("picket-bus"), "--config", dir / "broken.toml", "--check-config"},
                      dir / "broken.log");
  status = broken.Wait(milliseconds(20000));
  REQUIRE(status.has_value());
  CHECK(WEXITSTATUS(*status) == 2);
  CHECK(ReadFile(dir / "broken.log").find("data_root") != std::string::npos);
}

}  // namespace picket::testing
