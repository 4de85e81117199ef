// The whole bus in-process: real sockets over TCP (ports chosen by the OS), real RocksDB.
// Either the server runs on its own thread (Run) or the test drives it with RunOnce.
#include "bus/bus_server.h"

#include <httplib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "bus/bus_test_support.h"
#include "testing/manual_clock.h"
#include "wire/codec.h"

using namespace picket;
using namespace picket::bus_testing;
using std::chrono::milliseconds;

namespace {

BusServerOptions Options(const std::string& data_dir, bool http = false) {
  BusServerOptions o;
  o.site_id = kSite;
  o.data_dir = data_dir;
  o.bus.ingest = "tcp://127.0.0.1:*";
  o.bus.events = "tcp://127.0.0.1:*";
  o.bus.replay = "tcp://127.0.0.1:*";
  o.bus.http = "127.0.0.1:0";
  o.bus.sync = false;
  o.bus.heartbeat_interval = 20 * kMicrosPerMilli;
  o.start_http = http;
  return o;
}

std::unique_ptr<BusServer> StartServer(const BusServerOptions& o, const Clock& clock) {
  auto server = std::make_unique<BusServer>(o, clock);
  std::string error;
  INFO(error);
  REQUIRE(server->Start(&error));
  return server;
}

// Publishes with the server driven on this thread; returns the reply.
Reply PublishDriven(BusServer& server, Client& c, const EventId& id) {
  c.Send(PublishRequest(id));
  auto r = PumpForReply(c, [&] { server.RunOnce(5); });
  REQUIRE(r);
  return *r;
}

// Replays everything from `from` over `endpoint` with a server running on another thread.
std::vector<uint64_t> ReplayAll(zmq::context_t& ctx, const std::string& endpoint, uint64_t from) {
  Client c(ctx, endpoint);
  c.Send(ReplayRequestFrame(from, 0, 64));
  std::vector<uint64_t> seqs;
  bool ended = false;
  // Stops reading at the end: a credit sent for the last batch may cross the end on the
  // wire and be refused (unknownSession), which is the protocol, not an error.
  REQUIRE(WaitUntil([&] {
    while (auto m = c.TryReceive()) {
      Reply r = ParseReply(m->back());
      if (r.which == wire::BusReply::REPLAY_END) {
        ended = true;
        break;
      } else {
        REQUIRE(r.which == wire::BusReply::REPLAY_BATCH);
        seqs.insert(seqs.end(), r.seqs.begin(), r.seqs.end());
        c.Send(CreditFrame(static_cast<uint32_t>(r.seqs.size())));
      }
    }
    return ended;
  }));
  return seqs;
}

// Runs a server's loop on its own thread; stops and joins it when destroyed (also when a
// REQUIRE fails).
class LoopThread {
 public:
  explicit LoopThread(BusServer& server) : server_(server), thread_([&] { server_.Run(); }) {}
  ~LoopThread() { Stop(); }
  void Stop() {
    if (!thread_.joinable()) return;
    server_.RequestStop();
    thread_.join();
  }

 private:
  BusServer& server_;
  std::thread thread_;
};

}  // namespace

TEST_CASE("server: the ready file names the resolved endpoints and goes away on stop",
          "[bus][server]") {
  TempDir dir;
  SystemClock clock;
  auto server = StartServer(Options(dir.path() + "/bus", true), clock);
  std::ifstream in(server->ReadyFilePath());
  REQUIRE(in);
  auto ready = nlohmann::json::parse(in);
  CHECK(ready["pid"] == getpid());
  for (const char* key : {"ingest", "events", "replay"}) {
    std::string ep = ready[key];
    CHECK(ep.rfind("tcp://127.0.0.1:", 0) == 0);
    CHECK(ep.find('*') == std::string::npos);
  }
  std::string http = ready["http"];
  REQUIRE(http.rfind("127.0.0.1:", 0) == 0);
  CHECK(http != "127.0.0.1:0");

  LoopThread loop(*server);
  zmq::context_t ctx;
  Client c(ctx, ready["ingest"].get<std::string>());
  c.Send(PublishRequest(TestId(1)));
  std::optional<std::vector<std::string>> reply;
  REQUIRE(WaitUntil([&] { return (reply = c.TryReceive()).has_value(); }));
  CHECK(ParseReply(reply->back()).seq == 1);

  httplib::Client web("http://" + http);
  auto metrics = web.Get("/metrics");
  REQUIRE(metrics);
  CHECK(metrics->status == 200);
  for (const char* name :
       {"picket_bus_events_recorded_total 1", "picket_bus_duplicates_total",
        "picket_bus_rejected_total{code=\"malformed\"}", "picket_bus_batch_size_bucket",
        "picket_bus_write_seconds_bucket", "picket_bus_head_seq 1", "picket_bus_replay_sessions",
        "picket_bus_replay_events_total"})
    CHECK_THAT(metrics->body, Catch::Contains(name));
  auto health = web.Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);

  loop.Stop();
  CHECK_FALSE(std::filesystem::exists(server->ReadyFilePath()));
}

