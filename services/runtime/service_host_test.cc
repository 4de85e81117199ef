// ServiceHost against a scripted bus: real sockets, a real RocksDB in a temp dir, a
// ManualClock for the timers. The test drives the host's loop itself (Start + RunOnce).
#include "runtime/service_host.h"

#include <capnp/message.h>

#include <catch2/catch.hpp>
#include <thread>

#include "runtime/store_keys.h"
#include "testing/manual_clock.h"
#include "testing/scripted_bus.h"
#include "testing/service_harness.h"
#include "wire/codec.h"
#include "wire/event_id.h"

namespace picket {
namespace {

using std::chrono::milliseconds;
using testing::kTestTime;
using testing::RunUntil;
using testing::ScratchDir;
using testing::ScriptedBus;

SiteConfig Site(const ScriptedBus& bus) {
  SiteConfig site;
  site.id = "test-site";
  site.bus.ingest = bus.ingest_endpoint;
  site.bus.events = bus.events_endpoint;
  site.bus.replay = bus.replay_endpoint;
  return site;
}

ServiceHostOptions Options(const std::string& dir) {
  ServiceHostOptions o;
  o.name = "picket-host-test";
  o.data_dir = dir;
  o.tables = {"counts"};
  o.commands = "tcp://127.0.0.1:*";
  o.handle_signals = false;
  return o;
}

uint64_t Read(ServiceStore& store, std::string_view key) {
  auto v = store.Get("counts", key);
  return v ? std::stoull(*v) : 0;
}
void Add(Txn& txn, std::string_view key, uint64_t n) {
  auto v = txn.Get("counts", key);
  txn.Put("counts", key, std::to_string((v ? std::stoull(*v) : 0) + n));
}

// The service under test: every event (but its own) counts and sets a timer one second after the
// clock's time; every timer that fires counts and emits `test.fired`. A command frame is
// "<16-byte id><text>": it counts and replies "done <n>".
void Wire(ServiceHost& host) {
  host.SetEventHandler([&host](ApplyContext& ctx, wire::Event::Reader event) {
    if (std::string_view(event.getType().cStr()) == "test.fired") return;  // its own
    Add(ctx.state(), "events", 1);
    ctx.SetTimer("t" + std::to_string(event.getSeq()), host.clock().Now() + kMicrosPerSecond,
                 "payload");
  });
  host.SetTimerHandler([](ApplyContext& ctx, const TimerRow& row, Micros now) {
    CHECK(now >= row.due);
    Add(ctx.state(), "fired", 1);
    auto e = ctx.Emit();
    e.setType("test.fired");
    e.setObservedAt(now);
  });
  host.SetCommandHandler(
      [&host](std::string_view request, const Caller&) {
        if (request.size() < 16) return std::string("malformed");
        std::string reply, error;
        auto r = host.ApplyCommand(
            request.substr(0, 16),
            [](ApplyContext& ctx) {
              Add(ctx.state(), "commands", 1);
              return "done " + *ctx.state().Get("counts", "commands");
            },
            &reply, &error);
        return r == ApplyResult::kFailed ? "failed: " + error : reply;
      },
      "malformed");
}

// A DEALER client of the command endpoint.
std::optional<std::string> Ask(zmq::context_t& ctx, ServiceHost& host, ScriptedBus& bus,
                               const std::string& frame) {
  zmq::socket_t dealer(ctx, zmq::socket_type::dealer);
  dealer.set(zmq::sockopt::linger, 0);
  dealer.connect(host.commands_endpoint());
  dealer.send(zmq::buffer(frame), zmq::send_flags::none);
  std::optional<std::string> reply;
  RunUntil(
      host.loop(),
      [&] {
        zmq::message_t m;
        if (dealer.recv(m, zmq::recv_flags::dontwait)) reply = m.to_string();
        return reply.has_value();
      },
      milliseconds(10000), [&] { bus.Pump(); });
  return reply;
}

}  // namespace

TEST_CASE("host: events apply once, their timers fire once and emit through the outbox",
          "[service_host]") {
  ScratchDir dir;
  zmq::context_t ctx;
  ScriptedBus bus(ctx);
  for (int i = 0; i < 3; ++i) bus.Record();
  ManualClock clock(kTestTime);
  auto site = Site(bus);
  {
    ServiceHost host(site, Options(dir.path()), clock);
    REQUIRE(host.Open(&dir.error));
    Wire(host);
    REQUIRE(host.Start(&dir.error));
    // Heartbeats let the subscriber notice live events the PUB dropped (a slow joiner).
    auto pump = [&] {
      bus.Pump();
      bus.Heartbeat();
    };
    REQUIRE(RunUntil(
        host.loop(), [&] { return host.caught_up(); }, milliseconds(10000), pump));
    CHECK(Read(host.store(), "events") == 3);
    CHECK(Read(host.store(), "fired") == 0);

    clock.Advance(kMicrosPerSecond);
    REQUIRE(RunUntil(
        host.loop(), [&] { return Read(host.store(), "fired") == 3; }, milliseconds(10000), pump));
    // The fired events reach the bus with ids derived from the timer rows.
    REQUIRE(RunUntil(
        host.loop(), [&] { return bus.head() == 6; }, milliseconds(10000), pump));
    std::string cause =
        "timer/" + store_keys::EncodeTimerKey(kTestTime + kMicrosPerSecond, "t1") + "/payload";
    std::string error;
    auto msg = DecodedMessage::Decode(bus.EventFrame(4), &error);
    REQUIRE(msg);
    auto id = msg->Root<wire::Event>().getId();
    CHECK(EventId::FromBytes({reinterpret_cast<const char*>(id.begin()), id.size()}) ==
          EventId::DerivedLocal("picket-host-test", cause, 0));

    // A new event sets a new timer; nothing fires before its time.
    bus.PublishLive(bus.Record());
    REQUIRE(RunUntil(
        host.loop(), [&] { return Read(host.store(), "events") == 4; }, milliseconds(10000), pump));
    for (int i = 0; i < 20; ++i) host.loop().RunOnce(1);
    CHECK(Read(host.store(), "fired") == 3);
  }
  // Restarted (as after a crash) with one row pending: it fires once, after the restart.
  ServiceHost host(site, Options(dir.path()), clock);
  REQUIRE(host.Open(&dir.error));
  Wire(host);
  REQUIRE(host.Start(&dir.error));
  auto pump = [&] { bus.Pump(); };
  clock.Advance(2 * kMicrosPerSecond);
  REQUIRE(RunUntil(
      host.loop(), [&] { return Read(host.store(), "fired") == 4; }, milliseconds(10000), pump));
  for (int i = 0; i < 20; ++i) host.loop().RunOnce(1);
  CHECK(Read(host.store(), "fired") == 4);
  std::string error;
  CHECK_FALSE(host.store().NextTimerDue(&error).has_value());
}

TEST_CASE("host: a command id applies once, a retry gets the recorded reply", "[service_host]") {
  ScratchDir dir;
  zmq::context_t ctx;
  ScriptedBus bus(ctx);
  ManualClock clock(kTestTime);
  auto site = Site(bus);
  ServiceHost host(site, Options(dir.path()), clock);
  REQUIRE(host.Open(&dir.error));
  Wire(host);
  REQUIRE(host.Start(&dir.error));
  CHECK(host.commands_endpoint().rfind("tcp://127.0.0.1:", 0) == 0);

  std::string first = std::string(16, 'a') + "note";
  CHECK(Ask(ctx, host, bus, first) == "done 1");
  CHECK(Ask(ctx, host, bus, first) == "done 1");  // a retry
  CHECK(Ask(ctx, host, bus, std::string(16, 'b') + "note") == "done 2");
  CHECK(Read(host.store(), "commands") == 2);
  CHECK(Ask(ctx, host, bus, "short") == "malformed");
  // Oversized frames never reach the handler.
  CHECK(Ask(ctx, host, bus, std::string(16, 'c') + std::string(70000, 'x')) == "malformed");
  CHECK(Read(host.store(), "commands") == 2);
}

TEST_CASE("host: Post runs functions on the loop thread, from any thread", "[service_host]") {
  ScratchDir dir;
  zmq::context_t ctx;
  ScriptedBus bus(ctx);
  ManualClock clock(kTestTime);
  auto site = Site(bus);
  ServiceHost host(site, Options(dir.path()), clock);
  REQUIRE(host.Open(&dir.error));
  Wire(host);
  REQUIRE(host.Start(&dir.error));
  const auto loop_thread = std::this_thread::get_id();
  int ran = 0;
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w)
    workers.emplace_back([&] {
      for (int i = 0; i < 25; ++i)
        host.Post([&] {
          CHECK(std::this_thread::get_id() == loop_thread);
          ++ran;
        });
    });
  for (auto& t : workers) t.join();
  REQUIRE(RunUntil(
      host.loop(), [&] { return ran == 100; }, milliseconds(10000)));
  // A worker's result applied as a local input is committed and published.
  std::string error;
  REQUIRE(host.ApplyLocal(
              "result/1",
              [](ApplyContext& c) {
                Add(c.state(), "results", 1);
                auto e = c.Emit();
                e.setType("test.result");
                e.setObservedAt(kTestTime);
              },
              &error) == ApplyResult::kApplied);
  CHECK(Read(host.store(), "results") == 1);
  REQUIRE(RunUntil(
      host.loop(), [&] { return bus.head() == 1; }, milliseconds(10000), [&] { bus.Pump(); }));
}

}  // namespace picket

