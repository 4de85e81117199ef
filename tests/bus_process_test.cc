// picket-bus as a real process: concurrent publishers, kill -9 mid-run, bad frames.
#include <signal.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "support/bus_probe.h"
#include "support/process.h"

namespace picket::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr auto kStartTimeout = milliseconds(20000);

// One picket-bus process over a data dir that outlives restarts.
class BusUnderTest {
 public:
  explicit BusUnderTest(const std::string& bus_extra = "")
      : config_(WriteSiteConfig(dir_.path(), "test-site", true, bus_extra)) {}

  BusEndpoints Start() {
    process_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{BinaryPath("picket-bus"), "--config", config_, "--data-dir",
                                 data_dir()},
        dir_ / "bus.log");
    std::optional<BusEndpoints> ready;
    bool up = WaitUntil(
        [&] {
          ready = ReadBusReady(data_dir());
          return ready && ready->pid == process_->pid();
        },
        kStartTimeout);
    INFO(ReadFile(dir_ / "bus.log"));
    REQUIRE(up);
    return *ready;
  }
  void Kill() { process_->Kill(); }
  ChildProcess& process() { return *process_; }
  std::string data_dir() const { return dir_.path() + "/data/bus"; }
  const TempDir& dir() const { return dir_; }

 private:
  TempDir dir_;
  std::string config_;
  std::unique_ptr<ChildProcess> process_;
};

struct AckLine {
  uint64_t seq;
  bool duplicate;
};

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

std::unique_ptr<ChildProcess> StartLoad(const TempDir& dir, const std::string& ingest,
                                        int index, int count, int window) {
  std::string producer = "load-" + std::to_string(index);
  return std::make_unique<ChildProcess>(
      std::vector<std::string>{BinaryPath("bus-load"), "--ingest", ingest, "--producer", producer,
                               "--count", std::to_string(count), "--window",
                               std::to_string(window), "--resend-after-ms", "500", "--out",
                               dir / (producer + ".acks")},
      dir / (producer + ".log"));
}

// The log must hold consecutive seqs from 1, each id once.
void CheckLogIsOneTotalOrder(const std::vector<LoggedEvent>& log) {
  std::set<EventId> ids;
  for (size_t i = 0; i < log.size(); ++i) {
    INFO("log position " << i);
    REQUIRE(log[i].seq == i + 1);
    REQUIRE(ids.insert(log[i].id).second);
  }
}

}  // namespace

TEST_CASE("Concurrent publishers: every acked event is in the log once, in one order",
          "[bus][process]") {
  BusUnderTest bus;
  BusEndpoints ep = bus.Start();
  constexpr int kPublishers = 6, kEach = 500;
  std::vector<std::unique_ptr<ChildProcess>> loads;
  std::vector<std::string> ack_files;
  for (int i = 0; i < kPublishers; ++i) {
    loads.push_back(StartLoad(bus.dir(), ep.ingest, i, kEach, 32));
    ack_files.push_back(bus.dir() / ("load-" + std::to_string(i) + ".acks"));
  }
  for (auto& l : loads) {
    auto status = l->Wait(milliseconds(120000));
    INFO(ReadFile(l->log_path()));
    REQUIRE(status.has_value());
    REQUIRE(WIFEXITED(*status));
    REQUIRE(WEXITSTATUS(*status) == 0);
  }
  auto acks = ReadAcks(ack_files);
  REQUIRE(acks.size() == kPublishers * kEach);

  zmq::context_t ctx;
  auto log = ReplayAll(ctx, ep.replay, 1, milliseconds(30000));
  REQUIRE(log.has_value());
  REQUIRE(log->size() == kPublishers * kEach);
  CheckLogIsOneTotalOrder(*log);
  for (const auto& e : *log) {
    auto it = acks.find(e.id);
    REQUIRE(it != acks.end());
    CHECK(it->second.seq == e.seq);
  }
}

