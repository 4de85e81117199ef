// picket-bus as a real process: concurrent publishers, kill -9 mid-run, bad frames.
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "support/bus_fixture.h"

namespace picket::testing {

using std::chrono::milliseconds;

TEST_CASE("Concurrent publishers: every acked event is in the log once, in one order",
          "[bus][process]") {
  BusUnderTest bus;
  BusEndpoints ep = bus.Start();
  constexpr int kPublishers = 6, kEach = 500;
  LoadRun loads(bus.dir(), ep.ingest, kPublishers, kEach, 32);
  loads.RequireAllCleanExit();
  auto acks = loads.Acks();
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
  LoadRun loads(bus.dir(), ep.ingest, kPublishers, kEach, 32);
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

namespace picket::testing {

TEST_CASE("SIGTERM stops the bus cleanly and a restart keeps the log and the head",
          "[bus][process]") {
  BusUnderTest bus;
  BusEndpoints ep = bus.Start();
  zmq::context_t ctx;
  {
    IngestProbe probe(ctx, ep.ingest);
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
  IngestProbe probe(ctx, ep.ingest);
  EventSpec s;
  s.site = "test-site";
  auto r = probe.Publish(s, milliseconds(5000));
  REQUIRE(r.has_value());
  CHECK(r->seq == 11);
  auto log = ReplayAll(ctx, ep.replay, 1, milliseconds(10000));
  REQUIRE(log.has_value());
  CHECK(log->size() == 11);
}

}  // namespace picket::testing
