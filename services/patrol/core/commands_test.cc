// Commands (each success emits its event and returns the round; each refusal has its code
// and changes nothing) and queries.
#include <catch2/catch.hpp>

#include "patrol/core/patrol_keys.h"
#include "patrol/core/patrol_store.h"
#include "patrol/core/patrol_test_support.h"

namespace picket::patrol {
namespace {

using namespace testing;

const Micros kT0 = Utc(2026, 6, 10, 12, 0);

// Runs `body` and checks it is refused with `error`, emits nothing and changes nothing.
void CheckRefused(World& w, CommandBody body, CommandError error, std::string actor = "sup-1") {
  const Snapshot before = w.Rows();
  const auto timers = w.timers;
  auto r = w.Run(std::move(body), std::move(actor));
  INFO(r.reply.message);
  CHECK(r.reply.error == error);
  CHECK_FALSE(r.reply.message.empty());
  CHECK(r.reply.rounds.empty());
  CHECK(r.effects.events.empty());
  CHECK(r.effects.set.empty());
  CHECK(r.effects.cancel.empty());
  CHECK(w.Rows() == before);
  CHECK(w.timers == timers);
}

uint64_t StartNorth(World& w, Micros at = kT0, const std::string& guard = "g-1") {
  auto s = Bodies<RoundStarted>(w.Start("gate-1", "north", at, guard));
  REQUIRE(s.size() == 1);
  return s[0].round;
}

Round MakeNightRound(World& w) {
  w.Boot(Utc(2026, 6, 10, 18, 0));
  auto made = Bodies<RoundScheduled>(w.Fire("sched/night"));
  REQUIRE(made.size() == 1);
  return w.RoundById(made[0].round);
}

// A round written straight to the store (for the queries).
void Put(World& w, Round r) {
  PatrolStore store(w.state);
  store.SaveRound(r);
  store.AddToTimeIndex(r);
}

Round Made(uint64_t id, const std::string& post, const std::string& guard, Micros due,
           RoundStatus status, std::vector<CheckpointState> states = {}) {
  Round r;
  r.id = id;
  r.route = "north";
  r.post = post;
  r.guard = guard;
  r.due = due;
  r.started_at = guard.empty() ? 0 : due + kMinute;
  r.status = status;
  for (size_t i = 0; i < states.size(); ++i)
    r.checkpoints.push_back({"c" + std::to_string(i + 1), states[i]});
  return r;
}

}  // namespace

TEST_CASE("commands: extend an in-progress round's deadlines", "[patrol][commands]") {
  World w;
  const uint64_t id = StartNorth(w);
  w.now = kT0 + 5 * kMinute;
  auto r = w.Run(ExtendDeadline{id, 10 * kMinute, "called to an alarm"});
  REQUIRE(r.reply.ok());
  CHECK(Types(r.effects) == std::vector<std::string>{"patrol.deadline_extended"});
  const DeadlineExtended ev = Bodies<DeadlineExtended>(r.effects).at(0);
  CHECK(ev.round == id);
  CHECK(ev.by == 10 * kMinute);
  CHECK(ev.extension == 10 * kMinute);
  CHECK(ev.reason == "called to an alarm");
  CHECK(ev.route == "north");
  CHECK(ev.post == "gate-1");
  CHECK(r.effects.events[0].actor == "sup-1");
  CHECK(r.effects.events[0].at == w.now);
  REQUIRE(r.reply.rounds.size() == 1);
  CHECK(r.reply.rounds[0].extension == 10 * kMinute);
  CHECK(w.TimerDue(LegTimer(id)) == kT0 + 25 * kMinute);
  CHECK(w.TimerDue(EndTimer(id)) == kT0 + 45 * kMinute);
  // Extensions add up, and a leg up to leg_max + extension is on time.
  REQUIRE(w.Run(ExtendDeadline{id, kMinute, "again"}).reply.ok());
  CHECK(w.RoundById(id).extension == 11 * kMinute);
  auto a = Bodies<CheckpointAccepted>(w.Scan("gate-1", "c1", kT0 + 21 * kMinute));
  REQUIRE(a.size() == 1);
  CHECK(a[0].on_time);
}

TEST_CASE("commands: extend a scheduled or not-started round's start", "[patrol][commands]") {
  World w;
  const Round night = MakeNightRound(w);
  w.now = night.due;
  REQUIRE(w.Run(ExtendDeadline{night.id, 5 * kMinute, "shift change"}).reply.ok());
  CHECK(w.TimerDue(StartTimer(night.id)) == night.due + 10 * kMinute);
  // Started 8 min after due: within grace + extension, not late.
  auto s = Bodies<RoundStarted>(w.Start("gate-1", "north", night.due + 8 * kMinute));
  CHECK(s.at(0).round == night.id);
  CHECK_FALSE(s.at(0).late);

  World n;
  const Round other = MakeNightRound(n);
  n.Fire(StartTimer(other.id));  // not started
  n.now = other.due + 6 * kMinute;
  auto r = n.Run(ExtendDeadline{other.id, 12 * 60 * kMinute, "max"});  // exactly 12 h
  REQUIRE(r.reply.ok());
  CHECK(r.reply.rounds[0].status == RoundStatus::kNotStarted);
  CHECK(n.TimerDue(StartTimer(other.id)) == other.due + 35 * kMinute + 12 * kHour);
}

TEST_CASE("commands: extension refusals change nothing", "[patrol][commands]") {
  World w;
  const uint64_t id = StartNorth(w);
  CheckRefused(w, ExtendDeadline{id, kMinute - 1, "r"}, CommandError::kInvalidArgument);
  CheckRefused(w, ExtendDeadline{id, 12 * kHour + 1, "r"}, CommandError::kInvalidArgument);
  CheckRefused(w, ExtendDeadline{id, kMinute, ""}, CommandError::kInvalidArgument);
  CheckRefused(w, ExtendDeadline{id, kMinute, "  "}, CommandError::kInvalidArgument);
  CheckRefused(w, ExtendDeadline{id, kMinute, std::string(kMaxTextBytes + 1, 'x')},
               CommandError::kInvalidArgument);
  CheckRefused(w, ExtendDeadline{id, kMinute, "r"}, CommandError::kInvalidArgument, "");
  CheckRefused(w, ExtendDeadline{id + 100, kMinute, "r"}, CommandError::kUnknownRound);
  CHECK(w.Run(ExtendDeadline{id, kMinute, std::string(kMaxTextBytes, 'x')}).reply.ok());
  w.End("gate-1", kT0 + 5 * kMinute);
  CheckRefused(w, ExtendDeadline{id, kMinute, "r"}, CommandError::kWrongState);
}

TEST_CASE("commands: excuse a missed checkpoint", "[patrol][commands]") {
  World w;
  const uint64_t id = StartNorth(w);
  w.Fire(LegTimer(id));  // c1 missed
  CheckRefused(w, ExcuseCheckpoint{id, "c2", "fence down"}, CommandError::kWrongState);
  CheckRefused(w, ExcuseCheckpoint{id, "x9", "fence down"}, CommandError::kUnknownCheckpoint);
  CheckRefused(w, ExcuseCheckpoint{id + 1, "c1", "fence down"}, CommandError::kUnknownRound);
  CheckRefused(w, ExcuseCheckpoint{id, "c1", ""}, CommandError::kInvalidArgument);
  auto r = w.Run(ExcuseCheckpoint{id, "c1", "fence down"});
  REQUIRE(r.reply.ok());
  const CheckpointExcused ev = Bodies<CheckpointExcused>(r.effects).at(0);
  CHECK(ev.checkpoint == "c1");
  CHECK(ev.guard == "g-1");
  CHECK(ev.reason == "fence down");
  CHECK(r.reply.rounds.at(0).checkpoints[0].state == CheckpointState::kExcused);
  CHECK(w.RoundById(id).checkpoints[0].state == CheckpointState::kExcused);
  CheckRefused(w, ExcuseCheckpoint{id, "c1", "again"}, CommandError::kWrongState);
  // An excused checkpoint scanned late is a duplicate, and the next leg is unchanged.
  CHECK(w.TimerDue(LegTimer(id)) == kT0 + 30 * kMinute);
  auto dup = Bodies<CheckpointRejected>(w.Scan("gate-1", "c1", kT0 + 16 * kMinute));
  REQUIRE(dup.size() == 1);
  CHECK(dup[0].reason == RejectReason::kDuplicate);
}

TEST_CASE("commands: cancel a round in progress or not yet started", "[patrol][commands]") {
  World w;
  const uint64_t id = StartNorth(w);
  w.now = kT0 + 3 * kMinute;
  auto r = w.Run(CancelRound{id, "wrong guard"});
  REQUIRE(r.reply.ok());
  const RoundCancelled ev = Bodies<RoundCancelled>(r.effects).at(0);
  CHECK(ev.was == RoundStatus::kInProgress);
  CHECK(ev.reason == "wrong guard");
  CHECK(r.effects.cancel == std::vector<std::string>{LegTimer(id), EndTimer(id)});
  CHECK(w.timers.empty());
  CHECK(w.RoundById(id).status == RoundStatus::kCancelled);
  CHECK(w.RoundById(id).ended_at == w.now);
  CHECK(Bodies<CheckpointRejected>(w.Scan("gate-1", "c1", kT0 + 4 * kMinute)).at(0).reason ==
        RejectReason::kNoRound);
  CheckRefused(w, CancelRound{id, "again"}, CommandError::kWrongState);
  CheckRefused(w, CancelRound{id + 1, "x"}, CommandError::kUnknownRound);

  World s;
  const Round night = MakeNightRound(s);
  CheckRefused(s, CancelRound{night.id, ""}, CommandError::kInvalidArgument);
  auto c = s.Run(CancelRound{night.id, "site closed"});
  REQUIRE(c.reply.ok());
  CHECK(Bodies<RoundCancelled>(c.effects).at(0).was == RoundStatus::kScheduled);
  CHECK(c.effects.cancel == std::vector<std::string>{StartTimer(night.id)});
  CHECK(PatrolStore(s.state).OpenRounds("gate-1").empty());
  // A start now is an unscheduled round.
  CHECK(Bodies<RoundStarted>(s.Start("gate-1", "north", night.due)).at(0).round != night.id);
  // A completed round cannot be cancelled.
  const uint64_t done = StartNorth(s, night.due + 3 * kHour, "g-2");
  s.End("gate-1", night.due + 3 * kHour + kMinute, "g-2");
  CheckRefused(s, CancelRound{done, "x"}, CommandError::kWrongState);
}

TEST_CASE("commands: names, queries need no actor, commands do", "[patrol][commands]") {
  CHECK(CommandErrorName(CommandError::kNone) == "none");
  CHECK(CommandErrorName(CommandError::kInvalidArgument) == "invalid_argument");
  CHECK(CommandErrorName(CommandError::kUnknownRound) == "unknown_round");
  CHECK(CommandErrorName(CommandError::kUnknownCheckpoint) == "unknown_checkpoint");
  CHECK(CommandErrorName(CommandError::kWrongState) == "wrong_state");
  CHECK(IsQuery(Command{"", GetRound{1}}));
  CHECK(IsQuery(Command{"", ListRounds{}}));
  CHECK(IsQuery(Command{"", CurrentRounds{}}));
  CHECK(IsQuery(Command{"", GetCompletion{}}));
  CHECK_FALSE(IsQuery(Command{"", CancelRound{}}));
  World w;
  const uint64_t id = StartNorth(w);
  auto got = w.Run(GetRound{id}, "");
  REQUIRE(got.reply.ok());
  CHECK(got.reply.rounds == std::vector<Round>{w.RoundById(id)});
  CHECK(got.effects.events.empty());
  CHECK(w.Run(GetRound{id + 5}).reply.error == CommandError::kUnknownRound);
  CheckRefused(w, CancelRound{id, "x"}, CommandError::kInvalidArgument, " ");
}

TEST_CASE("queries: current rounds, of a post or all", "[patrol][queries]") {
  World w;
  StartNorth(w, kT0, "g-1");
  StartNorth(w, kT0, "g-2");
  w.Start("yard", "yard", kT0, "g-3");
  CHECK(w.Run(CurrentRounds{}).reply.rounds.size() == 3);
  auto gate = w.Run(CurrentRounds{"gate-1"}).reply.rounds;
  REQUIRE(gate.size() == 2);
  CHECK(gate[0].guard == "g-1");
  CHECK(gate[1].guard == "g-2");
  CHECK(gate[0].status == RoundStatus::kInProgress);
  CHECK(w.Run(CurrentRounds{"nowhere"}).reply.rounds.empty());
}

TEST_CASE("queries: list rounds by time with filters, ranges checked", "[patrol][queries]") {
  World w;
  Put(w, Made(1, "gate-1", "g-1", kT0, RoundStatus::kCompleted));
  Put(w, Made(2, "gate-1", "g-2", kT0 + kHour, RoundStatus::kInProgress));
  Put(w, Made(3, "yard", "", kT0 + kHour, RoundStatus::kNotStarted));
  Put(w, Made(4, "yard", "g-1", kT0 + 3 * kDay, RoundStatus::kCompleted));
  Round assigned = Made(5, "yard", "", kT0 + 2 * kHour, RoundStatus::kScheduled);
  assigned.assigned = "g-7";
  Put(w, assigned);
  auto ids = [&](ListRounds q) {
    auto r = w.Run(q);
    REQUIRE(r.reply.ok());
    std::vector<uint64_t> out;
    for (const auto& round : r.reply.rounds) out.push_back(round.id);
    return out;
  };
  CHECK(ids({kT0, kT0 + 4 * kDay, "", "", ""}) == std::vector<uint64_t>{1, 2, 3, 5, 4});
  CHECK(ids({kT0, kT0 + kHour, "", "", ""}) == std::vector<uint64_t>{1});  // [from, to)
  CHECK(ids({kT0 + 1, kT0 + 4 * kDay, "yard", "", ""}) == std::vector<uint64_t>{3, 5, 4});
  CHECK(ids({kT0, kT0 + 4 * kDay, "", "g-1", ""}) == std::vector<uint64_t>{1, 4});
  CHECK(ids({kT0, kT0 + 4 * kDay, "", "g-7", ""}) == std::vector<uint64_t>{5});
  CHECK(ids({kT0, kT0 + 4 * kDay, "", "", "yard"}).empty());
  CheckRefused(w, ListRounds{kT0, kT0, "", "", ""}, CommandError::kInvalidArgument);
  CheckRefused(w, ListRounds{kT0, kT0 + kMaxQueryRange + 1, "", "", ""},
               CommandError::kInvalidArgument);
  CHECK(w.Run(ListRounds{kT0, kT0 + kMaxQueryRange, "", "", ""}).reply.ok());
}

TEST_CASE("queries: list rounds stops at kMaxRounds, the earliest", "[patrol][queries]") {
  World w;
  for (uint64_t id = 1; id <= kMaxRounds + 1; ++id)
    Put(w, Made(id, "gate-1", "g-1", kT0 + static_cast<Micros>(id) * kSecond,
                RoundStatus::kCompleted));
  auto r = w.Run(ListRounds{kT0, kT0 + kDay, "", "", ""});
  REQUIRE(r.reply.ok());
  CHECK(r.reply.truncated);
  REQUIRE(r.reply.rounds.size() == kMaxRounds);
  CHECK(r.reply.rounds.back().id == kMaxRounds);
  auto exact =
      w.Run(ListRounds{kT0, kT0 + static_cast<Micros>(kMaxRounds + 1) * kSecond, "", "", ""});
  CHECK_FALSE(exact.reply.truncated);
  CHECK(exact.reply.rounds.size() == kMaxRounds);
}

TEST_CASE("queries: completion per guard and per post", "[patrol][queries]") {
  using S = CheckpointState;
  World w;
  Put(w,
      Made(1, "gate-1", "g-1", kT0, RoundStatus::kCompleted, {S::kOnTime, S::kLate, S::kMissed}));
  Round late = Made(2, "gate-1", "g-1", kT0 + kHour, RoundStatus::kCompleted,
                    {S::kOnTime, S::kExcused, S::kOnTime});
  late.late_reported = true;
  late.started_late = true;
  Put(w, late);
  Round nobody = Made(3, "gate-1", "", kT0 + 2 * kHour, RoundStatus::kNotStarted,
                      {S::kPending, S::kPending, S::kPending});
  Put(w, nobody);
  Round g7 = nobody;
  g7.id = 4;
  g7.post = "yard";
  g7.assigned = "g-7";
  Put(w, g7);
  Put(w, Made(5, "yard", "g-1", kT0 + 3 * kHour, RoundStatus::kCancelled, {S::kMissed}));
  Put(w,
      Made(6, "yard", "g-2", kT0 + 3 * kHour, RoundStatus::kInProgress, {S::kOnTime, S::kPending}));
  Put(w, Made(7, "yard", "g-2", kT0 + 5 * kDay, RoundStatus::kCompleted, {S::kMissed}));  // later

  auto by_guard = w.Run(GetCompletion{kT0, kT0 + kDay, true});
  REQUIRE(by_guard.reply.ok());
  const auto& g = by_guard.reply.completion;
  REQUIRE(g.size() == 3);
  CHECK(g[0].subject == "g-1");
  CHECK(g[0].rounds == 2);  // the cancelled one is not counted
  CHECK(g[0].completed == 2);
  CHECK(g[0].late == 1);
  CHECK(g[0].not_started == 1);  // started after its deadline
  CHECK(g[0].checkpoints_on_time == 3);
  CHECK(g[0].checkpoints_late == 1);
  CHECK(g[0].checkpoints_missed == 1);
  CHECK(g[0].checkpoints_excused == 1);
  CHECK(g[0].permille() == 800);
  CHECK(g[1].subject == "g-2");
  CHECK(g[1].rounds == 1);
  CHECK(g[1].completed == 0);
  CHECK(g[1].permille() == 1000);
  CHECK(g[2].subject == "g-7");
  CHECK(g[2].not_started == 1);
  CHECK(g[2].permille() == 1000);  // nothing expected of it was walked

  auto by_post = w.Run(GetCompletion{kT0, kT0 + kDay, false});
  const auto& p = by_post.reply.completion;
  REQUIRE(p.size() == 2);
  CHECK(p[0].subject == "gate-1");
  CHECK(p[0].rounds == 3);
  CHECK(p[0].not_started == 2);
  CHECK(p[1].subject == "yard");
  CHECK(p[1].rounds == 2);
  CheckRefused(w, GetCompletion{kT0 + kDay, kT0, true}, CommandError::kInvalidArgument);
  CHECK(Completion{}.permille() == 1000);
  Completion none_counted;
  none_counted.checkpoints_missed = 4;
  CHECK(none_counted.permille() == 0);
}

}  // namespace picket::patrol