TEST_CASE("kill -9 of the bus mid-run loses no acked event and dedups the retries",
          "[bus][process][fault]") {
  BusUnderTest bus;
  BusEndpoints ep = bus.Start();
  constexpr int kPublishers = 4, kEach = 1500;
  std::vector<std::unique_ptr<ChildProcess>> loads;
  std::vector<std::string> ack_files;
  for (int i = 0; i < kPublishers; ++i) {
    loads.push_back(StartLoad(bus.dir(), ep.ingest, i, kEach, 32));
    ack_files.push_back(bus.dir() / ("load-" + std::to_string(i) + ".acks"));
  }
  // Kill while the publishers are in the middle of their run.
  REQUIRE(WaitUntil([&] { return ReadAcks(ack_files).size() >= 1000; }, milliseconds(60000)));
  bus.Kill();
  auto acked_before_kill = ReadAcks(ack_files);
  REQUIRE(acked_before_kill.size() < kPublishers * kEach);

  bus.Start();
  for (auto& l : loads) {
    auto status = l->Wait(milliseconds(120000));
    INFO(ReadFile(l->log_path()));
    REQUIRE(status.has_value());
    REQUIRE(WIFEXITED(*status));
    REQUIRE(WEXITSTATUS(*status) == 0);
  }
  int resends = 0;
  for (const auto& f : ack_files) resends += std::atoi(ReadFile(f + ".resends").c_str());
  CHECK(resends > 0);  // events in flight at the kill were sent again

  zmq::context_t ctx;
  auto log = ReplayAll(ctx, ep.replay, 1, milliseconds(30000));
  REQUIRE(log.has_value());
  CheckLogIsOneTotalOrder(*log);
  REQUIRE(log->size() == kPublishers * kEach);  // every event once: retries deduplicated
  std::map<EventId, uint64_t> seq_of;
  for (const auto& e : *log) seq_of[e.id] = e.seq;
  for (const auto& [id, ack] : acked_before_kill) {
    auto it = seq_of.find(id);
    REQUIRE(it != seq_of.end());  // acked before the kill: durable
    CHECK(it->second == ack.seq);
  }
}

TEST_CASE("Bad frames each get a nack with a clear code and the bus keeps serving",
          "[bus][process][bad_input]") {
  BusUnderTest bus("max_message_bytes = 4096\n");
  BusEndpoints ep = bus.Start();
  zmq::context_t ctx;
  IngestProbe bad(ctx, ep.ingest), good(ctx, ep.ingest);
  auto expect_nack = [&](const std::vector<std::string>& frames, const std::string& code) {
    bad.SendMultipart(frames);
    auto frame = bad.Receive(milliseconds(5000));
    REQUIRE(frame.has_value());
    Reply r = ParseReply(*frame);
    CHECK(r.kind == Reply::kNack);
    CHECK(r.code == code);
    CHECK_FALSE(r.message.empty());
    // Another producer is still served, and gets the next sequence number.
    EventSpec spec;
    spec.site = "test-site";
    auto ack = good.Publish(spec, milliseconds(5000));
    REQUIRE(ack.has_value());
    CHECK(ack->kind == Reply::kAck);
  };
  EventSpec valid;
  valid.site = "test-site";
  std::string frame = PublishFrame(valid);

  SECTION("garbage") { expect_nack({"not capnp"}, "malformed"); }
  SECTION("random words") { expect_nack({std::string(64, '\xee')}, "malformed"); }
  SECTION("truncated") { expect_nack({frame.substr(0, frame.size() - 16)}, "malformed"); }
  SECTION("empty") { expect_nack({""}, "malformed"); }
  SECTION("oversized") { expect_nack({std::string(10000, '\0')}, "tooLarge"); }
  SECTION("too many envelope frames") {
    std::vector<std::string> frames(9, "x");
    frames.push_back(frame);
    expect_nack(frames, "badFrames");
  }
  SECTION("wrong site") {
    EventSpec s;
    s.site = "other-site";
    expect_nack({PublishFrame(s)}, "wrongSite");
  }
  SECTION("bad type name") {
    EventSpec s;
    s.site = "test-site";
    s.type = "NoDots";
    expect_nack({PublishFrame(s)}, "outOfRange");
  }
  SECTION("missing producer") {
    EventSpec s;
    s.site = "test-site";
    s.producer = "";
    expect_nack({PublishFrame(s)}, "missingField");
  }
  SECTION("registered type without its body") {
    EventSpec s;
    s.site = "test-site";
    s.type = "terminal.pass_scanned";
    expect_nack({PublishFrame(s)}, "unknownType");
  }
  CHECK(bus.process().Running());
}

TEST_CASE("A REQ-style empty delimiter is echoed and the publish acked", "[bus][process]") {
  BusUnderTest bus;
  BusEndpoints ep = bus.Start();
  zmq::context_t ctx;
  zmq::socket_t req(ctx, zmq::socket_type::req);
  req.set(zmq::sockopt::linger, 0);
  req.connect(ep.ingest);
  EventSpec s;
  s.site = "test-site";
  std::string frame = PublishFrame(s);
  req.send(zmq::buffer(frame), zmq::send_flags::none);
  zmq::pollitem_t item{req.handle(), 0, ZMQ_POLLIN, 0};
  REQUIRE(zmq::poll(&item, 1, milliseconds(5000)) == 1);
  zmq::message_t m;
  REQUIRE(req.recv(m, zmq::recv_flags::none));
  Reply r = ParseReply(m.to_string());
  CHECK(r.kind == Reply::kAck);
  CHECK(r.id == s.id);
  CHECK(r.seq == 1);
}

}  // namespace picket::testing
