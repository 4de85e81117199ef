// picket-bus as a real process: concurrent publishers, kill -9 mid-run, bad frames, a full
// disk.
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "picket/schemas/terminal.capnp.h"
#include "support/bus_fixture.h"
#include "support/tmpfs.h"

namespace picket::testing {

using std::chrono::milliseconds;

TEST_CASE("Concurrent publishers: every acked event is in the log once, in one order",
          "[bus][process]") {
  BusUnderTest bus;
  BusEndpoints ep = bus.Start();
  constexpr int kPublishers = 6, kEach = 500;
  LoadRun loads(bus, ep.ingest, kPublishers, kEach, 32);
  loads.RequireAllCleanExit();
  auto acks = loads.Acks();
  REQUIRE(acks.size() == kPublishers * kEach);

  zmq::context_t ctx;
  auto log = ReplayAll(ctx, ep.replay, 1, milliseconds(30000), bus.Probe());
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
  LoadRun loads(bus, ep.ingest, kPublishers, kEach, 32);
  // Kill while the publishers are in the middle of their run.
  REQUIRE(WaitUntil([&] { return loads.Acks().size() >= 1000; }, milliseconds(60000)));
  bus.Kill();
  auto acked_before_kill = loads.Acks();
  REQUIRE(acked_before_kill.size() < kPublishers * kEach);

  bus.Start();
  loads.RequireAllCleanExit();
  int resends = 0;
  for (const auto& f : loads.ack_files) resends += std::atoi(ReadFile(f + ".resends").c_str());
  CHECK(resends > 0);  // events in flight at the kill were sent again

  zmq::context_t ctx;
  auto log = ReplayAll(ctx, ep.replay, 1, milliseconds(30000), bus.Probe());
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
  // Both clients are the probe (an admin): every frame below is refused for what it is, before
  // its publisher's rights are looked at.
  IngestProbe bad(ctx, ep.ingest, bus.Probe()), good(ctx, ep.ingest, bus.Probe());
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
  const CurveClientKeys keys = bus.Probe();  // the event's producer
  SecureClient(req, keys);
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

namespace picket::testing {

TEST_CASE("SIGTERM stops the bus cleanly and a restart keeps the log and the head",
          "[bus][process]") {
  BusUnderTest bus;
  BusEndpoints ep = bus.Start();
  zmq::context_t ctx;
  {
    IngestProbe probe(ctx, ep.ingest, bus.Probe());
    for (int i = 0; i < 10; ++i) {
      EventSpec s;
      s.site = "test-site";
      auto r = probe.Publish(s, milliseconds(5000));
      REQUIRE(r.has_value());
      REQUIRE(r->kind == Reply::kAck);
    }
  }
  // /metrics counts what was recorded; /healthz is ok.
  std::string host = ep.http.substr(0, ep.http.rfind(':'));
  int port = std::stoi(ep.http.substr(ep.http.rfind(':') + 1));
  httplib::Client http(host, port);
  auto metrics = http.Get("/metrics");
  REQUIRE(metrics);
  CHECK(metrics->status == 200);
  CHECK(metrics->body.find("picket_bus_events_recorded_total 10\n") != std::string::npos);
  auto health = http.Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);

  bus.process().Signal(SIGTERM);
  auto status = bus.process().Wait(milliseconds(10000));
  REQUIRE(status.has_value());
  CHECK(WIFEXITED(*status));
  CHECK(WEXITSTATUS(*status) == 0);
  CHECK(ReadFile(bus.data_dir() + "/ready").empty());  // removed on a clean stop

  ep = bus.Start();
  IngestProbe probe(ctx, ep.ingest, bus.Probe());
  EventSpec s;
  s.site = "test-site";
  auto r = probe.Publish(s, milliseconds(5000));
  REQUIRE(r.has_value());
  CHECK(r->seq == 11);
  auto log = ReplayAll(ctx, ep.replay, 1, milliseconds(10000), bus.Probe());
  REQUIRE(log.has_value());
  CHECK(log->size() == 11);
}

}  // namespace picket::testing

// A full disk (issue 16): the bus's data on a small tmpfs, filled under a publishing load.
namespace picket::testing {
namespace {

using Clock = std::chrono::steady_clock;

struct Http {
  explicit Http(const std::string& host_port)
      : client(host_port.substr(0, host_port.rfind(':')),
               std::stoi(host_port.substr(host_port.rfind(':') + 1))) {
    client.set_connection_timeout(2);
    client.set_read_timeout(5);
  }
  // {status, body}; {0, ""} without an answer.
  std::pair<int, std::string> Get(const std::string& path) {
    auto r = client.Get(path.c_str());
    if (!r) return {0, ""};
    return {r->status, r->body};
  }
  httplib::Client client;
};

// The value of one series ("name" or "name{labels}") in a /metrics text; -1 if absent.
double MetricValue(const std::string& text, const std::string& series) {
  auto at = text.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + series.size() + 2));
}

size_t CountLines(const std::string& text, const std::string& needle) {
  size_t n = 0;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (line.find(needle) != std::string::npos) ++n;
  return n;
}

// The terminal whose reports fill the disk: it may report for its post, gate-1.
const TestIdentity kLoadTerminal{"terminal-load", "terminal", "gate-1", {}};

// A report whose note makes the event about `bytes` bytes (by kLoadTerminal, for its post).
EventSpec BigEvent(size_t bytes) {
  EventSpec s;
  s.site = "test-site";
  s.type = "terminal.incident_reported";
  s.producer = kLoadTerminal.name;
  s.body = [bytes](capnp::AnyPointer::Builder b) {
    auto r = b.initAs<wire::IncidentReported>();
    r.setPost("gate-1");
    r.setKind("load");
    r.setNote(std::string(bytes, 'x'));
  };
  return s;
}

// What the bus answered to every publish of a test.
struct Outcomes {
  std::map<EventId, uint64_t> acked;       // id -> seq
  std::map<EventId, std::string> refused;  // id -> "code: message"
  void Record(const Reply& r) {
    if (r.kind == Reply::kAck) {
      CHECK_FALSE(r.duplicate);
      acked[r.id] = r.seq;
    } else {
      refused[r.id] = r.code + ": " + r.message;
    }
  }
};

// Publishes events of `bytes` bytes, `window` in flight, each once, until `done()`; then
// reads the replies still due. REQUIREs that the bus answers every one.
void PublishUntil(IngestProbe& probe, Outcomes& out, size_t bytes, size_t window,
                  const std::function<bool()>& done) {
  std::set<EventId> in_flight;
  auto deadline = Clock::now() + std::chrono::seconds(60);
  while (!done()) {
    REQUIRE(Clock::now() < deadline);
    while (in_flight.size() < window) {
      EventSpec spec = BigEvent(bytes);
      probe.Send(PublishFrame(spec));
      in_flight.insert(spec.id);
    }
    auto frame = probe.Receive(milliseconds(5000));
    REQUIRE(frame.has_value());  // the bus answers: it is up
    Reply r = ParseReply(*frame);
    in_flight.erase(r.id);
    out.Record(r);
  }
  while (!in_flight.empty()) {
    auto frame = probe.Receive(milliseconds(5000));
    REQUIRE(frame.has_value());
    Reply r = ParseReply(*frame);
    in_flight.erase(r.id);
    out.Record(r);
  }
}

// REQUIREs that the log is one total order holding every acked event once, at its acked
// seq, and no refused one.
void CheckLogHoldsExactlyTheAcked(zmq::context_t& ctx, const BusUnderTest& bus,
                                  const BusEndpoints& ep, const Outcomes& out) {
  auto log = ReplayAll(ctx, ep.replay, 1, milliseconds(30000), bus.Probe());
  REQUIRE(log.has_value());
  CheckLogIsOneTotalOrder(*log);
  CHECK(log->size() == out.acked.size());
  for (const auto& e : *log) {
    auto it = out.acked.find(e.id);
    REQUIRE(it != out.acked.end());
    CHECK(it->second == e.seq);
    CHECK(out.refused.count(e.id) == 0);
  }
}

}  // namespace

