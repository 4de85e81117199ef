// The best-post award: timers armed at start (idempotent, forgetting kinds no longer
// configured), granted to the first post of the period's ranking, the previous holder,
// periods without entries, late timers after a downtime, and the awards query.
#include <catch2/catch.hpp>

#include "scoring/core/scoring_keys.h"
#include "scoring/core/scoring_test_support.h"

namespace picket::scoring {
namespace {

using namespace testing;

const Micros kT0 = Utc(2026, 6, 10, 12, 30);       // Wednesday 14:30 CEST
const Micros kWeekStart = Utc(2026, 6, 7, 22, 0);  // Monday 2026-06-08 00:00 CEST
const Micros kWeekEnd = Utc(2026, 6, 14, 22, 0);   // Monday 2026-06-15 00:00 CEST
const Micros kDayStart = Utc(2026, 6, 9, 22, 0);   // Wednesday 00:00 CEST
const Micros kDelay = 5 * kMinute;
const std::string kWeekTimer = "award/week";
const std::string kDayTimer = "award/day";

ScoringConfig Awarding(std::vector<PeriodKind> kinds) {
  ScoringConfig c = TestConfig();
  c.award_periods = std::move(kinds);
  return Validated(c);
}

// gate-1: +10 -5 (5 points, 5 penalty); yard: +5 (5 points, no penalty); on `day` (a
// time in it).
void TieOn(World& w, Micros at) {
  w.Feed("patrol.round_completed", RoundCompleted("gate-1", 1), at);
  w.Feed("patrol.checkpoint_missed", CheckpointMissed("gate-1", 1, "c1"), at);
  w.Feed("scoring.commendation_recorded", CommendationFields(1, "yard", ""), at);
}

AwardGranted OneAward(const Effects& fx) {
  auto a = Bodies<AwardGranted>(fx);
  REQUIRE(a.size() == 1);
  return a[0];
}

}  // namespace

TEST_CASE("awards: OnStart arms the timer of each configured kind, once", "[scoring][awards]") {
  World w;
  Effects fx = w.Boot(kT0);
  REQUIRE(fx.set.size() == 1);
  CHECK(fx.set[0] == TimerSet{kWeekTimer, kWeekEnd + kDelay, keys::EncodeTime(kWeekStart)});
  // Every other kind loses any timer it had.
  CHECK(fx.cancel == std::vector<std::string>{"award/shift", "award/day", "award/month"});
  CHECK(w.state.Rows(keys::kCounters).at(keys::ArmedAwardKey(PeriodKind::kWeek)) ==
        keys::EncodeTime(kWeekStart));
  // Idempotent: again (later, even), the same timer and no write.
  const auto writes = w.state.writes();
  const Snapshot rows = w.Rows();
  Effects again = w.Boot(kT0 + kHour);
  CHECK(again.set == fx.set);
  CHECK(w.state.writes() == writes);
  CHECK(w.Rows() == rows);
  CHECK(w.TimerDue(kWeekTimer) == kWeekEnd + kDelay);
}

TEST_CASE("awards: a kind no longer configured loses its timer", "[scoring][awards]") {
  World w(Awarding({PeriodKind::kDay, PeriodKind::kWeek}));
  w.Boot(kT0);
  CHECK(w.TimerDue(kDayTimer) == Utc(2026, 6, 10, 22, 0) + kDelay);
  CHECK(w.TimerDue(kWeekTimer) == kWeekEnd + kDelay);
  // Restarted with days only, on the same state.
  const ScoringConfig days = Awarding({PeriodKind::kDay});
  Scoring restarted(days);
  Effects fx = w.Apply(restarted.OnStart(w.state, kT0 + kHour));
  CHECK(std::count(fx.cancel.begin(), fx.cancel.end(), kWeekTimer) == 1);
  CHECK_FALSE(w.TimerDue(kWeekTimer));
  CHECK(w.TimerDue(kDayTimer) == Utc(2026, 6, 10, 22, 0) + kDelay);
  CHECK(w.state.Rows(keys::kCounters).count(keys::ArmedAwardKey(PeriodKind::kWeek)) == 0);
  // Its timer firing anyway (already due) does nothing.
  CHECK(restarted
            .OnTimer({kWeekTimer, kWeekEnd + kDelay, keys::EncodeTime(kWeekStart)}, w.state,
                     kWeekEnd + kDelay)
            .events.empty());
}

TEST_CASE("awards: the best post of the week gets it at the week's end + delay",
          "[scoring][awards]") {
  World w;
  w.Boot(kT0);
  TieOn(w, kT0);
  // An entry in the delay, observed in the week, still counts.
  w.Feed("scoring.commendation_recorded", CommendationFields(2, "gate-2", ""), kWeekEnd - kMinute);
  Effects fx = w.Fire(kWeekTimer);
  const AwardGranted a = OneAward(fx);
  CHECK(a.period == Period{PeriodKind::kWeek, kWeekStart, kWeekEnd, "2026-W24"});
  // yard and gate-2 tie with gate-1 on points; fewer penalties, then the name.
  CHECK(a.post == "gate-2");
  CHECK(a.totals == Totals{5, 5, 0, 1});
  CHECK(a.previous == "");
  CHECK(fx.events[0].actor == "");
  CHECK(fx.events[0].at == kWeekEnd);
  CHECK(fx.events[0].type() == "scoring.award_granted");
  // The timer moves to the next week's end.
  CHECK(w.TimerDue(kWeekTimer) == kWeekEnd + 7 * kDay + kDelay);
  CHECK(w.timers.at(kWeekTimer).payload == keys::EncodeTime(kWeekEnd));
}

TEST_CASE("awards: fewer penalties break a tie on points", "[scoring][awards]") {
  World w(Awarding({PeriodKind::kDay}));
  w.Boot(kT0);
  TieOn(w, kT0);
  const AwardGranted a = OneAward(w.Fire(kDayTimer));
  CHECK(a.post == "yard");
  CHECK(a.period.label == "2026-06-10");
}

TEST_CASE("awards: previous is the holder of the period before", "[scoring][awards]") {
  World w(Awarding({PeriodKind::kDay}));
  w.Boot(kT0);
  TieOn(w, kT0);                                                              // Wednesday: yard
  w.Feed("patrol.round_completed", RoundCompleted("gate-1", 2), kT0 + kDay);  // Thursday
  // Friday: nothing. Saturday: gate-2.
  w.Feed("patrol.round_completed", RoundCompleted("gate-2", 3), kT0 + 3 * kDay);
  CHECK(OneAward(w.Fire(kDayTimer)).post == "yard");
  const AwardGranted thursday = OneAward(w.Fire(kDayTimer));
  CHECK(thursday.post == "gate-1");
  CHECK(thursday.previous == "yard");
  // No post with an entry: no award, but the timer moves on.
  Effects friday = w.Fire(kDayTimer);
  CHECK(friday.events.empty());
  CHECK(w.TimerDue(kDayTimer) == Utc(2026, 6, 13, 22, 0) + kDelay);
  const AwardGranted saturday = OneAward(w.Fire(kDayTimer));
  CHECK(saturday.post == "gate-2");
  CHECK(saturday.previous == "");  // Friday had none
  CHECK(w.state.Rows(keys::kAwards).size() == 3);
}

TEST_CASE("awards: a period whose entries were all voided gets none", "[scoring][awards]") {
  World w(Awarding({PeriodKind::kDay}));
  w.Boot(kT0);
  w.Feed("patrol.checkpoint_missed", CheckpointMissed("gate-1", 7, "c2"), kT0);
  w.Feed("patrol.checkpoint_excused", CheckpointExcused("gate-1", 7, "c2"), kT0);
  CHECK(w.Fire(kDayTimer).events.empty());
  // Guards alone (no post) do not make an award either.
  w.Feed("escalation.incident_acknowledged", IncidentAcknowledged(1, kSecond), kT0 + kDay, "g-1");
  CHECK(w.Fire(kDayTimer).events.empty());
}

TEST_CASE("awards: a void after the award does not take it back", "[scoring][awards]") {
  World w(Awarding({PeriodKind::kDay}));
  w.Boot(kT0);
  w.now = kT0 + 2 * kDay;
  w.Feed("scoring.commendation_recorded", CommendationFields(1, "yard", ""), kT0);
  const AwardGranted a = OneAward(w.Fire(kDayTimer));
  REQUIRE(w.Run(VoidCommand{1, "a mistake"}).reply.ok());
  CommandResult awards = w.Run(AwardsQuery{PeriodKind::kDay, 0});
  REQUIRE(awards.reply.awards.size() == 1);
  CHECK(awards.reply.awards[0] == a);
  CHECK(w.TotalsOf(PeriodKind::kDay, kT0, SubjectKind::kPost, "yard") == Totals{});
}

TEST_CASE("awards: after a downtime of several periods each gets its award once",
          "[scoring][awards]") {
  World w(Awarding({PeriodKind::kDay}));
  w.Boot(kT0);
  w.Feed("patrol.round_completed", RoundCompleted("gate-1", 1), kT0);           // Wednesday
  w.Feed("patrol.round_completed", RoundCompleted("yard", 2), kT0 + 2 * kDay);  // Friday
  // Down until Saturday noon: the service restarts, then its due timers fire late, in order.
  const Micros back = kT0 + 3 * kDay;
  Effects boot = w.Boot(back);
  CHECK(w.TimerDue(kDayTimer) == Utc(2026, 6, 10, 22, 0) + kDelay);  // still Wednesday's
  std::vector<AwardGranted> granted;
  for (int fired = 0; w.TimerDue(kDayTimer) <= back; ++fired) {
    REQUIRE(fired < 10);
    auto a = Bodies<AwardGranted>(w.Fire(kDayTimer, back));
    granted.insert(granted.end(), a.begin(), a.end());
  }
  REQUIRE(granted.size() == 2);
  CHECK(granted[0].period.label == "2026-06-10");
  CHECK(granted[0].post == "gate-1");
  CHECK(granted[1].period.label == "2026-06-12");
  CHECK(granted[1].post == "yard");
  CHECK(granted[1].previous == "");  // Thursday had none
  // Saturday's is the one now pending, due at its end.
  CHECK(w.TimerDue(kDayTimer) == Utc(2026, 6, 13, 22, 0) + kDelay);
  // A stale copy of a fired timer grants nothing again; the recorded one is set again.
  Effects stale = w.Apply(w.scoring.OnTimer(
      {kDayTimer, Utc(2026, 6, 10, 22, 0) + kDelay, keys::EncodeTime(kDayStart)}, w.state, back));
  CHECK(stale.events.empty());
  CHECK(w.TimerDue(kDayTimer) == Utc(2026, 6, 13, 22, 0) + kDelay);
  CHECK(w.state.Rows(keys::kAwards).size() == 2);
}

TEST_CASE("awards: a timer early for the configured delay waits for it", "[scoring][awards]") {
  World w(Awarding({PeriodKind::kDay}));
  w.Boot(kT0);
  w.Feed("patrol.round_completed", RoundCompleted("gate-1", 1), kT0);
  // Armed with a 5-minute delay; the site now says 30 minutes.
  ScoringConfig longer = Awarding({PeriodKind::kDay});
  longer.award_delay = 30 * kMinute;
  Scoring patient(longer);
  const TimerSet t = w.timers.at(kDayTimer);
  Effects fx = w.Apply(patient.OnTimer({t.id, t.due, t.payload}, w.state, t.due));
  CHECK(fx.events.empty());
  CHECK(w.TimerDue(kDayTimer) == Utc(2026, 6, 10, 22, 0) + 30 * kMinute);
  CHECK(OneAward(
            w.Apply(patient.OnTimer({t.id, t.due, t.payload}, w.state, Utc(2026, 6, 10, 22, 30))))
            .post == "gate-1");
}

TEST_CASE("awards: unknown timers and payloads change nothing", "[scoring][awards]") {
  World w(Awarding({PeriodKind::kDay}));
  const auto writes = w.state.writes();
  CHECK(w.scoring.OnTimer({"award/fortnight", kT0, ""}, w.state, kT0).events.empty());
  CHECK(w.scoring.OnTimer({"sched/x", kT0, ""}, w.state, kT0).set.empty());
  // No row and a payload that is no time: nothing to go by.
  CHECK(w.scoring.OnTimer({kDayTimer, kT0, "garbage"}, w.state, kT0).set.empty());
  CHECK(w.state.writes() == writes);
  // No row (the state was lost) but a good payload: that period, then the next.
  w.Feed("patrol.round_completed", RoundCompleted("yard", 1), kT0);
  Effects fx = w.Apply(
      w.scoring.OnTimer({kDayTimer, Utc(2026, 6, 10, 22, 0) + kDelay, keys::EncodeTime(kDayStart)},
                        w.state, kT0 + kDay));
  CHECK(OneAward(fx).post == "yard");
  CHECK(w.TimerDue(kDayTimer) == Utc(2026, 6, 11, 22, 0) + kDelay);
}

TEST_CASE("awards: the awards query lists the latest first", "[scoring][awards]") {
  World w(Awarding({PeriodKind::kDay, PeriodKind::kWeek}));
  w.Boot(kT0);
  for (int d = 0; d < 12; ++d)
    w.Feed("patrol.round_completed", RoundCompleted(d % 2 ? "yard" : "gate-1", d), kT0 + d * kDay);
  for (int d = 0; d < 12; ++d) OneAward(w.Fire(kDayTimer));
  CommandResult latest = w.Run(AwardsQuery{PeriodKind::kDay, 0});
  REQUIRE(latest.reply.ok());
  REQUIRE(latest.reply.awards.size() == 10);
  CHECK(latest.reply.truncated);
  CHECK(latest.reply.awards[0].period.label == "2026-06-21");
  CHECK(latest.reply.awards[0].post == "yard");
  CHECK(latest.reply.awards[0].previous == "gate-1");
  CHECK(latest.reply.awards[9].period.label == "2026-06-12");
  CommandResult all = w.Run(AwardsQuery{PeriodKind::kDay, 12});
  CHECK(all.reply.awards.size() == 12);
  CHECK_FALSE(all.reply.truncated);
  CHECK(w.Run(AwardsQuery{PeriodKind::kDay, 1}).reply.awards.size() == 1);
  CHECK(w.Run(AwardsQuery{PeriodKind::kWeek, 0}).reply.awards.empty());
  CHECK(w.Run(AwardsQuery{PeriodKind::kShift, 0}).reply.ok());
  CHECK_FALSE(w.Run(AwardsQuery{PeriodKind::kDay, kMaxRows + 1}).reply.ok());
  CHECK(w.Run(AwardsQuery{PeriodKind::kDay, kMaxRows + 1}).reply.error ==
        CommandError::kInvalidArgument);
  CHECK(w.Run(AwardsQuery{static_cast<PeriodKind>(4), 0}).reply.error ==
        CommandError::kInvalidArgument);
}

}  // namespace picket::scoring