namespace picket {
namespace {

ServiceHostOptions HarnessOptions() {
  ServiceHostOptions o;
  o.name = "picket-host-test";
  o.tables = {"counts"};
  return o;
}

}  // namespace

TEST_CASE("host: a backlog is applied a replay batch per write, each event once",
          "[service_host]") {
  testing::ServiceHarness h(HarnessOptions());
  constexpr int kBacklog = 2000;
  for (int i = 0; i < kBacklog; ++i) h.bus().Record();
  h.host().SetEventHandler([](ApplyContext& ctx, wire::Event::Reader event) {
    if (std::string_view(event.getType().cStr()) == "test.milestone") return;
    Add(ctx.state(), "events", 1);
    Add(ctx.state(), "seq_sum", ctx.seq());
    if (ctx.seq() % 100 == 0) {  // derived events of a batched apply keep their own ids
      auto e = ctx.Emit();
      e.setType("test.milestone");
      e.setObservedAt(kTestTime);
    }
  });
  REQUIRE(h.Start());
  CHECK(Read(h.host().store(), "events") == kBacklog);
  CHECK(Read(h.host().store(), "seq_sum") == uint64_t{kBacklog} * (kBacklog + 1) / 2);
  const std::string label = "{service=\"picket-host-test\"}";
  const double batches = h.Metric("picket_service_catch_up_batches_total" + label);
  INFO("batches " << batches);
  CHECK(batches >= 1);
  CHECK(batches <= kBacklog / 100);  // 256 events a batch; never one write per event
  auto derived = h.Derived();
  REQUIRE(derived.size() == kBacklog / 100);
  std::string error;
  auto first = DecodedMessage::Decode(derived[0], &error);
  REQUIRE(first);
  auto id = first->Root<wire::Event>().getId();
  CHECK(*EventId::FromBytes({reinterpret_cast<const char*>(id.begin()), id.size()}) ==
        EventId::Derived("picket-host-test", 100, 0));
}

TEST_CASE(
    "host: a typed handler gets its body decoded, and a body that does not decode is "
    "skipped, counted and changes nothing",
    "[service_host]") {
  testing::ServiceHarness h(HarnessOptions());
  std::vector<std::string> people;
  h.host().On(event_types::kAlertRaised,
              [&](ApplyContext& ctx, wire::Event::Reader, wire::AlertRaised::Reader alert) {
                people.push_back(alert.getPerson());
                Add(ctx.state(), "alerts", 1);
              });
  int others = 0;
  h.host().SetEventHandler([&](ApplyContext&, wire::Event::Reader) { ++others; });
  REQUIRE(h.Start());

  h.Publish(testing::MakeTypedEvent(event_types::kAlertRaised, kTestTime,
                                    [](wire::AlertRaised::Builder b) { b.setPerson("otto"); }));
  // The same type with a Text where the struct must be: not an AlertRaised.
  capnp::MallocMessageBuilder bad;
  {
    auto e = bad.initRoot<wire::Event>();
    EventId id = EventId::Random();
    e.setId(capnp::Data::Reader(reinterpret_cast<const capnp::byte*>(id.Bytes().data()), 16));
    e.setSite("test-site");
    e.setType(std::string(event_types::kAlertRaised.name));
    e.setProducer("escalation");
    e.setObservedAt(kTestTime);
    e.getBody().setAs<capnp::Text>("not a struct");
  }
  uint64_t bad_seq = h.Publish(Encode(bad));
  h.Publish(testing::MakeEvent(EventId::Random(), "test.other"));
  h.Publish(testing::MakeTypedEvent(event_types::kAlertRaised, kTestTime,
                                    [](wire::AlertRaised::Builder b) { b.setPerson("lea"); }));
  REQUIRE(h.Settle());
  CHECK(people == std::vector<std::string>{"otto", "lea"});
  CHECK(Read(h.host().store(), "alerts") == 2);
  CHECK(others == 1);                                    // test.other: no typed handler
  CHECK(h.host().store().applied_seq() >= bad_seq + 2);  // it went past the bad one
  CHECK(h.Metric("picket_service_events_malformed_total{service=\"picket-host-test\"}") == 1);
}

}  // namespace picket

