#include "tally/core/tally.h"

#include <catch2/catch.hpp>

#include "testing/memory_txn.h"

namespace picket::tally {

TEST_CASE("tally: counts per producer and in all, a milestone every n-th event", "[tally]") {
  MemoryTxn state{Tables()};
  TallyConfig config{.milestone_every = 3};
  std::vector<Micros> milestones;
  for (uint64_t seq = 1; seq <= 7; ++seq) {
    auto counted = CountEvent(config, state, seq % 2 ? "gate-1" : "gate-2", seq, 1000 + seq);
    if (counted.milestone_at) milestones.push_back(*counted.milestone_at);
  }
  CHECK(milestones == std::vector<Micros>{1003, 1006});  // the cause's recordedAt
  TallyTotals t = ReadTotals(state);
  CHECK(t.events == 7);
  CHECK(t.seq_sum == 28);
  CHECK(t.milestones == 2);
  CHECK(t.producers == std::map<std::string, uint64_t>{{"gate-1", 4}, {"gate-2", 3}});
}

}  // namespace picket::tally
