#include "console/core/gate_feed.h"

#include <catch2/catch.hpp>

#include "testing/memory_txn.h"
#include "wire/event_names.h"

namespace picket::console {

TEST_CASE("console: the gate feed keeps the most recent decisions, oldest first") {
  MemoryTxn txn({kGateTable});
  for (uint64_t seq = 1; seq <= 5; ++seq) {
    GateEvent e;
    e.type = std::string(seq % 2 ? event_names::kAccessGranted : event_names::kAccessDenied);
    e.seq = seq * 10;
    e.person = "p" + std::to_string(seq);
    e.direction = "in";
    AppendGateEvent(txn, e, 3);
  }
  auto events = LoadGateEvents(txn);
  REQUIRE(events.size() == 3);
  REQUIRE(events.front().seq == 30);
  REQUIRE(events.back().person == "p5");
  // The same seq again (an apply repeated) replaces its row and keeps the count.
  GateEvent again = events.back();
  AppendGateEvent(txn, again, 3);
  REQUIRE(LoadGateEvents(txn).size() == 3);
  REQUIRE(LoadGateEvents(txn).front().seq == 30);
}

TEST_CASE("console: gate records round-trip and refuse what is not one") {
  GateEvent e{"access.denied", 7, 8, "guard", "gate-1", "g1", "bob", "P-1", "expired", "in"};
  auto back = DecodeGateEvent(EncodeGateEvent(e));
  REQUIRE(back);
  REQUIRE(back->reason == "expired");
  REQUIRE(EncodeGateEvent(e).substr(0, 9) == std::string("\x01\0\0\0\0\0\0\0\x07", 9));
  REQUIRE_FALSE(DecodeGateEvent("\x01\x02"));
  REQUIRE(IsGateEventType(event_names::kWatchlistHit));
  REQUIRE_FALSE(IsGateEventType(event_names::kPassIssued));
}

}  // namespace picket::console
