#include "runtime/publisher.h"

#include <catch2/catch.hpp>

#include "runtime/service_store.h"
#include "testing/scripted_bus.h"
#include "wire/codec.h"
#include "wire/event_rules.h"

namespace picket {
namespace {

using namespace std::chrono_literals;
using testing::RunUntil;
using testing::ScriptedBus;
using Kind = PublishOutcome::Kind;

PublisherOptions Fast(const std::string& endpoint) {
  PublisherOptions o;
  o.endpoint = endpoint;
  o.ack_timeout = 40 * kMicrosPerMilli;
  o.max_backoff = 200 * kMicrosPerMilli;
  o.jitter_seed = 7;
  return o;
}

struct Fixture {
  zmq::context_t ctx;
  SystemClock clock;
  EventLoop loop{clock, 5};
  std::vector<PublishOutcome> outcomes;
  void Watch(Publisher& p) {
    p.SetOutcomeHandler([this](const PublishOutcome& o) { outcomes.push_back(o); });
  }
};

}  // namespace

TEST_CASE("The publisher re-sends until acked, with the same id", "[publisher]") {
  Fixture f;
  ScriptedBus bus(f.ctx);
  bus.ingest_mode = ScriptedBus::IngestMode::kDrop;
  Publisher pub(f.ctx, f.loop, Fast(bus.ingest_endpoint));
  f.Watch(pub);
  std::string error;
  REQUIRE(pub.Start(&error));
  EventId id = EventId::Random();
  REQUIRE(pub.Publish(testing::MakeEvent(id), &error) == id);
  auto pump = [&] { bus.Pump(); };
  REQUIRE(RunUntil(
      f.loop, [&] { return bus.publishes_received >= 3; }, 5s, pump));
  CHECK(f.outcomes.empty());
  bus.ingest_mode = ScriptedBus::IngestMode::kAck;
  REQUIRE(RunUntil(
      f.loop, [&] { return !f.outcomes.empty(); }, 5s, pump));
  REQUIRE(f.outcomes.size() == 1);
  CHECK(f.outcomes[0].kind == Kind::kAcked);
  CHECK(f.outcomes[0].id == id);
  CHECK(f.outcomes[0].seq == 1);
  CHECK(f.outcomes[0].attempts >= 3);
  CHECK(pub.Pending() == 0);
  CHECK(pub.stats().resent >= 2);
}

TEST_CASE("A duplicate ack reports the original seq, a late second ack is ignored", "[publisher]") {
  Fixture f;
  ScriptedBus bus(f.ctx);
  bus.ingest_mode = ScriptedBus::IngestMode::kHold;
  Publisher pub(f.ctx, f.loop, Fast(bus.ingest_endpoint));
  f.Watch(pub);
  std::string error;
  REQUIRE(pub.Start(&error));
  auto pump = [&] { bus.Pump(); };
  bus.Record();  // seq 1 belongs to someone else
  EventId id = EventId::Random();
  REQUIRE(pub.Publish(testing::MakeEvent(id), &error));
  // Wait for the first send and one re-send, then answer both (as a slow bus would).
  REQUIRE(RunUntil(
      f.loop, [&] { return bus.held.size() >= 2; }, 5s, pump));
  bus.Ack(bus.held[0]);
  bus.Ack(bus.held[1]);
  REQUIRE(RunUntil(
      f.loop, [&] { return pub.stats().unmatched_replies >= 1; }, 5s, pump));
  REQUIRE(f.outcomes.size() == 1);
  CHECK(f.outcomes[0].kind == Kind::kAcked);
  CHECK(f.outcomes[0].seq == 2);
  // Publishing the same id again (a producer retrying after its own restart).
  bus.ingest_mode = ScriptedBus::IngestMode::kAck;
  REQUIRE(pub.Publish(testing::MakeEvent(id), &error));
  REQUIRE(RunUntil(
      f.loop, [&] { return f.outcomes.size() == 2; }, 5s, pump));
  CHECK(f.outcomes[1].kind == Kind::kDuplicate);
  CHECK(f.outcomes[1].seq == 2);
  CHECK(bus.head() == 2);
}

TEST_CASE("The publisher keeps at most `window` publishes in flight", "[publisher]") {
  Fixture f;
  ScriptedBus bus(f.ctx);
  bus.ingest_mode = ScriptedBus::IngestMode::kHold;
  auto options = Fast(bus.ingest_endpoint);
  options.window = 4;
  options.ack_timeout = 10 * kMicrosPerSecond;  // no re-sends in this test
  Publisher pub(f.ctx, f.loop, options);
  f.Watch(pub);
  std::string error;
  REQUIRE(pub.Start(&error));
  for (int i = 0; i < 10; ++i) REQUIRE(pub.Publish(testing::MakeEvent(EventId::Random()), &error));
  auto pump = [&] { bus.Pump(); };
  REQUIRE(RunUntil(
      f.loop, [&] { return bus.held.size() == 4; }, 5s, pump));
  CHECK(pub.InFlight() == 4);
  CHECK(pub.Pending() == 10);
  // Acks are matched by id, in any order; each frees one slot.
  bus.Ack(bus.held[2]);
  bus.Ack(bus.held[0]);
  REQUIRE(RunUntil(
      f.loop, [&] { return bus.held.size() == 6; }, 5s, pump));
  CHECK(pub.InFlight() == 4);
  bus.ingest_mode = ScriptedBus::IngestMode::kAck;
  for (auto& p : bus.held) bus.Ack(p);  // re-acks of 0 and 2 are duplicates, ignored
  REQUIRE(RunUntil(
      f.loop, [&] { return f.outcomes.size() == 10; }, 5s, pump));
  CHECK(bus.publishes_received == 10);
  CHECK(pub.Pending() == 0);
}

TEST_CASE("Nacks: final ones are reported, `unavailable` is retried", "[publisher]") {
  Fixture f;
  ScriptedBus bus(f.ctx);
  bus.ingest_mode = ScriptedBus::IngestMode::kHold;
  Publisher pub(f.ctx, f.loop, Fast(bus.ingest_endpoint));
  f.Watch(pub);
  std::string error;
  REQUIRE(pub.Start(&error));
  REQUIRE(pub.Publish(testing::MakeEvent(EventId::Random()), &error));
  auto pump = [&] { bus.Pump(); };
  REQUIRE(RunUntil(
      f.loop, [&] { return bus.held.size() == 1; }, 5s, pump));
  bus.Nack(bus.held[0], static_cast<uint16_t>(wire::ErrorCode::UNAVAILABLE), "shutting down");
  REQUIRE(RunUntil(
      f.loop, [&] { return bus.held.size() == 2; }, 5s, pump));
  CHECK(f.outcomes.empty());
  bus.Nack(bus.held[1], static_cast<uint16_t>(wire::ErrorCode::WRONG_SITE), "not this site");
  REQUIRE(RunUntil(
      f.loop, [&] { return f.outcomes.size() == 1; }, 5s, pump));
  CHECK(f.outcomes[0].kind == Kind::kNacked);
  CHECK(f.outcomes[0].code == wire::ErrorCode::WRONG_SITE);
  CHECK(f.outcomes[0].message == "not this site");
  CHECK(pub.Pending() == 0);
  CHECK_FALSE(pub.Publish("not an event", &error).has_value());
}

TEST_CASE("A publish larger than any bus takes is refused before it is sent", "[publisher]") {
  Fixture f;
  ScriptedBus bus(f.ctx);
  Publisher pub(f.ctx, f.loop, Fast(bus.ingest_endpoint));
  std::string error;
  REQUIRE(pub.Start(&error));
  capnp::MallocMessageBuilder b;
  auto e = b.initRoot<wire::Event>();
  const std::string id(EventId::Random().Bytes());
  e.setId(capnp::Data::Reader(reinterpret_cast<const capnp::byte*>(id.data()), id.size()));
  e.setType("test.tick");
  e.getBody().initAs<capnp::Data>(kMaxBusFrameBytes);
  CHECK_FALSE(pub.Publish(Encode(b), &error).has_value());
  CHECK_THAT(error, Catch::StartsWith("tooLarge: "));
  CHECK(pub.Pending() == 0);
  CHECK(pub.stats().sent == 0);
}

TEST_CASE("Durable mode: outbox rows survive a crash and are removed only on ack", "[publisher]") {
  Fixture f;
  testing::ScratchDir dir;
  ScriptedBus bus(f.ctx);
  bus.ingest_mode = ScriptedBus::IngestMode::kDrop;  // the bus is "down"
  ServiceStoreOptions so;
  so.path = dir.path() + "/db";
  so.service = "picket-test";
  so.site = "test-site";
  auto emit3 = [](ApplyContext& ctx) {
    for (int i = 0; i < 3; ++i) {
      auto e = ctx.Emit();
      e.setType("test.derived");
      e.setObservedAt(testing::kTestTime);
    }
  };
  auto pump = [&] { bus.Pump(); };
  std::string error;
  {
    auto store = ServiceStore::Open(so, &error);
    REQUIRE(store);
    Publisher pub(f.ctx, f.loop, Fast(bus.ingest_endpoint), store->outbox());
    REQUIRE(pub.Start(&error));
    std::vector<OutboxRow> rows;
    REQUIRE(store->Apply(1, emit3, &rows, &error) == ApplyResult::kApplied);
    pub.PublishStored(rows);
    REQUIRE(RunUntil(
        f.loop, [&] { return bus.publishes_received >= 3; }, 5s, pump));
    // The process "dies" here: publisher and store go away with nothing acked.
  }
  auto store = ServiceStore::Open(so, &error);
  REQUIRE(store);
  std::vector<OutboxRow> pending;
  REQUIRE(store->outbox()->LoadPending(&pending, &error));
  REQUIRE(pending.size() == 3);
  bus.ingest_mode = ScriptedBus::IngestMode::kAck;
  Publisher pub(f.ctx, f.loop, Fast(bus.ingest_endpoint), store->outbox());
  f.Watch(pub);
  REQUIRE(pub.Start(&error));  // re-sends the pending rows
  REQUIRE(RunUntil(
      f.loop, [&] { return f.outcomes.size() == 3; }, 5s, pump));
  for (auto& o : f.outcomes) CHECK(o.row_id.has_value());
  CHECK(f.outcomes[0].id == EventId::Derived("picket-test", 1, 0));
  REQUIRE(store->outbox()->LoadPending(&pending, &error));
  CHECK(pending.empty());
  CHECK(bus.head() == 3);
}

TEST_CASE("Durable mode: a refused derived event is dead-lettered, the rest flow", "[publisher]") {
  Fixture f;
  testing::ScratchDir dir;
  ScriptedBus bus(f.ctx);
  bus.ingest_mode = ScriptedBus::IngestMode::kHold;
  ServiceStoreOptions so;
  so.path = dir.path() + "/db";
  so.service = "picket-test";
  so.site = "test-site";
  std::string error;
  auto store = ServiceStore::Open(so, &error);
  REQUIRE(store);
  Publisher pub(f.ctx, f.loop, Fast(bus.ingest_endpoint), store->outbox());
  f.Watch(pub);
  REQUIRE(pub.Start(&error));
  std::vector<OutboxRow> rows;
  auto emit2 = [](ApplyContext& ctx) {
    for (int i = 0; i < 2; ++i) {
      auto e = ctx.Emit();
      e.setType("test.derived");
      e.setObservedAt(testing::kTestTime);
    }
  };
  REQUIRE(store->Apply(1, emit2, &rows, &error) == ApplyResult::kApplied);
  pub.PublishStored(rows);
  auto pump = [&] { bus.Pump(); };
  REQUIRE(RunUntil(
      f.loop, [&] { return bus.held.size() >= 2; }, 5s, pump));
  EventId bad = EventId::Derived("picket-test", 1, 0);
  for (auto& p : bus.held) {
    if (p.id == bad)
      bus.Nack(p, static_cast<uint16_t>(wire::ErrorCode::UNKNOWN_TYPE), "no such type");
    else
      bus.Ack(p);
  }
  REQUIRE(RunUntil(
      f.loop, [&] { return f.outcomes.size() == 2; }, 5s, pump));
  CHECK(pub.stats().dead_lettered == 1);
  std::vector<OutboxRow> pending;
  REQUIRE(store->outbox()->LoadPending(&pending, &error));
  CHECK(pending.empty());
  std::vector<std::pair<uint64_t, store_keys::DeadLetter>> dead;
  REQUIRE(store->outbox()->LoadDeadLetters(&dead, &error));
  REQUIRE(dead.size() == 1);
  CHECK(dead[0].second.code == static_cast<uint16_t>(wire::ErrorCode::UNKNOWN_TYPE));
  CHECK(dead[0].second.event == rows[0].event);
}

TEST_CASE("The publisher survives a bus restart at the same address", "[publisher]") {
  Fixture f;
  testing::ScratchDir dir;
  auto bus = std::make_unique<ScriptedBus>(f.ctx, dir.path());
  bus->ingest_mode = ScriptedBus::IngestMode::kDrop;
  Publisher pub(f.ctx, f.loop, Fast(bus->ingest_endpoint));
  f.Watch(pub);
  std::string error;
  REQUIRE(pub.Start(&error));
  for (int i = 0; i < 5; ++i) REQUIRE(pub.Publish(testing::MakeEvent(EventId::Random()), &error));
  REQUIRE(RunUntil(
      f.loop, [&] { return bus->publishes_received >= 5; }, 5s, [&] { bus->Pump(); }));
  bus.reset();  // the bus dies without answering
  bus = std::make_unique<ScriptedBus>(f.ctx, dir.path());
  REQUIRE(RunUntil(
      f.loop, [&] { return f.outcomes.size() == 5; }, 10s, [&] { bus->Pump(); }));
  CHECK(bus->head() == 5);
  for (auto& o : f.outcomes) CHECK(o.kind == Kind::kAcked);
}

}  // namespace picket
