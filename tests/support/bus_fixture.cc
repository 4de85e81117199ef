#include "support/bus_fixture.h"

#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <set>
#include <sstream>

namespace picket::testing {

namespace {

constexpr const char* kServices[] = {"bus",     "escalation", "notify", "access", "patrol",
                                     "scoring", "console",    "sim",    "tally"};
constexpr int kLoadKeys = 8;  // load-0 .. load-7

}  // namespace

BusUnderTest::BusUnderTest(const std::string& bus_extra,
                           const std::vector<TestIdentity>& identities, SiteSecurity security)
    : security_(security) {
  std::string text = bus_extra;
  if (secure()) {
    for (const char* service : kServices) keys_.Add(service, "service");
    keys_.Add("probe", "admin");
    for (int i = 0; i < kLoadKeys; ++i) keys_.Add("load-" + std::to_string(i), "admin");
    for (const auto& id : identities) keys_.Add(id.name, id.role, id.post, id.gates);
    text += keys_.SecuritySection("probe");
  }
  config_ = WriteSiteConfig(dir_.path(), "test-site", true, text);
}

CurveClientKeys BusUnderTest::As(const std::string& name, const std::string& server) const {
  if (!secure()) return {};
  return CurveClientKeys{keys_.Get(name), keys_.Get(server).public_key};
}

BusEndpoints BusUnderTest::Start() {
  process_ =
      std::make_unique<ChildProcess>(std::vector<std::string>{BinaryPath("picket-bus"), "--config",
                                                              config_, "--data-dir", data_dir()},
                                     dir_ / "bus.log");
  std::optional<BusEndpoints> ready;
  bool up = WaitUntil(
      [&] {
        ready = ReadBusReady(data_dir());
        return ready && ready->pid == process_->pid();
      },
      std::chrono::milliseconds(20000));
  INFO(ReadFile(dir_ / "bus.log"));
  REQUIRE(up);
  return *ready;
}

std::map<EventId, AckLine> ReadAcks(const std::vector<std::string>& paths) {
  std::map<EventId, AckLine> acks;
  for (const auto& p : paths) {
    std::istringstream in(ReadFile(p));
    std::string hex;
    uint64_t seq;
    int dup;
    while (in >> hex >> seq >> dup) {
      auto id = EventId::FromHex(hex);
      if (id) acks[*id] = AckLine{seq, dup != 0};
    }
  }
  return acks;
}

std::string AckFile(const TempDir& dir, int index) {
  return dir / ("load-" + std::to_string(index) + ".acks");
}

std::unique_ptr<ChildProcess> StartLoad(const BusUnderTest& bus, const std::string& ingest,
                                        int index, int count, int window) {
  const TempDir& dir = bus.dir();
  std::string producer = "load-" + std::to_string(index);
  std::vector<std::string> argv{BinaryPath("bus-load"), "--ingest", ingest,
                                "--producer",           producer,   "--count",
                                std::to_string(count),  "--window", std::to_string(window),
                                "--resend-after-ms",    "500",      "--out",
                                AckFile(dir, index)};
  if (bus.secure()) {
    CurveClientKeys keys = bus.As(producer);
    argv.insert(argv.end(),
                {"--key", bus.KeyFile(producer), "--server-key", keys.server_public_key});
  }
  return std::make_unique<ChildProcess>(argv, dir / (producer + ".log"));
}

LoadRun::LoadRun(const BusUnderTest& bus, const std::string& ingest, int publishers, int each,
                 int window) {
  for (int i = 0; i < publishers; ++i) {
    processes.push_back(StartLoad(bus, ingest, i, each, window));
    ack_files.push_back(AckFile(bus.dir(), i));
  }
}

void LoadRun::RequireAllCleanExit() {
  for (auto& p : processes) RequireCleanExit(*p);
}

void RequireCleanExit(ChildProcess& process) {
  auto status = process.Wait(std::chrono::milliseconds(120000));
  INFO(ReadFile(process.log_path()));
  REQUIRE(status.has_value());
  REQUIRE(WIFEXITED(*status));
  REQUIRE(WEXITSTATUS(*status) == 0);
}

void CheckLogIsOneTotalOrder(const std::vector<LoggedEvent>& log) {
  std::set<EventId> ids;
  for (size_t i = 0; i < log.size(); ++i) {
    INFO("log position " << i);
    REQUIRE(log[i].seq == i + 1);
    REQUIRE(ids.insert(log[i].id).second);
  }
}

}  // namespace picket::testing