TEST_CASE(
    "server: concurrent publishers: every event acked once, one gapless order, live and replay",
    "[bus][server]") {
  TempDir dir;
  SystemClock clock;
  auto server = StartServer(Options(dir.path()), clock);
  const BoundEndpoints ep = server->endpoints();
  LoopThread loop(*server);
  zmq::context_t ctx;

  zmq::socket_t sub(ctx, zmq::socket_type::sub);
  sub.set(zmq::sockopt::subscribe, "");
  sub.connect(ep.events);
  // A heartbeat arriving proves the subscription is in place (no slow-joiner loss after it).
  REQUIRE(WaitUntil([&] {
    zmq::message_t topic, body;
    if (!sub.recv(topic, zmq::recv_flags::dontwait)) return false;
    (void)sub.recv(body);
    return true;
  }));

  constexpr int kPublishers = 4, kEach = 250, kWindow = 40;
  std::vector<std::vector<Reply>> acks(kPublishers);
  std::vector<std::thread> publishers;
  for (int p = 0; p < kPublishers; ++p) {
    publishers.emplace_back([&, p] {
      Client c(ctx, ep.ingest);
      int sent = 0;
      WaitUntil(
          [&] {
            while (sent < kEach && sent - static_cast<int>(acks[p].size()) < kWindow) {
              c.Send(PublishRequest(TestId(static_cast<uint32_t>(p * 10000 + sent))));
              ++sent;
            }
            std::string error;
            while (auto m = c.TryReceive())
              if (auto r = TryParseReply(m->back(), &error)) acks[p].push_back(*r);
            return acks[p].size() >= kEach;
          },
          milliseconds(30000));
    });
  }
  for (auto& t : publishers) t.join();

  std::set<uint64_t> seqs;
  for (int p = 0; p < kPublishers; ++p) {
    REQUIRE(acks[p].size() == kEach);
    for (const auto& a : acks[p]) {
      REQUIRE(a.which == wire::BusReply::ACK);
      CHECK_FALSE(a.duplicate);
      CHECK(seqs.insert(a.seq).second);
    }
  }
  CHECK(*seqs.begin() == 1);
  CHECK(*seqs.rbegin() == kPublishers * kEach);

  // Live: every event, in order, after the heartbeat.
  uint64_t expect = 1;
  REQUIRE(WaitUntil([&] {
    zmq::message_t topic, body;
    while (sub.recv(topic, zmq::recv_flags::dontwait)) {
      (void)sub.recv(body);
      if (topic.to_string() == "_hb") continue;
      std::string error;
      auto msg = DecodedMessage::Decode(body.to_string_view(), &error);
      REQUIRE(msg);
      REQUIRE(msg->Root<wire::Event>().getSeq() == expect);
      ++expect;
    }
    return expect == kPublishers * kEach + 1;
  }));

  auto replayed = ReplayAll(ctx, ep.replay, 1);
  REQUIRE(replayed.size() == kPublishers * kEach);
  for (size_t i = 0; i < replayed.size(); ++i) REQUIRE(replayed[i] == i + 1);
  loop.Stop();
}

TEST_CASE("server: seqs continue and ids stay deduplicated across a restart", "[bus][server]") {
  TempDir dir;
  SystemClock clock;
  zmq::context_t ctx;
  Reply first;
  {
    auto server = StartServer(Options(dir.path()), clock);
    Client c(ctx, server->endpoints().ingest);
    first = PublishDriven(*server, c, TestId(1));
    CHECK(PublishDriven(*server, c, TestId(2)).seq == 2);
  }
  auto server = StartServer(Options(dir.path()), clock);
  Client c(ctx, server->endpoints().ingest);
  Reply again = PublishDriven(*server, c, TestId(1));
  CHECK(again.duplicate);
  CHECK(again.seq == 1);
  CHECK(again.recorded_at == first.recorded_at);
  CHECK(PublishDriven(*server, c, TestId(3)).seq == 3);
}

