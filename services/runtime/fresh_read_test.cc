// FreshRead (runtime/fresh_read.h) on a real ServiceHost against a scripted bus: a worker
// thread reads the bus's head and gets the predicate's verdict on the state once the
// service has applied the log up to that head.
#include "runtime/fresh_read.h"

#include <catch2/catch.hpp>

#include <future>
#include <thread>

#include "runtime/service_host.h"
#include "testing/service_harness.h"

namespace picket {
namespace {

using std::chrono::milliseconds;
using testing::ServiceHarness;

ServiceHostOptions Options() {
  ServiceHostOptions o;
  o.name = "picket-fresh-test";
  o.tables = {"counts"};
  return o;
}

// Counts the events it applies in counts/seen.
void CountEvents(ServiceHost& host) {
  host.SetEventHandler([](ApplyContext& ctx, wire::Event::Reader) {
    auto v = ctx.state().Get("counts", "seen");
    ctx.state().Put("counts", "seen", std::to_string((v ? std::stoull(*v) : 0) + 1));
  });
}

uint64_t Seen(Txn& state) {
  auto v = state.Get("counts", "seen");
  return v ? std::stoull(*v) : 0;
}

}  // namespace

TEST_CASE("fresh read: QueryBusHead reads the head from the bus's status answer", "[fresh_read]") {
  zmq::context_t ctx;
  testing::ScriptedBus bus(ctx);
  bus.Record();
  bus.Record();
  auto asked = std::async(std::launch::async, [&] {
    std::string error;
    return QueryBusHead(ctx, bus.replay_endpoint,
                        std::chrono::steady_clock::now() + std::chrono::seconds(10), &error);
  });
  while (asked.wait_for(milliseconds(1)) != std::future_status::ready) bus.Pump();
  CHECK(asked.get() == uint64_t{2});

  bus.answer_status = false;  // no answer: nullopt once the deadline passes
  std::string error;
  CHECK_FALSE(QueryBusHead(ctx, bus.replay_endpoint,
                           std::chrono::steady_clock::now() + milliseconds(100), &error));
  CHECK_THAT(error, Catch::Contains("no status answer"));
}

TEST_CASE(
    "fresh read: the verdict is given once the service has applied the log up to the head "
    "the bus reported, not before",
    "[fresh_read]") {
  ServiceHarness h(Options());
  CountEvents(h.host());
  REQUIRE(h.Start());
  FreshRead fresh(h.host());
  // Three events recorded and not sent live: the service has applied none of them when the
  // worker asks, and must catch up to the head (3) before the predicate runs.
  for (int i = 0; i < 3; ++i) h.bus().Record();
  uint64_t seen_by_predicate = 0;
  auto judged = std::async(std::launch::async, [&] {
    return fresh.Judge(
        [&](Txn& state) {
          seen_by_predicate = Seen(state);
          return seen_by_predicate == 3;
        },
        std::chrono::seconds(10));
  });
  REQUIRE(h.RunUntil([&] { return judged.wait_for(milliseconds(0)) == std::future_status::ready; },
                     milliseconds(10000)));
  CHECK(judged.get() == FreshRead::Outcome::kTrue);
  CHECK(seen_by_predicate == 3);

  auto refused = std::async(std::launch::async, [&] {
    return fresh.Judge([](Txn& state) { return Seen(state) < 3; }, std::chrono::seconds(10));
  });
  REQUIRE(h.RunUntil([&] { return refused.wait_for(milliseconds(0)) == std::future_status::ready; },
                     milliseconds(10000)));
  CHECK(refused.get() == FreshRead::Outcome::kFalse);

  fresh.Stop();  // a stopping runner: no verdict, the caller does nothing
  CHECK(fresh.Judge([](Txn&) { return true; }, std::chrono::seconds(10)) ==
        FreshRead::Outcome::kStopping);
}

}  // namespace picket
