#include "bus/sequencer.h"

#include <catch2/catch.hpp>

using namespace picket;

namespace {
EventId Id(uint8_t n) {
  std::array<uint8_t, 16> b{};
  b[15] = n;
  b[0] = 1;
  return EventId(b);
}
}  // namespace

TEST_CASE("new events get consecutive seqs after the head and one receive time",
          "[bus][sequencer]") {
  BatchPlan plan = PlanBatch({10, 500}, 1000, {{Id(1), {}}, {Id(2), {}}, {Id(3), {}}});
  REQUIRE(plan.assignments.size() == 3);
  for (size_t i = 0; i < 3; ++i) {
    CHECK(plan.assignments[i].at == RecordedAt{11 + i, 1000});
    CHECK_FALSE(plan.assignments[i].duplicate);
  }
  CHECK(plan.recorded == 3);
  CHECK(plan.new_head == LogHead{13, 1000});
}

TEST_CASE("an empty log starts at seq 1", "[bus][sequencer]") {
  BatchPlan plan = PlanBatch({}, 7, {{Id(1), {}}});
  CHECK(plan.assignments[0].at == RecordedAt{1, 7});
  CHECK(plan.new_head == LogHead{1, 7});
}

TEST_CASE("a stored id is a duplicate with the original's seq and time", "[bus][sequencer]") {
  BatchPlan plan = PlanBatch({10, 500}, 1000, {{Id(1), RecordedAt{4, 200}}, {Id(2), {}}});
  CHECK(plan.assignments[0].duplicate);
  CHECK_FALSE(plan.assignments[0].original_in_batch);
  CHECK(plan.assignments[0].at == RecordedAt{4, 200});
  CHECK(plan.assignments[1].at == RecordedAt{11, 1000});
  CHECK(plan.recorded == 1);
  CHECK(plan.new_head == LogHead{11, 1000});
}

TEST_CASE("a second copy in the same batch is a duplicate of the first", "[bus][sequencer]") {
  BatchPlan plan = PlanBatch({0, 0}, 50, {{Id(1), {}}, {Id(2), {}}, {Id(1), {}}, {Id(1), {}}});
  CHECK(plan.assignments[0].at == RecordedAt{1, 50});
  CHECK(plan.assignments[1].at == RecordedAt{2, 50});
  for (size_t i : {2, 3}) {
    CHECK(plan.assignments[i].duplicate);
    CHECK(plan.assignments[i].original_in_batch);
    CHECK(plan.assignments[i].at == RecordedAt{1, 50});
  }
  CHECK(plan.recorded == 2);
  CHECK(plan.new_head.seq == 2);
}

TEST_CASE("recordedAt never goes back when the clock does", "[bus][sequencer]") {
  BatchPlan plan = PlanBatch({5, 9000}, 8000, {{Id(1), {}}});
  CHECK(plan.assignments[0].at == RecordedAt{6, 9000});
}

TEST_CASE("an all-duplicate batch leaves the head alone", "[bus][sequencer]") {
  BatchPlan plan = PlanBatch({5, 9000}, 9500, {{Id(1), RecordedAt{2, 1}}});
  CHECK(plan.recorded == 0);
  CHECK(plan.new_head == LogHead{5, 9000});
}
