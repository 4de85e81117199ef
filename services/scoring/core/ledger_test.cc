// The ledger: each default rule on its event and conditions, totals in the four periods
// for guard, post and squad, reversals, once, subjects, entry ids, the service's own
// entry_voided back from the bus, and determinism.
#include <catch2/catch.hpp>

#include "scoring/core/scoring_keys.h"
#include "scoring/core/scoring_test_support.h"

namespace picket::scoring {
namespace {

using namespace testing;

const Micros kT0 = Utc(2026, 6, 10, 12, 30);  // Wednesday 14:30 CEST, the 14:00 shift

// The one entry `fx` awards (REQUIREd).
Entry One(const Effects& fx) {
  auto entries = Awarded(fx);
  REQUIRE(entries.size() == 1);
  return entries[0];
}

struct Expected {
  std::string rule;
  int64_t points;
  std::string guard, post, squad, label;
};

void Check(const Entry& e, const Expected& x) {
  CHECK(e.rule == x.rule);
  CHECK(e.points == x.points);
  CHECK(e.guard == x.guard);
  CHECK(e.post == x.post);
  CHECK(e.squad == x.squad);
  CHECK(e.label == x.label);
  CHECK_FALSE(e.voided);
}

Fields FindingFields(int64_t inspection, const std::string& post, const std::string& guard,
                     bool passed, const std::string& category = "uniform") {
  return {{"inspection", inspection}, {"post", post},     {"guard", guard},
          {"category", category},     {"passed", passed}, {"note", ""}};
}

Totals T(int64_t rewards, int64_t penalties, uint32_t entries) {
  return Totals{rewards + penalties, rewards, penalties, entries};
}

}  // namespace

TEST_CASE("ledger: each default patrol rule fires on its event and conditions",
          "[scoring][ledger]") {
  World w;
  Check(One(w.Feed("patrol.round_completed", RoundCompleted("gate-1", 7), kT0)),
        {"round_completed", 10, "g-1", "gate-1", "north", "Round 7 completed"});
  CHECK(
      w.Feed("patrol.round_completed", RoundCompleted("gate-1", 8, "g-1", 1), kT0).events.empty());
  CHECK(w.Feed("patrol.round_completed", RoundCompleted("gate-1", 9, "g-1", 0, true), kT0)
            .events.empty());
  Check(One(w.Feed("patrol.checkpoint_accepted", CheckpointAccepted("gate-2", 7, "c1"), kT0)),
        {"checkpoint_on_time", 1, "g-1", "gate-2", "north", "Checkpoint c1 on time"});
  CHECK(
      w.Feed("patrol.checkpoint_accepted", CheckpointAccepted("gate-2", 7, "c2", "g-1", false), kT0)
          .events.empty());
  Check(One(w.Feed("patrol.checkpoint_missed", CheckpointMissed("yard", 7, "c3"), kT0)),
        {"checkpoint_missed", -5, "g-1", "yard", "", "Checkpoint c3 missed"});
  Check(
      One(w.Feed("patrol.missed_withdrawn", MissedWithdrawn("yard", 8, "c4"), kT0)),
      {"checkpoint_late_scan_on_time", 1, "g-1", "yard", "", "Checkpoint c4 on time (late scan)"});
  CHECK(w.Feed("patrol.missed_withdrawn", MissedWithdrawn("yard", 8, "c5", "g-1", false), kT0)
            .events.empty());
  // An unassigned round: the post and its squad only.
  Check(One(w.Feed("patrol.round_not_started", RoundNotStarted("gate-1", 11), kT0)),
        {"round_not_started", -10, "", "gate-1", "north", "Round 11 not started"});
}

TEST_CASE("ledger: each default access, escalation and scoring rule fires on its event",
          "[scoring][ledger]") {
  World w;
  // No guard field: the actor (the guard at the gate).
  Check(One(w.Feed("access.visitor_checked_out", VisitorCheckedOut("gate-2", 31), kT0, "g-2")),
        {"visitor_checked_out", 2, "g-2", "gate-2", "north", "Visitor v-1 checked out"});
  Check(One(w.Feed("access.unregistered_entry", UnregisteredEntry("gate-2", 32), kT0, "g-2")),
        {"unregistered_entry", -5, "g-2", "gate-2", "north", "Unregistered entry of v-2"});
  // An overstay is a timer's: no actor, so the post alone; only the first one counts.
  Check(One(w.Feed("access.overstay", Overstay("yard", 33, 1), kT0)),
        {"overstay", -3, "", "yard", "", "Visitor v-3 overstayed"});
  CHECK(w.Feed("access.overstay", Overstay("yard", 33, 2), kT0).events.empty());
  // Acknowledgements: the actor, no post; 60 s is fast, over 5 min late, between nothing.
  const std::string ack = "escalation.incident_acknowledged";
  Check(One(w.Feed(ack, IncidentAcknowledged(4, 60 * kSecond), kT0, "g-3")),
        {"fast_acknowledgement", 3, "g-3", "", "", "Incident 4 acknowledged fast"});
  CHECK(w.Feed(ack, IncidentAcknowledged(5, 61 * kSecond), kT0, "g-3").events.empty());
  CHECK(w.Feed(ack, IncidentAcknowledged(6, 5 * kMinute), kT0, "g-3").events.empty());
  Check(One(w.Feed(ack, IncidentAcknowledged(7, 5 * kMinute + 1), kT0, "g-3")),
        {"late_acknowledgement", -3, "g-3", "", "", "Incident 7 acknowledged late"});
  // Findings and commendations as they come back from the bus (actor: the supervisor).
  Check(One(w.Feed("scoring.finding_recorded", FindingFields(1, "gate-1", "g-4", true), kT0,
                   "sup-1")),
        {"inspection_passed", 1, "g-4", "gate-1", "north", "Inspection 1: uniform passed"});
  Check(One(w.Feed("scoring.finding_recorded", FindingFields(1, "gate-1", "", false, "phone"), kT0,
                   "sup-1")),
        {"inspection_fault", -3, "", "gate-1", "north", "Inspection 1: phone fault"});
  Check(One(w.Feed("scoring.commendation_recorded", CommendationFields(1, "", "g-5", "calm"), kT0,
                   "sup-1")),
        {"commendation", 5, "g-5", "", "", "Commendation: calm"});
}

TEST_CASE("ledger: an entry records its cause and counts in the four periods of its time",
          "[scoring][ledger]") {
  World w;
  const Entry e = One(w.Feed("patrol.checkpoint_missed", CheckpointMissed("gate-1", 7, "c2"), kT0));
  CHECK(e.id == 1);
  CHECK(e.seq == w.last_seq);
  CHECK(e.event == "patrol.checkpoint_missed");
  CHECK(e.at == kT0);
  CHECK(w.EntryById(1) == e);
  for (PeriodKind k : kAllPeriodKinds) {
    INFO(PeriodKindName(k));
    CHECK(w.TotalsOf(k, kT0, SubjectKind::kGuard, "g-1") == T(0, -5, 1));
    CHECK(w.TotalsOf(k, kT0, SubjectKind::kPost, "gate-1") == T(0, -5, 1));
    CHECK(w.TotalsOf(k, kT0, SubjectKind::kSquad, "north") == T(0, -5, 1));
    CHECK(w.TotalsOf(k, kT0, SubjectKind::kPost, "gate-2") == Totals{});
  }
  // A reward in the next shift (22:30 CEST): the day, week and month sum both, the shifts
  // keep them apart.
  const Micros night = Utc(2026, 6, 10, 20, 30);
  w.Feed("patrol.checkpoint_accepted", CheckpointAccepted("gate-1", 8, "c1"), night);
  CHECK(w.TotalsOf(PeriodKind::kShift, kT0, SubjectKind::kGuard, "g-1") == T(0, -5, 1));
  CHECK(w.TotalsOf(PeriodKind::kShift, night, SubjectKind::kGuard, "g-1") == T(1, 0, 1));
  for (PeriodKind k : {PeriodKind::kDay, PeriodKind::kWeek, PeriodKind::kMonth})
    CHECK(w.TotalsOf(k, kT0, SubjectKind::kSquad, "north") == T(1, -5, 2));
  // The next day counts apart, the same week does not.
  const Micros thursday = kT0 + kDay;
  w.Feed("patrol.round_completed", RoundCompleted("gate-1", 9), thursday);
  CHECK(w.TotalsOf(PeriodKind::kDay, thursday, SubjectKind::kPost, "gate-1") == T(10, 0, 1));
  CHECK(w.TotalsOf(PeriodKind::kWeek, kT0, SubjectKind::kPost, "gate-1") == T(11, -5, 3));
}

TEST_CASE("ledger: entry ids are 1, 2, 3 from the state's counter", "[scoring][ledger]") {
  World w;
  std::vector<uint64_t> ids;
  for (int64_t round = 1; round <= 3; ++round)
    ids.push_back(
        One(w.Feed("patrol.checkpoint_missed", CheckpointMissed("gate-1", round, "c1"), kT0)).id);
  CHECK(ids == std::vector<uint64_t>{1, 2, 3});
  CHECK(w.state.Rows(keys::kCounters).at(std::string(keys::kNextEntry)) == keys::EncodeCounter(4));
  CHECK(w.state.Rows(keys::kEntries).size() == 3);
}

TEST_CASE("ledger: a withdrawn miss is voided and its totals drop back", "[scoring][ledger]") {
  World w;
  const Entry miss =
      One(w.Feed("patrol.checkpoint_missed", CheckpointMissed("gate-1", 7, "c2"), kT0));
  const Entry other =
      One(w.Feed("patrol.checkpoint_missed", CheckpointMissed("gate-1", 7, "c3"), kT0));
  const Micros later = kT0 + 10 * kMinute;
  // A late scan, not on time: no reward, only the reversal.
  Effects fx =
      w.Feed("patrol.missed_withdrawn", MissedWithdrawn("gate-1", 7, "c2", "g-1", false), later);
  const uint64_t withdrawn_seq = w.last_seq;
  CHECK(Types(fx) == std::vector<std::string>{"scoring.entry_voided"});
  auto voids = Bodies<EntryVoided>(fx);
  REQUIRE(voids.size() == 1);
  CHECK(voids[0].reversal);
  Entry expected = miss;
  expected.voided = true;
  expected.void_reason = "reversed by missed_withdrawn";
  expected.voided_by = "rule:missed_withdrawn";
  expected.void_seq = withdrawn_seq;
  expected.voided_at = later;
  CHECK(voids[0].entry == expected);
  CHECK(fx.events[0].actor == "");
  CHECK(fx.events[0].at == later);
  CHECK(w.EntryById(miss.id) == expected);
  CHECK_FALSE(w.EntryById(other.id).voided);
  for (PeriodKind k : kAllPeriodKinds)
    CHECK(w.TotalsOf(k, kT0, SubjectKind::kSquad, "north") == T(0, -5, 1));
  // Withdrawn again: nothing left to void.
  CHECK(w.Feed("patrol.missed_withdrawn", MissedWithdrawn("gate-1", 7, "c2", "g-1", false), later)
            .events.empty());
}

TEST_CASE("ledger: a late scan on time earns its point and voids the miss", "[scoring][ledger]") {
  World w;
  w.Feed("patrol.checkpoint_missed", CheckpointMissed("gate-1", 7, "c2"), kT0);
  Effects fx = w.Feed("patrol.missed_withdrawn", MissedWithdrawn("gate-1", 7, "c2"), kT0);
  CHECK(Types(fx) == std::vector<std::string>{"scoring.points_awarded", "scoring.entry_voided"});
  CHECK(w.TotalsOf(PeriodKind::kDay, kT0, SubjectKind::kGuard, "g-1") == T(1, 0, 1));
  // The reward's rows: 4 periods x guard, post, squad.
  CHECK(w.state.Rows(keys::kTotals).size() == 12);
}

TEST_CASE("ledger: totals of a voided-only subject leave no row", "[scoring][ledger]") {
  World w;
  w.Feed("patrol.checkpoint_missed", CheckpointMissed("gate-1", 7, "c2"), kT0);
  CHECK(w.state.Rows(keys::kTotals).size() == 12);
  w.Feed("patrol.checkpoint_excused", CheckpointExcused("gate-1", 7, "c2"), kT0);
  CHECK(w.state.Rows(keys::kTotals).empty());
  CHECK(w.EntryById(1).void_reason == "reversed by missed_excused");
  CHECK(w.EntryById(1).voided_by == "rule:missed_excused");
}

TEST_CASE("ledger: a cancelled round takes back its not-started penalty", "[scoring][ledger]") {
  World w;
  w.Feed("patrol.round_not_started", RoundNotStarted("gate-1", 11, "g-7"), kT0);
  w.Feed("patrol.round_not_started", RoundNotStarted("gate-1", 12, "g-7"), kT0);
  Effects fx = w.Feed("patrol.round_cancelled", RoundCancelled("gate-1", 11), kT0, "sup-1");
  auto voids = Bodies<EntryVoided>(fx);
  REQUIRE(voids.size() == 1);
  CHECK(voids[0].entry.id == 1);
  CHECK(voids[0].entry.voided_by == "rule:round_cancelled");
  CHECK(w.TotalsOf(PeriodKind::kWeek, kT0, SubjectKind::kGuard, "g-7") == T(0, -10, 1));
  // A reversal before any entry voids nothing.
  CHECK(w.Feed("patrol.round_cancelled", RoundCancelled("gate-1", 99), kT0).events.empty());
}

TEST_CASE("ledger: once stops a second event earning from the rule", "[scoring][ledger]") {
  World w;
  One(w.Feed("patrol.checkpoint_missed", CheckpointMissed("gate-1", 7, "c2"), kT0));
  const auto writes = w.state.writes();
  // The same verdict again (a replay): nothing, not even a write.
  CHECK(
      w.Feed("patrol.checkpoint_missed", CheckpointMissed("gate-1", 7, "c2"), kT0).events.empty());
  CHECK(w.state.writes() == writes);
  // Another checkpoint or round earns.
  One(w.Feed("patrol.checkpoint_missed", CheckpointMissed("gate-1", 7, "c3"), kT0));
  One(w.Feed("patrol.checkpoint_missed", CheckpointMissed("gate-1", 8, "c2"), kT0));
  // Voided, its once key still holds: a replayed verdict does not earn it back.
  w.Feed("patrol.checkpoint_excused", CheckpointExcused("gate-1", 7, "c2"), kT0);
  CHECK(
      w.Feed("patrol.checkpoint_missed", CheckpointMissed("gate-1", 7, "c2"), kT0).events.empty());
  // A rule without once earns each time.
  One(w.Feed("patrol.round_completed", RoundCompleted("gate-1", 7), kT0));
  One(w.Feed("patrol.round_completed", RoundCompleted("gate-1", 7), kT0));
}

TEST_CASE("ledger: an event that names nobody makes no entry", "[scoring][ledger]") {
  World w;
  // An overstay at no post, from a timer (no actor).
  CHECK(w.Feed("access.overstay", Overstay("", 33, 1), kT0).events.empty());
  // A commendation naming neither (not from a command): nothing, and its once-less rule
  // leaves no trace in the ledger.
  CHECK(w.Feed("scoring.commendation_recorded", CommendationFields(3, "", ""), kT0).events.empty());
  CHECK(w.state.Rows(keys::kEntries).empty());
  CHECK(w.state.Rows(keys::kOnceKeys).empty());
  // It did not use up its once key: the same visit at a post earns.
  One(w.Feed("access.overstay", Overstay("yard", 33, 1), kT0));
}

TEST_CASE("ledger: a post outside [scoring] scores without a squad", "[scoring][ledger]") {
  World w;
  Check(One(w.Feed("patrol.checkpoint_missed", CheckpointMissed("gate-9", 1, "c1"), kT0)),
        {"checkpoint_missed", -5, "g-1", "gate-9", "", "Checkpoint c1 missed"});
}

TEST_CASE("ledger: own rules, label fields of each kind, squad false, guard from the actor",
          "[scoring][ledger]") {
  ScoringConfig c = TestConfig();
  Rule r;
  r.name = "slow_leg";
  r.label = "Round {round} at {checkpoint}: on time {onTime}";
  r.event = "patrol.checkpoint_accepted";
  std::string why;
  r.when = {ParseCondition("leg > 10m", &why).value()};
  r.points = -2;
  r.guard = "@actor";
  r.squad = false;
  c.rules = {r};
  World w(Validated(c));
  Fields slow = CheckpointAccepted("gate-1", 7, "c2", "g-1", false);
  slow["leg"] = 11 * kMinute;
  Check(One(w.Feed("patrol.checkpoint_accepted", slow, kT0, "terminal-guard")),
        {"slow_leg", -2, "terminal-guard", "gate-1", "", "Round 7 at c2: on time false"});
  slow["leg"] = 10 * kMinute;
  CHECK(w.Feed("patrol.checkpoint_accepted", slow, kT0).events.empty());
}

TEST_CASE("ledger: the service's own entry_voided back from the bus", "[scoring][ledger]") {
  World live;
  live.now = kT0 + kHour;
  const Effects missed =
      live.Feed("patrol.checkpoint_missed", CheckpointMissed("gate-1", 7, "c2"), kT0);
  CommandResult voided = live.Run(VoidCommand{1, "the call was the control room"}, "chief");
  REQUIRE(voided.reply.ok());
  const Snapshot after_command = live.Rows();
  // Back from the bus: applied already, nothing changes and nothing is emitted.
  Fact back = FactOf(voided.effects.events.at(0), 0);
  CHECK(live.Feed(back).events.empty());
  CHECK(live.Rows() == after_command);

  // A rebuild from the bus: the miss, then the entry_voided (commands are not replayed).
  Fact miss;
  miss.seq = 1;
  miss.type = "patrol.checkpoint_missed";
  miss.at = miss.recorded = kT0;
  miss.fields = CheckpointMissed("gate-1", 7, "c2");
  World replay;
  REQUIRE(Awarded(replay.Feed(miss)) == Awarded(missed));
  CHECK(replay.Feed(FactOf(voided.effects.events.at(0), 2)).events.empty());
  CHECK(replay.EntryById(1) == voided.reply.entries.at(0));
  CHECK(replay.EntryById(1).voided_by == "chief");
  CHECK(replay.EntryById(1).voided_at == kT0 + kHour);
  CHECK(replay.Rows() == after_command);
  // An entry_voided naming no entry, or a malformed one, changes nothing.
  const auto writes = replay.state.writes();
  replay.Feed("scoring.entry_voided", {{"entry", int64_t{99}}}, kT0);
  replay.Feed("scoring.entry_voided", {{"entry", std::string("1")}}, kT0);
  replay.Feed("scoring.entry_voided", {}, kT0);
  CHECK(replay.state.writes() == writes);
}

TEST_CASE("ledger: facts outside the calendar or of unscored types change nothing",
          "[scoring][ledger]") {
  World w;
  CHECK(w.Feed("patrol.checkpoint_missed", CheckpointMissed("gate-1", 7, "c2"), 0).events.empty());
  CHECK(w.Feed("patrol.checkpoint_missed", CheckpointMissed("gate-1", 7, "c2"), kLatestTime + 1)
            .events.empty());
  CHECK(w.Feed("patrol.round_started", {{"post", std::string("gate-1")}}, kT0).events.empty());
  CHECK(w.Feed("demo.tick", {}, kT0).events.empty());
  CHECK(w.state.writes() == 0);
}

TEST_CASE("ledger: ids seen on the bus are not handed out again", "[scoring][ledger]") {
  World w;
  w.Feed("scoring.finding_recorded", FindingFields(7, "gate-1", "g-1", true), kT0, "sup-1");
  w.Feed("scoring.commendation_recorded", CommendationFields(4, "yard", ""), kT0, "sup-1");
  CommandResult inspected = w.Run(InspectCommand{"yard", "", {Finding{"badge", true, ""}}});
  REQUIRE(inspected.reply.ok());
  CHECK(inspected.reply.id == 8);
  CommandResult commended = w.Run(CommendCommand{"yard", "", "tidy post"});
  REQUIRE(commended.reply.ok());
  CHECK(commended.reply.id == 5);
  // An older id does not move the counters back.
  w.Feed("scoring.finding_recorded", FindingFields(2, "gate-1", "g-1", true), kT0, "sup-1");
  CHECK(w.Run(InspectCommand{"yard", "", {Finding{"badge", true, ""}}}).reply.id == 9);
}

TEST_CASE("ledger: the same facts in the same order give identical state rows",
          "[scoring][ledger]") {
  auto run = [](World& w) {
    w.Feed("patrol.checkpoint_missed", CheckpointMissed("gate-1", 7, "c2"), kT0);
    w.Feed("patrol.checkpoint_accepted", CheckpointAccepted("gate-2", 7, "c1", "g-2"), kT0);
    w.Feed("patrol.round_not_started", RoundNotStarted("yard", 9, "g-3"), kT0 + kHour);
    w.Feed("access.visitor_checked_out", VisitorCheckedOut("yard", 5), kT0 + kDay, "g-3");
    w.Feed("patrol.missed_withdrawn", MissedWithdrawn("gate-1", 7, "c2"), kT0 + 2 * kHour);
    w.Feed("patrol.checkpoint_missed", CheckpointMissed("gate-1", 7, "c2"), kT0);
    w.Feed("escalation.incident_acknowledged", IncidentAcknowledged(1, 10 * kSecond),
           kT0 + 3 * kDay, "g-2");
    w.Feed("patrol.round_cancelled", RoundCancelled("yard", 9), kT0 + 2 * kHour, "sup-1");
    w.Feed("scoring.finding_recorded", FindingFields(1, "gate-2", "g-2", false, "phone"), kT0, "s");
  };
  World a, b;
  run(a);
  run(b);
  CHECK(a.Rows() == b.Rows());
  CHECK(a.state.Rows(keys::kEntries).size() == 7);
  // And the order matters: the same facts otherwise ordered give other ids.
  World c;
  c.Feed("patrol.checkpoint_accepted", CheckpointAccepted("gate-2", 7, "c1", "g-2"), kT0);
  c.Feed("patrol.checkpoint_missed", CheckpointMissed("gate-1", 7, "c2"), kT0);
  CHECK(c.EntryById(1).rule == "checkpoint_on_time");
  CHECK(a.EntryById(1).rule == "checkpoint_missed");
}

}  // namespace picket::scoring
