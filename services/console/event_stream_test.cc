#include "console/event_stream.h"

#include <catch2/catch.hpp>

#include <thread>

namespace picket::console {

TEST_CASE("console: the ring serves every entry after a seq and knows what it no longer holds") {
  StreamRing ring(3, /*floor=*/10);
  std::vector<StreamEntry> out;
  REQUIRE(ring.Since(10, &out));
  REQUIRE(out.empty());
  REQUIRE_FALSE(ring.Since(9, &out));  // before the ring existed
  ring.Push({12, "incident", "a"});
  ring.Push({15, "incident", "b"});
  ring.Push({15, "incident", "repeat"});  // ignored
  ring.Push({17, "incident", "c"});
  REQUIRE(ring.Since(12, &out));
  REQUIRE(out.size() == 2);
  REQUIRE(out[0].data == "b");
  ring.Push({20, "incident", "d"});  // evicts 12: the floor moves to 12
  out.clear();
  REQUIRE(ring.Since(12, &out));
  REQUIRE(out.size() == 3);
  REQUIRE_FALSE(ring.Since(11, &out));
  REQUIRE(ring.last_seq() == 20);
}

TEST_CASE("console: a waiter wakes for a new entry and for closing") {
  StreamRing ring(8, 0);
  std::thread pusher([&] { ring.Push({5, "incident", "x"}); });
  REQUIRE(ring.Wait(0, std::chrono::steady_clock::now() + std::chrono::seconds(10)));
  pusher.join();
  REQUIRE(ring.last_seq() == 5);
  std::thread closer([&] { ring.Close(); });
  REQUIRE_FALSE(ring.Wait(5, std::chrono::steady_clock::now() + std::chrono::seconds(10)));
  closer.join();
}

TEST_CASE("console: SSE messages carry the seq as id and never let data end the message") {
  REQUIRE(SseMessage(42, "incident", "{\"a\":1}") ==
          "id: 42\nevent: incident\ndata: {\"a\":1}\n\n");
  REQUIRE(SseMessage(0, "hello", "x\ny") == "event: hello\ndata: x\ndata: y\n\n");
}

}  // namespace picket::console