TEST_CASE(
    "A full disk: the bus stays up, refuses with unavailable naming the cause, /healthz says "
    "why, and acks again once space is freed, without a restart",
    "[bus][process][disk]") {
  // The low-space guard is off, so the disk really fills and RocksDB's write fails.
  BusUnderTest bus("min_free_bytes = 0\nmin_free_inodes = 0\ndisk_check_interval = \"100ms\"\n",
                   {kLoadTerminal});
  TmpfsMount disk(bus.dir() / "data", 64 << 20);
  SKIP_WITHOUT_TMPFS(disk);
  // A filler takes most of the disk so that a short load fills the rest. (What it leaves is
  // also less than RocksDB preallocates for its WAL, which would reserve it ahead.)
  const std::string filler = disk.path() + "/filler";
  FillDisk(filler, 10 << 20);
  BusEndpoints ep = bus.Start();
  zmq::context_t ctx;
  IngestProbe probe(ctx, ep.ingest, bus.As(kLoadTerminal.name));
  Http http(ep.http);

  // Synced 30 KB events until the disk is full and 40 were refused.
  Outcomes out;
  PublishUntil(probe, out, 30000, 16, [&] { return out.refused.size() >= 40; });
  INFO(ReadFile(bus.dir() / "bus.log"));
  CHECK(out.acked.size() > 50);  // the disk took some before it was full
  for (const auto& [id, why] : out.refused)
    CHECK_THAT(why, Catch::StartsWith("unavailable: the bus log cannot be written: no space "
                                      "left on device"));
  REQUIRE(bus.process().Running());
  auto [status, health] = http.Get("/healthz");
  CHECK(status == 503);
  CHECK_THAT(health, Catch::Contains("no space left on device"));
  std::string metrics;
  CHECK(WaitUntil(  // the gauge follows within a disk check interval
      [&] {
        metrics = http.Get("/metrics").second;
        return MetricValue(metrics, "picket_bus_writable") == 0;
      },
      milliseconds(2000)));
  CHECK(MetricValue(metrics, "picket_bus_storage_failures_total") >= 1);
  CHECK(MetricValue(metrics, "picket_bus_rejected_total{code=\"unavailable\"}") ==
        static_cast<double>(out.refused.size()));
  // Replay keeps serving what is recorded meanwhile.
  auto during = ReplayAll(ctx, ep.replay, 1, milliseconds(10000), bus.Probe());
  REQUIRE(during.has_value());
  CHECK(during->size() == out.acked.size());

  // Space is freed: the bus acks again by itself.
  const auto freed = Clock::now();
  std::filesystem::remove(filler);
  REQUIRE(WaitUntil(
      [&] {
        auto r = probe.Publish(BigEvent(100), milliseconds(2000));
        if (!r) return false;
        out.Record(*r);
        return r->kind == Reply::kAck;
      },
      milliseconds(20000)));
  const auto recovery_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - freed).count();
  std::cerr << "full disk: the bus acked again " << recovery_ms << " ms after space was freed\n";
  CHECK(recovery_ms < 10000);
  const size_t acked_before = out.acked.size();
  const size_t refused_before = out.refused.size();
  PublishUntil(probe, out, 30000, 16, [&] { return out.acked.size() >= acked_before + 100; });
  CHECK(out.refused.size() == refused_before);  // nothing refused once it recovered
  CHECK(http.Get("/healthz").first == 200);
  CHECK(MetricValue(http.Get("/metrics").second, "picket_bus_writable") == 1);

  // The same process all along, and a log with every acked event once at its acked seq.
  CHECK(bus.process().Running());
  CHECK(ReadBusReady(bus.data_dir())->pid == ep.pid);
  CheckLogHoldsExactlyTheAcked(ctx, bus, ep, out);
  // Said once when it started and once when it ended, not once per refused publish.
  std::string log = ReadFile(bus.dir() / "bus.log");
  CHECK(CountLines(log, "refusing writes and retrying") == 1);
  CHECK(CountLines(log, "can be written again") == 1);
}