TEST_CASE("server: retention deletes old events, the dedup window forgets old ids",
          "[bus][server]") {
  TempDir dir;
  ManualClock clock(kT0);
  const Micros minute = 60 * kMicrosPerSecond;
  auto options = Options(dir.path());
  options.bus.dedup_window = 10 * minute;
  options.bus.retention = 60 * minute;
  options.maintenance_interval = minute;
  zmq::context_t ctx;
  {
    auto server = StartServer(options, clock);
    Client c(ctx, server->endpoints().ingest);
    for (uint32_t i = 1; i <= 3; ++i) PublishDriven(*server, c, TestId(i));
    CHECK(PublishDriven(*server, c, TestId(1)).duplicate);  // within the window
    // 30 min later the maintenance timer (every minute) forgets ids 1..3 (window 10 min).
    clock.Advance(30 * minute);
    CHECK(PublishDriven(*server, c, TestId(4)).seq == 4);
    Reply renewed = PublishDriven(*server, c, TestId(1));
    CHECK_FALSE(renewed.duplicate);
    CHECK(renewed.seq == 5);
    CHECK(PublishDriven(*server, c, TestId(4)).duplicate);  // 0 min old: remembered
    // 65 min after the start, events 1..3 are past retention; the timer prunes them.
    clock.Advance(35 * minute);
    for (int i = 0; i < 5; ++i) server->RunOnce(1);
    CHECK(server->store().FirstSeq() == 4);
  }
  // A restart keeps head and first seq.
  auto server = StartServer(options, clock);
  CHECK(server->store().FirstSeq() == 4);
  CHECK(server->store().Head().seq == 5);
  Client c(ctx, server->endpoints().ingest);
  c.Send(Request([](auto r) { r.setStatus(); }));
  auto status = PumpForReply(c, [&] { server->RunOnce(5); });
  REQUIRE(status);
  CHECK(status->first_seq == 4);
  CHECK(status->head_seq == 5);
  Client r(ctx, server->endpoints().replay);
  r.Send(ReplayRequestFrame(1, 0, 100));
  auto batch = PumpForReply(r, [&] { server->RunOnce(5); });
  REQUIRE(batch);
  CHECK(batch->seqs == std::vector<uint64_t>{4, 5});
}

TEST_CASE("server: a dedup window longer than retention refuses to start", "[bus][server]") {
  TempDir dir;
  SystemClock clock;
  auto options = Options(dir.path());
  options.bus.dedup_window = 2 * 3600 * kMicrosPerSecond;
  options.bus.retention = 3600 * kMicrosPerSecond;
  BusServer server(options, clock);
  std::string error;
  CHECK_FALSE(server.Start(&error));
  CHECK_THAT(error, Catch::Contains("dedup_window"));
}

TEST_CASE("server: stop while publishing: every acked event is in the log after a restart",
          "[bus][server]") {
  TempDir dir;
  SystemClock clock;
  auto server = StartServer(Options(dir.path()), clock);
  const std::string ingest = server->endpoints().ingest;
  LoopThread loop(*server);
  zmq::context_t ctx;
  std::vector<Reply> acks;
  {
    Client c(ctx, ingest);
    uint32_t sent = 0;
    WaitUntil([&] {
      while (sent - acks.size() < 20) c.Send(PublishRequest(TestId(sent++)));
      while (auto m = c.TryReceive()) acks.push_back(ParseReply(m->back()));
      if (acks.size() >= 200) server->RequestStop();
      return acks.size() >= 200;
    });
    loop.Stop();
    server.reset();
    while (auto m = c.TryReceive()) acks.push_back(ParseReply(m->back()));
  }
  REQUIRE(acks.size() >= 200);
  server = StartServer(Options(dir.path()), clock);
  std::vector<StoredEvent> events;
  std::string error;
  REQUIRE(server->store().Read(1, 100000, 1 << 30, &events, &error));
  std::set<uint64_t> stored;
  for (auto& e : events) stored.insert(e.seq);
  for (const auto& a : acks) CHECK(stored.count(a.seq) == 1);
  CHECK(events.size() == server->store().Head().seq);
}
