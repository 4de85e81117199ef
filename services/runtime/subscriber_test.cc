#include "runtime/subscriber.h"

#include <catch2/catch.hpp>

#include <numeric>

#include "testing/scripted_bus.h"

namespace picket {
namespace {

using namespace std::chrono_literals;
using testing::RunUntil;
using testing::ScriptedBus;

std::vector<uint64_t> Range(uint64_t from, uint64_t to) {
  std::vector<uint64_t> v(to - from + 1);
  std::iota(v.begin(), v.end(), from);
  return v;
}

// A subscriber against a scripted bus, recording what it delivers.
struct Fixture {
  zmq::context_t ctx;
  SystemClock clock;
  EventLoop loop{clock, 5};
  std::unique_ptr<ScriptedBus> bus = std::make_unique<ScriptedBus>(ctx);
  std::vector<uint64_t> delivered;
  std::unique_ptr<Subscriber> sub;
  Micros last_heartbeat = 0;
  bool heartbeats = true;

  SubscriberOptions Options() {
    SubscriberOptions o;
    o.name = "picket-test";
    o.events_endpoint = bus->events_endpoint;
    o.replay_endpoint = bus->replay_endpoint;
    o.stall_timeout = 300 * kMicrosPerMilli;
    o.progress_interval = 50 * kMicrosPerMilli;
    o.retry_delay = 20 * kMicrosPerMilli;
    return o;
  }
  void Start(
      uint64_t next, SubscriberOptions o,
      std::function<bool(uint64_t)> accept = [](uint64_t) { return true; }) {
    sub = std::make_unique<Subscriber>(ctx, loop, o);
    std::string error;
    REQUIRE(sub->Start(
        next,
        [this, accept](wire::Event::Reader e) {
          if (!accept(e.getSeq())) return false;
          delivered.push_back(e.getSeq());
          return true;
        },
        &error));
  }
  // The scripted bus's turn: answer requests, and heartbeat every 50 ms like the real one.
  void Pump() {
    bus->Pump();
    if (heartbeats && clock.Now() - last_heartbeat > 50 * kMicrosPerMilli) {
      bus->Heartbeat();
      last_heartbeat = clock.Now();
    }
  }
  bool Until(const std::function<bool()>& done, std::chrono::milliseconds t = 10s) {
    return RunUntil(loop, done, t, [this] { Pump(); });
  }
  void RecordN(int n) {
    for (int i = 0; i < n; ++i) bus->Record();
  }
};

}  // namespace

TEST_CASE("Catch-up replays in order within the credit window, then switches to live",
          "[subscriber]") {
  Fixture f;
  f.RecordN(100);
  auto o = f.Options();
  o.credit_window = 16;
  o.max_batch = 5;
  uint64_t caught_up_at = 0;
  f.Start(1, o);
  f.sub->SetCaughtUpHandler([&](uint64_t next) { caught_up_at = next; });
  REQUIRE(f.Until([&] { return f.sub->live(); }));
  CHECK(caught_up_at == 101);
  CHECK(f.delivered == Range(1, 100));
  CHECK(f.sub->stats().replayed == 100);
  CHECK_FALSE(f.bus->credit_violated);
  CHECK(f.bus->max_outstanding_credit <= 16);
  CHECK(f.bus->max_outstanding_credit > 0);
  f.bus->RecordAndPublish();
  REQUIRE(f.Until([&] { return f.delivered.size() == 101; }));
  CHECK(f.delivered.back() == 101);
  CHECK(f.sub->stats().live + f.sub->stats().replayed == 101);
  CHECK(f.sub->stats().duplicates == 0);
}

TEST_CASE("A jump in live seqs is repaired by replaying the gap", "[subscriber]") {
  Fixture f;
  f.RecordN(10);
  f.Start(1, f.Options());
  REQUIRE(f.Until([&] { return f.sub->live(); }));
  f.heartbeats = false;  // only the seq jump may reveal the gap here
  for (int i = 0; i < 10; ++i) f.bus->Record();
  for (uint64_t s = 11; s <= 20; ++s)
    if (s != 13 && s != 14) f.bus->PublishLive(s);
  REQUIRE(f.Until([&] { return f.delivered.size() == 20; }));
  CHECK(f.delivered == Range(1, 20));
  CHECK(f.sub->stats().gaps >= 1);
  CHECK(f.sub->live());
}

TEST_CASE("A heartbeat ahead of the last event reveals a lost tail", "[subscriber]") {
  Fixture f;
  f.RecordN(10);
  f.Start(1, f.Options());
  REQUIRE(f.Until([&] { return f.sub->live(); }));
  uint64_t gaps = f.sub->stats().gaps;
  f.bus->Record();  // recorded, never published (PUB dropped them)
  f.bus->Record();
  REQUIRE(f.Until([&] { return f.delivered.size() == 12; }));
  CHECK(f.delivered == Range(1, 12));
  CHECK(f.sub->stats().gaps == gaps + 1);
  REQUIRE(f.Until([&] { return f.sub->live(); }));
}

TEST_CASE("Starting mid-log delivers from there, progress is reported", "[subscriber]") {
  Fixture f;
  f.RecordN(10);
  f.Start(6, f.Options());
  REQUIRE(f.Until([&] { return f.sub->live(); }));
  CHECK(f.delivered == Range(6, 10));
  REQUIRE(f.Until([&] { return !f.bus->progress.empty() && f.bus->progress.back().second == 10; }));
  CHECK(f.bus->progress.back().first == "picket-test");
}

TEST_CASE("A trimmed log resumes at the oldest retained event", "[subscriber]") {
  Fixture f;
  f.RecordN(60);
  f.bus->Trim(50);
  f.Start(1, f.Options());
  REQUIRE(f.Until([&] { return f.sub->live(); }));
  CHECK(f.delivered == Range(50, 60));
  CHECK(f.sub->stats().trimmed == 49);
}

TEST_CASE("A stalled replay (lost request) is requested again", "[subscriber]") {
  Fixture f;
  f.RecordN(20);
  f.bus->ignore_replay_requests = 1;
  f.Start(1, f.Options());
  REQUIRE(f.Until([&] { return f.sub->live(); }));
  CHECK(f.delivered == Range(1, 20));
  CHECK(f.sub->stats().stalls >= 1);
}

TEST_CASE("An event the handler could not apply is offered again, in order", "[subscriber]") {
  Fixture f;
  f.RecordN(10);
  int failures = 0;
  f.Start(1, f.Options(), [&](uint64_t seq) { return seq != 4 || ++failures > 2; });
  REQUIRE(f.Until([&] { return f.sub->live(); }));
  CHECK(f.delivered == Range(1, 10));
  CHECK(f.sub->stats().handler_failures == 2);
}

TEST_CASE("A handler that keeps failing (a full disk) is retried with a growing delay, capped",
          "[subscriber]") {
  Fixture f;
  f.RecordN(6);
  auto o = f.Options();
  o.retry_delay = 20 * kMicrosPerMilli;
  o.max_retry_delay = 80 * kMicrosPerMilli;
  std::vector<Micros> offers;  // when seq 4 was offered
  f.Start(1, o, [&](uint64_t seq) {
    if (seq != 4) return true;
    offers.push_back(f.clock.Now());
    return offers.size() > 6;
  });
  REQUIRE(f.Until([&] { return f.sub->live(); }));
  CHECK(f.delivered == Range(1, 6));  // nothing skipped, nothing twice
  REQUIRE(offers.size() == 7);
  std::vector<Micros> gaps;
  for (size_t i = 1; i < offers.size(); ++i) gaps.push_back(offers[i] - offers[i - 1]);
  // 20, 40, 80, 80, 80, 80 ms (plus a replay round trip each): a timer never fires early.
  CHECK(gaps[0] >= 20 * kMicrosPerMilli);
  CHECK(gaps[1] >= 40 * kMicrosPerMilli);
  CHECK(gaps[2] >= 80 * kMicrosPerMilli);
  CHECK(gaps[5] >= 80 * kMicrosPerMilli);
  CHECK(gaps[5] < 500 * kMicrosPerMilli);  // capped: uncapped it would be 640 ms
  CHECK(f.sub->stats().handler_failures == 6);
}

TEST_CASE("Live events that arrive during a replay are buffered and not doubled", "[subscriber]") {
  Fixture f;
  f.RecordN(300);
  auto o = f.Options();
  o.credit_window = 8;
  o.max_batch = 4;
  f.Start(1, o);
  // Publish live while the (slow, credit-limited) replay runs.
  REQUIRE(f.Until([&] { return f.delivered.size() >= 20; }));
  for (int i = 0; i < 20; ++i) f.bus->RecordAndPublish();
  REQUIRE(f.Until([&] { return f.delivered.size() == 320 && f.sub->live(); }));
  CHECK(f.delivered == Range(1, 320));
  CHECK(f.bus->max_outstanding_credit <= 8);
}

TEST_CASE("The subscriber survives a bus restart", "[subscriber]") {
  zmq::context_t ctx;
  testing::ScratchDir dir;
  SystemClock clock;
  EventLoop loop(clock, 5);
  auto bus = std::make_unique<ScriptedBus>(ctx, dir.path());
  for (int i = 0; i < 10; ++i) bus->Record();
  SubscriberOptions o;
  o.events_endpoint = bus->events_endpoint;
  o.replay_endpoint = bus->replay_endpoint;
  o.stall_timeout = 300 * kMicrosPerMilli;
  Subscriber sub(ctx, loop, o);
  std::vector<uint64_t> delivered;
  std::string error;
  REQUIRE(sub.Start(
      1,
      [&](wire::Event::Reader e) {
        delivered.push_back(e.getSeq());
        return true;
      },
      &error));
  auto pump = [&] {
    bus->Pump();
    bus->Heartbeat();
  };
  REQUIRE(RunUntil(
      loop, [&] { return sub.live(); }, 10s, pump));
  // The bus dies; 5 events are recorded while we are cut off; it comes back with its log.
  bus->Restart();
  for (int i = 0; i < 5; ++i) bus->Record();
  REQUIRE(RunUntil(
      loop, [&] { return delivered.size() == 15; }, 10s, pump));
  CHECK(delivered == Range(1, 15));
  // And live again after the restart.
  REQUIRE(RunUntil(
      loop, [&] { return sub.live(); }, 10s, pump));
  bus->RecordAndPublish();
  REQUIRE(RunUntil(
      loop, [&] { return delivered.size() == 16; }, 10s, pump));
  CHECK(delivered.back() == 16);
}

}  // namespace picket