TEST_CASE(
    "The low-space guard: below bus.min_free_bytes publishes are refused before the disk is "
    "full, and accepted again once there is room",
    "[bus][process][disk]") {
  BusUnderTest bus("min_free_bytes = \"16MiB\"\ndisk_check_interval = \"50ms\"\n", {kLoadTerminal});
  TmpfsMount disk(bus.dir() / "data", 64 << 20);
  SKIP_WITHOUT_TMPFS(disk);
  BusEndpoints ep = bus.Start();
  zmq::context_t ctx;
  IngestProbe probe(ctx, ep.ingest, bus.As(kLoadTerminal.name));
  Http http(ep.http);
  Outcomes out;
  auto r = probe.Publish(BigEvent(1000), milliseconds(5000));
  REQUIRE(r.has_value());
  out.Record(*r);
  REQUIRE(r->kind == Reply::kAck);

  const std::string filler = disk.path() + "/filler";
  FillDisk(filler, 8 << 20);  // 8 MiB left: below the 16 MiB minimum, far from full
  std::string refusal;
  REQUIRE(WaitUntil(
      [&] {
        auto reply = probe.Publish(BigEvent(1000), milliseconds(2000));
        if (!reply) return false;
        out.Record(*reply);
        refusal = reply->message;
        return reply->kind == Reply::kNack;
      },
      milliseconds(5000)));
  CHECK(out.refused.size() == 1);
  CHECK(out.refused.begin()->second.rfind("unavailable: ", 0) == 0);
  CHECK_THAT(refusal, Catch::Contains("the bus log refuses writes: only"));
  CHECK_THAT(refusal, Catch::Contains("below bus.min_free_bytes = 16 MiB"));
  auto [status, health] = http.Get("/healthz");
  CHECK(status == 503);
  CHECK_THAT(health, Catch::Contains("bus.min_free_bytes"));
  // The gauge follows within a disk check interval.
  CHECK(WaitUntil(
      [&] {
        return MetricValue(http.Get("/metrics").second, "picket_bus_disk_free_bytes") < 16 << 20;
      },
      milliseconds(2000)));

  std::filesystem::remove(filler);
  REQUIRE(WaitUntil(
      [&] {
        auto reply = probe.Publish(BigEvent(1000), milliseconds(2000));
        if (!reply) return false;
        out.Record(*reply);
        return reply->kind == Reply::kAck;
      },
      milliseconds(5000)));
  CHECK(http.Get("/healthz").first == 200);
  CHECK(bus.process().Running());
  CheckLogHoldsExactlyTheAcked(ctx, bus, ep, out);
  std::string log = ReadFile(bus.dir() / "bus.log");
  CHECK(CountLines(log, "refuses writes") == 1);
  CHECK(CountLines(log, "can be written again") == 1);
}

}  // namespace picket::testing