namespace picket {

TEST_CASE(
    "host: an event its typed handler's conversion refuses is skipped, counted and changes "
    "nothing, and the handler sees only converted values",
    "[service_host]") {
  testing::ServiceHarness h(HarnessOptions());
  std::vector<std::string> people;
  h.host().On(
      event_types::kAlertRaised,
      [](wire::Event::Reader, wire::AlertRaised::Reader b,
         std::string* why) -> std::optional<std::string> {
        if (b.getPerson().size() == 0) {
          *why = "no person";
          return std::nullopt;
        }
        return std::string(b.getPerson().cStr());
      },
      [&](ApplyContext& ctx, const std::string& person) {
        people.push_back(person);
        Add(ctx.state(), "alerts", 1);
      });
  REQUIRE(h.Start());
  auto alert = [&](const char* person) {
    return h.Publish(
        testing::MakeTypedEvent(event_types::kAlertRaised, kTestTime,
                                [&](wire::AlertRaised::Builder b) { b.setPerson(person); }));
  };
  alert("otto");
  uint64_t refused = alert("");
  alert("lea");
  REQUIRE(h.Settle());
  CHECK(people == std::vector<std::string>{"otto", "lea"});
  CHECK(Read(h.host().store(), "alerts") == 2);
  CHECK(h.host().store().applied_seq() >= refused + 1);
  CHECK(h.Metric("picket_service_events_malformed_total{service=\"picket-host-test\"}") == 1);
}

TEST_CASE("host: WhenApplied runs once the events up to a seq are applied", "[service_host]") {
  testing::ServiceHarness h(HarnessOptions());
  h.host().SetEventHandler([](ApplyContext&, wire::Event::Reader) {});
  REQUIRE(h.Start());
  std::vector<uint64_t> ran;
  h.host().WhenApplied(0, [&] { ran.push_back(0); });  // nothing to wait for: at once
  CHECK(ran == std::vector<uint64_t>{0});
  h.host().WhenApplied(2, [&] { ran.push_back(h.host().applied_through()); });
  h.bus().Record();  // recorded, not sent live: the service learns of it from the head
  CHECK(ran.size() == 1);
  h.bus().Record();
  REQUIRE(h.Settle([&] { return ran.size() == 2; }));
  CHECK(ran[1] >= 2);
}

TEST_CASE(
    "host: a derived event from a producer that does not own its type never reaches a "
    "handler, is counted and is passed over",
    "[service_host]") {
  testing::ServiceHarness h(HarnessOptions());
  std::vector<std::string> people;
  h.host().On(event_types::kAlertRaised,
              [&](ApplyContext&, wire::Event::Reader, wire::AlertRaised::Reader alert) {
                people.push_back(alert.getPerson());
              });
  int panics = 0;
  h.host().On(event_types::kPanicPressed,
              [&](ApplyContext&, wire::Event::Reader, wire::PanicPressed::Reader) { ++panics; });
  REQUIRE(h.Start());

  auto alert = [](std::string person) {
    return [person](wire::AlertRaised::Builder b) { b.setPerson(person); };
  };
  h.Publish(testing::MakeTypedEvent(event_types::kAlertRaised, kTestTime, alert("otto")));
  // An alert published by a terminal: escalation's type, a forgery.
  const uint64_t forged = h.Publish(testing::MakeTypedEvent(event_types::kAlertRaised, kTestTime,
                                                            alert("mallory"), "gate-1-terminal"));
  // An observation: anyone may publish it.
  h.Publish(testing::MakeTypedEvent(
      event_types::kPanicPressed, kTestTime,
      [](wire::PanicPressed::Builder b) { b.setPost("gate-1"); }, "laptop-7"));
  h.Publish(testing::MakeTypedEvent(event_types::kAlertRaised, kTestTime, alert("lea")));
  REQUIRE(h.Settle());
  CHECK(people == std::vector<std::string>{"otto", "lea"});
  CHECK(panics == 1);
  CHECK(h.host().store().applied_seq() > forged);
  CHECK(h.Metric("picket_service_events_foreign_total{service=\"picket-host-test\"}") == 1);
  CHECK(h.Metric("picket_service_events_malformed_total{service=\"picket-host-test\"}") == 0);
}

}  // namespace picket
