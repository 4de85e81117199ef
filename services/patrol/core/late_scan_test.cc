// Scans that arrive late from an offline terminal: a missed verdict withdrawn or
// confirmed (in progress and completed rounds), the next deadline moving with it; and
// each terminal's clock skew.
#include <catch2/catch.hpp>

#include "patrol/core/patrol_store.h"
#include "patrol/core/patrol_test_support.h"

namespace picket::patrol {
namespace {

using namespace testing;

const Micros kT0 = Utc(2026, 6, 10, 12, 0);

uint64_t StartNorth(World& w) {
  auto s = Bodies<RoundStarted>(w.Start("gate-1", "north", kT0));
  REQUIRE(s.size() == 1);
  return s[0].round;
}

MissedReviewed Reviewed(const Effects& fx) {
  auto r = Bodies<MissedReviewed>(fx);
  REQUIRE(r.size() == 1);
  CHECK(Bodies<CheckpointAccepted>(fx).empty());
  CHECK(Bodies<CheckpointRejected>(fx).empty());
  return r[0];
}

}  // namespace

TEST_CASE("late scans: a miss withdrawn by a scan observed in time, the next deadline earlier",
          "[patrol][late]") {
  World w;
  const uint64_t id = StartNorth(w);
  // c1 was scanned at T0+5 on an offline terminal; its deadline passes without it.
  Effects miss = w.Fire(LegTimer(id));
  REQUIRE(Bodies<CheckpointMissed>(miss).size() == 1);
  REQUIRE(w.TimerDue(LegTimer(id)) == kT0 + 30 * kMinute);  // c2 anchored at the miss
  // The terminal is back at T0+20 and sends the scan.
  Effects fx = w.Scan("gate-1", "c1", kT0 + 5 * kMinute, "g-1", kT0 + 20 * kMinute);
  CHECK(Types(fx) == std::vector<std::string>{"patrol.missed_withdrawn"});
  const MissedReviewed m = Reviewed(fx);
  CHECK(m.withdrawn);
  CHECK(m.on_time);
  CHECK(m.round == id);
  CHECK(m.checkpoint == "c1");
  CHECK(m.missed_deadline == kT0 + 15 * kMinute);
  CHECK(m.deadline == kT0 + 15 * kMinute);
  CHECK(m.scanned_at == kT0 + 5 * kMinute);
  CHECK(fx.events[0].at == kT0 + 5 * kMinute);
  CHECK(fx.events[0].actor == "g-1");
  const CheckpointVerdict v = w.RoundById(id).checkpoints[0];
  CHECK(v == CheckpointVerdict{"c1", CheckpointState::kOnTime, kT0 + 5 * kMinute,
                               kT0 + 15 * kMinute, true});
  // c2 is anchored at the scan now: its deadline moved from T0+30 to T0+20, already here.
  CHECK(w.TimerDue(LegTimer(id)) == kT0 + 20 * kMinute);
  Effects next = w.Fire(LegTimer(id), kT0 + 20 * kMinute);
  const CheckpointMissed c2 = Bodies<CheckpointMissed>(next).at(0);
  CHECK(c2.checkpoint == "c2");
  CHECK(c2.deadline == kT0 + 20 * kMinute);
  // A second delivery of the same scan is a duplicate: it never counts twice.
  auto dup = Bodies<CheckpointRejected>(
      w.Scan("gate-1", "c1", kT0 + 5 * kMinute, "g-1", kT0 + 21 * kMinute));
  REQUIRE(dup.size() == 1);
  CHECK(dup[0].reason == RejectReason::kDuplicate);
}

TEST_CASE("late scans: a scan observed after the deadline confirms the miss", "[patrol][late]") {
  World w;
  const uint64_t id = StartNorth(w);
  w.Fire(LegTimer(id));
  const Round before = w.RoundById(id);
  Effects fx = w.Scan("gate-1", "c1", kT0 + 15 * kMinute + 1);
  CHECK(Types(fx) == std::vector<std::string>{"patrol.missed_confirmed"});
  const MissedReviewed m = Reviewed(fx);
  CHECK_FALSE(m.withdrawn);
  CHECK_FALSE(m.on_time);
  CHECK(m.missed_deadline == kT0 + 15 * kMinute);
  CHECK(m.deadline == kT0 + 15 * kMinute);
  CHECK(w.RoundById(id) == before);  // still missed, nothing changed
  CHECK(w.TimerDue(LegTimer(id)) == kT0 + 30 * kMinute);
  // Exactly at the deadline withdraws (late: a leg over leg_max).
  World w2;
  const uint64_t id2 = StartNorth(w2);
  w2.Fire(LegTimer(id2));
  const MissedReviewed at_deadline = Reviewed(w2.Scan("gate-1", "c1", kT0 + 15 * kMinute));
  CHECK(at_deadline.withdrawn);
  CHECK_FALSE(at_deadline.on_time);
  CHECK(w2.RoundById(id2).checkpoints[0].state == CheckpointState::kLate);
}

TEST_CASE("late scans: a scan before leg_min does not withdraw a miss", "[patrol][late]") {
  World w;
  const uint64_t id = StartNorth(w);
  w.Fire(LegTimer(id));
  const MissedReviewed m =
      Reviewed(w.Scan("gate-1", "c1", kT0 + kMinute, "g-1", kT0 + 16 * kMinute));
  CHECK_FALSE(m.withdrawn);
  CHECK(w.RoundById(id).checkpoints[0].state == CheckpointState::kMissed);
}

TEST_CASE("late scans: a completed round's misses are withdrawn one after another and recounted",
          "[patrol][late]") {
  World w;
  const uint64_t id = StartNorth(w);
  auto events = w.RunTimers(kT0 + kHour);  // all three missed, the round completed
  REQUIRE(Bodies<RoundCompleted>(events).size() == 1);
  REQUIRE(w.RoundById(id).status == RoundStatus::kCompleted);
  const Micros upload = kT0 + 2 * kHour;
  // c1 at T0+5 and c2 at T0+12 were scanned offline.
  const MissedReviewed m1 = Reviewed(w.Scan("gate-1", "c1", kT0 + 5 * kMinute, "g-1", upload));
  CHECK(m1.withdrawn);
  const MissedReviewed m2 = Reviewed(w.Scan("gate-1", "c2", kT0 + 12 * kMinute, "g-1", upload));
  CHECK(m2.withdrawn);
  CHECK(m2.on_time);  // a 7 min leg from c1's scan
  CHECK(m2.missed_deadline == kT0 + 30 * kMinute);
  CHECK(m2.deadline == kT0 + 20 * kMinute);  // recomputed from c1's scan
  const Round r = w.RoundById(id);
  CHECK(r.status == RoundStatus::kCompleted);
  CHECK(r.count(CheckpointState::kOnTime) == 2);
  CHECK(r.count(CheckpointState::kMissed) == 1);
  CHECK(w.timers.empty());  // a completed round gets no timers back

  w.now = upload;
  auto completion = w.Run(GetCompletion{kT0 - kHour, kT0 + kHour, true});
  REQUIRE(completion.reply.completion.size() == 1);
  CHECK(completion.reply.completion[0].checkpoints_on_time == 2);
  CHECK(completion.reply.completion[0].checkpoints_missed == 1);
  CHECK(completion.reply.completion[0].permille() == 666);
}

TEST_CASE("late scans: a round the guard ended is reviewed, after its end there is no round",
          "[patrol][late]") {
  World w;
  const uint64_t id = StartNorth(w);
  REQUIRE(Bodies<CheckpointAccepted>(w.Scan("gate-1", "c1", kT0 + 2 * kMinute)).size() == 1);
  w.End("gate-1", kT0 + 6 * kMinute);
  const MissedReviewed m =
      Reviewed(w.Scan("gate-1", "c2", kT0 + 5 * kMinute, "g-1", kT0 + 7 * kMinute));
  CHECK(m.withdrawn);
  CHECK(m.missed_deadline == kT0 + 6 * kMinute);
  CHECK(m.deadline == kT0 + 17 * kMinute);
  CHECK(w.RoundById(id).checkpoints[1].state == CheckpointState::kOnTime);
  auto after = Bodies<CheckpointRejected>(w.Scan("gate-1", "c3", kT0 + 7 * kMinute));
  REQUIRE(after.size() == 1);
  CHECK(after[0].reason == RejectReason::kNoRound);
}

TEST_CASE("late scans: an any-order round is reviewed against its end deadline", "[patrol][late]") {
  World w;
  const uint64_t id = Bodies<RoundStarted>(w.Start("yard", "yard", kT0)).at(0).round;
  w.RunTimers(kT0 + kHour);
  REQUIRE(w.RoundById(id).count(CheckpointState::kMissed) == 3);
  const Micros upload = kT0 + 2 * kHour;
  const MissedReviewed a = Reviewed(w.Scan("yard", "c5", kT0 + 10 * kMinute, "g-1", upload));
  CHECK(a.withdrawn);
  CHECK(a.on_time);
  CHECK(a.deadline == kT0 + 35 * kMinute);
  const MissedReviewed b = Reviewed(w.Scan("yard", "c4", kT0 + 34 * kMinute, "g-1", upload));
  CHECK(b.withdrawn);
  CHECK_FALSE(b.on_time);  // 24 min after c5
  const MissedReviewed c = Reviewed(w.Scan("yard", "c6", kT0 + 35 * kMinute, "g-1", upload));
  CHECK(c.withdrawn);  // exactly at the end deadline
}

TEST_CASE("late scans: an offline scan of the previous round is judged in that round",
          "[patrol][late]") {
  World w;
  const uint64_t first = StartNorth(w);
  w.End("gate-1", kT0 + 4 * kMinute);  // c1 c2 c3 missed
  const uint64_t second =
      Bodies<RoundStarted>(w.Start("gate-1", "north", kT0 + 10 * kMinute)).at(0).round;
  // c1 scanned at T0+3 (before the first round ended) arrives now.
  const MissedReviewed m =
      Reviewed(w.Scan("gate-1", "c1", kT0 + 3 * kMinute, "g-1", kT0 + 11 * kMinute));
  CHECK(m.round == first);
  CHECK(w.RoundById(second).checkpoints[0].state == CheckpointState::kPending);
}

TEST_CASE("skew: a terminal ahead of the bus is reported at once, once per window",
          "[patrol][skew]") {
  World w;
  Effects fx = w.Scan("gate-1", "c1", kT0 + 3 * kMinute, "g-1", kT0, "t-9");
  CHECK(Types(fx) == std::vector<std::string>{"patrol.checkpoint_rejected", "patrol.clock_skew"});
  const ClockSkew skew = Bodies<ClockSkew>(fx).at(0);
  CHECK(skew.terminal == "t-9");
  CHECK(skew.post == "gate-1");
  CHECK(skew.offset == 3 * kMinute);
  CHECK(skew.samples == 1);
  CHECK(fx.events[1].actor.empty());
  CHECK(fx.events[1].at == kT0);
  // Still ahead in the same window: not again.
  CHECK(Bodies<ClockSkew>(w.Scan("yard", "c4", kT0 + 9 * kMinute, "g-1", kT0 + 5 * kMinute, "t-9"))
            .empty());
  // The next window reports it again.
  auto again =
      Bodies<ClockSkew>(w.Scan("yard", "c4", kT0 + 14 * kMinute, "g-1", kT0 + 10 * kMinute, "t-9"));
  REQUIRE(again.size() == 1);
  CHECK(again[0].offset == 4 * kMinute);
  CHECK(again[0].post == "yard");
  // Exactly skew_limit ahead is within it.
  CHECK(Bodies<ClockSkew>(w.Scan("gate-1", "c1", kT0 + 2 * kMinute, "g-1", kT0, "t-8")).empty());
}

TEST_CASE("skew: a terminal behind is reported when a window closes, by its largest sample",
          "[patrol][skew]") {
  World w;
  const std::string t = "t-5";
  // Window 1 [T0, T0+10): samples -5 min and -3 min.
  CHECK(w.Scan("gate-1", "c1", kT0 - 5 * kMinute, "g-1", kT0, t).events.size() == 1);
  CHECK(w.Scan("gate-1", "c1", kT0 + 4 * kMinute - 3 * kMinute, "g-1", kT0 + 4 * kMinute, t)
            .events.size() == 1);
  // The first sample at or after T0+10 closes it: the estimate is -3 min.
  Effects fx = w.Scan("gate-1", "c1", kT0 + 10 * kMinute, "g-1", kT0 + 10 * kMinute, t);
  auto skew = Bodies<ClockSkew>(fx);
  REQUIRE(skew.size() == 1);
  CHECK(skew[0].offset == -3 * kMinute);
  CHECK(skew[0].samples == 2);
  auto clock = PatrolStore(w.state).LoadClock(t);
  REQUIRE(clock);
  CHECK(clock->estimate == -3 * kMinute);
  CHECK(clock->last_offset == 0);
  CHECK(clock->window_start == kT0 + 10 * kMinute);
  CHECK(clock->window_samples == 1);
  CHECK(clock->reported_at == kT0 + 10 * kMinute);

  // A terminal forwarding old facts (offline) but whose fresh facts are on time: its
  // largest sample is ~0, so it is not reported.
  const std::string o = "t-6";
  w.Scan("gate-1", "c1", kT0 - 30 * kMinute, "g-1", kT0, o);
  w.Scan("gate-1", "c1", kT0 + kMinute - 10 * kSecond, "g-1", kT0 + kMinute, o);
  CHECK(Bodies<ClockSkew>(w.Scan("gate-1", "c1", kT0 + 11 * kMinute, "g-1", kT0 + 11 * kMinute, o))
            .empty());
  CHECK(PatrolStore(w.state).LoadClock(o)->estimate == -10 * kSecond);
}

TEST_CASE("skew: every terminal fact is a sample, a fact without a terminal is none",
          "[patrol][skew]") {
  World w;
  w.Start("gate-1", "north", kT0);                                  // terminal t-1
  w.Scan("gate-1", "zz", kT0 + kMinute, "g-1", kT0 + 2 * kMinute);  // unknown tag: counted
  auto clock = PatrolStore(w.state).LoadClock("t-1");
  REQUIRE(clock);
  CHECK(clock->window_samples == 2);
  CHECK(clock->last_offset == -kMinute);
  CHECK(clock->post == "gate-1");
  Effects fx = w.Apply(w.patrol.OnCheckpointScanned(
      CheckpointScan{"gate-1", "c1", {"", "g-1", kT0 + 3 * kMinute, kT0}}, w.state));
  CHECK(Bodies<ClockSkew>(fx).empty());
  CHECK(w.state.Rows("terminal_clocks").size() == 1);
}

}  // namespace picket::patrol
