// Held command replies (runtime/held_replies.h) on a real ServiceHost: a scripted bus that
// holds publishes until the test acks them, a hand-moved clock for the wait.
#include "runtime/held_replies.h"

#include <catch2/catch.hpp>

#include "runtime/service_host.h"
#include "testing/service_harness.h"

namespace picket {
namespace {

using std::chrono::milliseconds;
using testing::kTestTime;

ServiceHostOptions Options() {
  ServiceHostOptions o;
  o.name = "picket-host-test";
  o.tables = {"counts"};
  o.commands = "any";
  return o;
}

}  // namespace

TEST_CASE(
    "held replies: a held reply waits until every event written before it is on the bus, and says "
    "so "
    "when its wait runs out first",
    "[service_host][held_replies]") {
  testing::ServiceHarness h(Options());
  // A command "<16-byte id>" emits one event; its reply is held for up to 5 s.
  h.host().SetCommandHandler(
      [&h](std::string_view request, const Caller&) -> CommandReply {
        std::string reply, error;
        h.host().ApplyCommand(
            request.substr(0, 16),
            [](ApplyContext& ctx) {
              auto e = ctx.Emit();
              e.setType("test.done");
              e.setObservedAt(kTestTime);
              return std::string("done");
            },
            &reply, &error);
        CommandReply held(reply);
        held.publish_wait = 5 * kMicrosPerSecond;
        held.finish = [](const std::string& frame, bool on_bus) {
          return frame + (on_bus ? " on the bus" : " not yet on the bus");
        };
        return held;
      },
      "malformed");
  REQUIRE(h.Start());
  const std::string label = "{service=\"picket-host-test\"}";
  auto& bus = h.bus();
  bus.ingest_mode = testing::ScriptedBus::IngestMode::kHold;
  const auto a = std::string(16, 'a'), b = std::string(16, 'b');
  h.SendCommand(a);
  REQUIRE(h.RunUntil([&] { return bus.held.size() == 1; }, milliseconds(10000)));
  h.SendCommand(b);
  REQUIRE(h.RunUntil([&] { return bus.held.size() == 2; }, milliseconds(10000)));
  CHECK_FALSE(h.AwaitReply(milliseconds(100)));  // nothing is on the bus yet

  // b's event is acked, a's (written before it) is not: neither reply goes out.
  bus.Ack(bus.held[1]);
  CHECK_FALSE(h.AwaitReply(milliseconds(100)));
  // a's event is acked: both are on the bus, both replies go out.
  bus.Ack(bus.held[0]);
  CHECK(h.AwaitReply(milliseconds(10000)) == "done on the bus");
  CHECK(h.AwaitReply(milliseconds(10000)) == "done on the bus");
  // A repeat of a (answered from the record) finds nothing pending: answered at once.
  h.SendCommand(a);
  CHECK(h.AwaitReply(milliseconds(10000)) == "done on the bus");
  CHECK(h.Metric("picket_service_replies_held_total" + label) == 2);

  // The bus holds c's event past the wait: the reply says it is not on the bus yet.
  h.SendCommand(std::string(16, 'c'));
  REQUIRE(h.RunUntil([&] { return bus.held.size() >= 3; }, milliseconds(10000)));
  CHECK_FALSE(h.AwaitReply(milliseconds(100)));
  h.clock().Advance(5 * kMicrosPerSecond);
  CHECK(h.AwaitReply(milliseconds(10000)) == "done not yet on the bus");
  CHECK(h.Metric("picket_service_replies_unpublished_total" + label) == 1);
  CHECK(h.Metric("picket_service_replies_held_total" + label) == 3);
}

}  // namespace picket
