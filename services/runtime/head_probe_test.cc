// HeadProbe and SteadyTimers (runtime/head_probe.h, runtime/steady_timers.h) on a real
// EventLoop against a scripted bus. The loop's clock is a ManualClock that never moves: the
// timeouts pass in real time.
#include "runtime/head_probe.h"

#include <catch2/catch.hpp>

#include <optional>
#include <vector>

#include "testing/manual_clock.h"
#include "testing/scripted_bus.h"

namespace picket {
namespace {

using std::chrono::milliseconds;

struct Probing {
  zmq::context_t context;
  testing::ScriptedBus bus{context};
  ManualClock clock{testing::kTestTime};
  EventLoop loop{clock, 5};
  SteadyTimers timers{loop};
  HeadProbe probe{context, loop, timers, bus.replay_endpoint, milliseconds(300)};
  std::vector<std::optional<uint64_t>> answers;

  void Ask() {
    probe.Ask([this](std::optional<uint64_t> head) { answers.push_back(head); });
  }
  bool RunUntilAnswered(size_t n) {
    return testing::RunUntil(
        loop, [&] { return answers.size() >= n; }, milliseconds(10000), [&] { bus.Pump(); });
  }
};

}  // namespace

TEST_CASE("head probe: callers asking while a query is in flight share the next one",
          "[head_probe]") {
  Probing p;
  p.bus.Record();
  p.bus.Record();
  p.bus.answer_status = false;  // the first query waits for AnswerStatus
  p.Ask();
  REQUIRE(testing::RunUntil(
      p.loop, [&] { return p.bus.status_requests == 1; }, milliseconds(10000),
      [&] { p.bus.Pump(); }));
  // Asked after the first query was sent: answered by the next, never by the first.
  for (int i = 0; i < 50; ++i) p.Ask();
  p.bus.Record();  // recorded after the first query, before the second
  p.bus.AnswerStatus();
  p.bus.answer_status = true;
  REQUIRE(p.RunUntilAnswered(51));
  CHECK(p.probe.queries() == 2);
  CHECK(p.bus.status_requests == 2);
  CHECK(p.answers.front() == uint64_t{3});  // AnswerStatus answers with the head as it is
  for (size_t i = 1; i < p.answers.size(); ++i) CHECK(p.answers[i] == uint64_t{3});
}

TEST_CASE(
    "head probe: no answer within the timeout gives nullopt, and the next query is answered "
    "on a new connection",
    "[head_probe]") {
  Probing p;
  p.bus.Record();
  p.bus.answer_status = false;
  p.Ask();
  REQUIRE(p.RunUntilAnswered(1));  // 300 ms of real time; the ManualClock never moved
  CHECK(p.answers[0] == std::nullopt);
  p.bus.Record();
  p.bus.answer_status = true;
  p.Ask();
  // The old query is answered now too; only the new connection's answer may count.
  p.bus.AnswerStatus();
  REQUIRE(p.RunUntilAnswered(2));
  CHECK(p.answers[1] == uint64_t{2});
  CHECK(p.probe.queries() == 2);
}

TEST_CASE("steady timers: fire in real time in their order, and a cancelled one never fires",
          "[head_probe]") {
  ManualClock clock{testing::kTestTime};
  EventLoop loop{clock, 5};
  SteadyTimers timers{loop};
  std::vector<int> fired;
  timers.After(milliseconds(40), [&] { fired.push_back(2); });
  auto cancelled = timers.After(milliseconds(20), [&] { fired.push_back(99); });
  timers.After(milliseconds(10), [&] {
    fired.push_back(1);
    timers.Cancel(cancelled);  // from a handler, before it is due
  });
  REQUIRE(testing::RunUntil(
      loop, [&] { return fired.size() >= 2; }, milliseconds(10000)));
  // Past every due time: nothing else comes.
  auto until = std::chrono::steady_clock::now() + milliseconds(60);
  testing::RunUntil(
      loop, [&] { return std::chrono::steady_clock::now() >= until; }, milliseconds(1000));
  CHECK(fired == std::vector<int>{1, 2});
}

}  // namespace picket
