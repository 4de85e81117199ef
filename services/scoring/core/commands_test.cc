// Commands (inspect, commend, void) and their refusals, which change nothing; the
// leaderboard, explain and entry queries with their limits, truncation and ranking.
#include <catch2/catch.hpp>

#include "scoring/core/scoring_keys.h"
#include "scoring/core/scoring_test_support.h"

namespace picket::scoring {
namespace {

using namespace testing;

const Micros kT0 = Utc(2026, 6, 10, 12, 30);  // Wednesday 14:30 CEST

// Runs `body` and REQUIREs it refused with `error`, a message, and no write or effect.
void ExpectRefused(World& w, CommandBody body, CommandError error, std::string actor = "sup-1") {
  const auto writes = w.state.writes();
  const Snapshot before = w.Rows();
  CommandResult r = w.Run(std::move(body), std::move(actor));
  INFO(r.reply.message);
  CHECK(r.reply.error == error);
  CHECK_FALSE(r.reply.ok());
  CHECK_FALSE(r.reply.message.empty());
  CHECK(r.effects.events.empty());
  CHECK(r.effects.set.empty());
  CHECK(r.effects.cancel.empty());
  CHECK(w.state.writes() == writes);
  CHECK(w.Rows() == before);
}

InspectCommand Inspection(std::vector<Finding> findings, std::string post = "gate-1",
                          std::string guard = "g-1") {
  return InspectCommand{std::move(post), std::move(guard), std::move(findings)};
}

std::vector<std::string> Subjects(const std::vector<Standing>& rows) {
  std::vector<std::string> out;
  for (const auto& s : rows) out.push_back(s.subject);
  return out;
}

}  // namespace

TEST_CASE("commands: an inspection records one finding event each, scored when back",
          "[scoring][commands]") {
  World w;
  w.now = kT0;
  CommandResult r =
      w.Run(Inspection({{"uniform", true, ""}, {"phone", false, "on the phone"}}), "chief");
  REQUIRE(r.reply.ok());
  CHECK(r.reply.id == 1);
  CHECK(Types(r.effects) ==
        std::vector<std::string>{"scoring.finding_recorded", "scoring.finding_recorded"});
  auto findings = Bodies<FindingRecorded>(r.effects);
  REQUIRE(findings.size() == 2);
  CHECK(findings[0].inspection == 1);
  CHECK(findings[0].post == "gate-1");
  CHECK(findings[0].guard == "g-1");
  CHECK(findings[0].category == "uniform");
  CHECK(findings[0].passed);
  CHECK(findings[1].category == "phone");
  CHECK_FALSE(findings[1].passed);
  CHECK(findings[1].note == "on the phone");
  for (const auto& e : r.effects.events) {
    CHECK(e.actor == "chief");
    CHECK(e.at == kT0);
  }
  // Points never come from a command.
  CHECK(w.state.Rows(keys::kEntries).empty());
  Effects scored = w.FeedBack(r.effects);
  CHECK(Types(scored) ==
        std::vector<std::string>{"scoring.points_awarded", "scoring.points_awarded"});
  CHECK(w.TotalsOf(PeriodKind::kDay, kT0, SubjectKind::kGuard, "g-1") == Totals{-2, 1, -3, 2});
  CHECK(w.TotalsOf(PeriodKind::kDay, kT0, SubjectKind::kSquad, "north") == Totals{-2, 1, -3, 2});
  // The next inspection has the next id; the guard is optional.
  CommandResult next = w.Run(Inspection({{"tidy", true, ""}}, "yard", ""));
  REQUIRE(next.reply.ok());
  CHECK(next.reply.id == 2);
  CHECK(Bodies<FindingRecorded>(next.effects).at(0).guard == "");
}

TEST_CASE("commands: a bad inspection is refused and records nothing", "[scoring][commands]") {
  World w;
  const Finding ok{"uniform", true, ""};
  ExpectRefused(w, Inspection({ok}, "gate-9"), CommandError::kUnknownPost);
  ExpectRefused(w, Inspection({ok}, ""), CommandError::kInvalidArgument);
  ExpectRefused(w, Inspection({{"dancing", true, ""}}), CommandError::kUnknownCategory);
  ExpectRefused(w, Inspection({ok, {"phone", false, ""}, {"uniform", false, ""}}),
                CommandError::kInvalidArgument);
  ExpectRefused(w, Inspection({}), CommandError::kInvalidArgument);
  ExpectRefused(w, Inspection(std::vector<Finding>(kMaxFindings + 1, ok)),
                CommandError::kInvalidArgument);
  ExpectRefused(w, Inspection({{"uniform", false, std::string(kMaxTextBytes + 1, 'n')}}),
                CommandError::kInvalidArgument);
  ExpectRefused(w, Inspection({ok}, "gate-1", std::string(kMaxTextBytes + 1, 'g')),
                CommandError::kInvalidArgument);
  ExpectRefused(w, Inspection({ok}), CommandError::kInvalidArgument, "");
  ExpectRefused(w, Inspection({ok}), CommandError::kInvalidArgument, "  ");
  // At the limits it is taken.
  CHECK(w.Run(Inspection({{"uniform", false, std::string(kMaxTextBytes, 'n')}})).reply.ok());
}

TEST_CASE("commands: sixteen findings of sixteen categories are one inspection",
          "[scoring][commands]") {
  ScoringConfig c = TestConfig();
  c.categories.clear();
  std::vector<Finding> findings;
  for (size_t i = 0; i < kMaxFindings; ++i) {
    c.categories.push_back("c" + std::to_string(i));
    findings.push_back({c.categories.back(), i % 2 == 0, ""});
  }
  World w(Validated(c));
  CommandResult r = w.Run(Inspection(findings));
  REQUIRE(r.reply.ok());
  CHECK(r.effects.events.size() == kMaxFindings);
  // A default category is not one of these.
  ExpectRefused(w, Inspection({{"uniform", true, ""}}), CommandError::kUnknownCategory);
}

TEST_CASE("commands: a commendation names a guard, a post or both", "[scoring][commands]") {
  World w;
  w.now = kT0;
  CommandResult guard = w.Run(CommendCommand{"", "g-1", "calm at the riot"}, "chief");
  REQUIRE(guard.reply.ok());
  CHECK(guard.reply.id == 1);
  auto c = Bodies<CommendationRecorded>(guard.effects);
  REQUIRE(c.size() == 1);
  CHECK(c[0].commendation == 1);
  CHECK(c[0].guard == "g-1");
  CHECK(c[0].post == "");
  CHECK(c[0].reason == "calm at the riot");
  CHECK(guard.effects.events[0].actor == "chief");
  CHECK(guard.effects.events[0].at == kT0);
  CommandResult both = w.Run(CommendCommand{"yard", "g-2", "spotless"});
  REQUIRE(both.reply.ok());
  CHECK(both.reply.id == 2);
  CHECK(w.Run(CommendCommand{"gate-2", "", "quick"}).reply.id == 3);
  // Scored when back: +5 each for whom it names.
  w.FeedBack(guard.effects);
  w.FeedBack(both.effects);
  CHECK(w.TotalsOf(PeriodKind::kWeek, kT0, SubjectKind::kGuard, "g-1") == Totals{5, 5, 0, 1});
  CHECK(w.TotalsOf(PeriodKind::kWeek, kT0, SubjectKind::kPost, "yard") == Totals{5, 5, 0, 1});
}

TEST_CASE("commands: a bad commendation is refused", "[scoring][commands]") {
  World w;
  ExpectRefused(w, CommendCommand{"", "", "why"}, CommandError::kInvalidArgument);
  ExpectRefused(w, CommendCommand{"gate-9", "g-1", "why"}, CommandError::kUnknownPost);
  ExpectRefused(w, CommendCommand{"yard", "g-1", ""}, CommandError::kInvalidArgument);
  ExpectRefused(w, CommendCommand{"yard", "g-1", " \t "}, CommandError::kInvalidArgument);
  ExpectRefused(w, CommendCommand{"yard", "g-1", std::string(kMaxTextBytes + 1, 'r')},
                CommandError::kInvalidArgument);
  ExpectRefused(w, CommendCommand{"", std::string(kMaxTextBytes + 1, 'g'), "why"},
                CommandError::kInvalidArgument);
  ExpectRefused(w, CommendCommand{"yard", "g-1", "why"}, CommandError::kInvalidArgument, "");
}

TEST_CASE("commands: void takes an entry out of its totals, once", "[scoring][commands]") {
  World w;
  w.now = kT0 + kHour;
  w.Feed("patrol.checkpoint_missed", CheckpointMissed("gate-1", 7, "c2"), kT0);
  w.Feed("patrol.checkpoint_accepted", CheckpointAccepted("gate-1", 7, "c1"), kT0);
  CommandResult r = w.Run(VoidCommand{1, "the call was the control room"}, "chief");
  REQUIRE(r.reply.ok());
  REQUIRE(r.reply.entries.size() == 1);
  const Entry& after = r.reply.entries[0];
  CHECK(after.id == 1);
  CHECK(after.voided);
  CHECK(after.void_reason == "the call was the control room");
  CHECK(after.voided_by == "chief");
  CHECK(after.void_seq == 0);
  CHECK(after.voided_at == kT0 + kHour);
  auto voids = Bodies<EntryVoided>(r.effects);
  REQUIRE(voids.size() == 1);
  CHECK(voids[0].entry == after);
  CHECK_FALSE(voids[0].reversal);
  CHECK(r.effects.events[0].actor == "chief");
  CHECK(r.effects.events[0].at == kT0 + kHour);
  CHECK(w.EntryById(1) == after);
  for (PeriodKind k : kAllPeriodKinds)
    CHECK(w.TotalsOf(k, kT0, SubjectKind::kPost, "gate-1") == Totals{1, 1, 0, 1});
  ExpectRefused(w, VoidCommand{1, "again"}, CommandError::kAlreadyVoided);
  ExpectRefused(w, VoidCommand{99, "no such"}, CommandError::kUnknownEntry);
  ExpectRefused(w, VoidCommand{2, ""}, CommandError::kInvalidArgument);
  ExpectRefused(w, VoidCommand{2, "why"}, CommandError::kInvalidArgument, "");
  // An entry a reversal voided cannot be voided again either.
  w.Feed("patrol.checkpoint_missed", CheckpointMissed("gate-1", 8, "c2"), kT0);
  w.Feed("patrol.checkpoint_excused", CheckpointExcused("gate-1", 8, "c2"), kT0);
  ExpectRefused(w, VoidCommand{3, "twice"}, CommandError::kAlreadyVoided);
}

TEST_CASE("queries: the leaderboard ranks by points, then fewer penalties, then name",
          "[scoring][queries]") {
  World w;
  w.now = kT0;
  // g-a: +10 -5 = 5; g-b: +5; g-c: +5; g-d: +6 -0; g-e: -5.
  w.Feed("patrol.round_completed", RoundCompleted("gate-1", 1, "g-a"), kT0);
  w.Feed("patrol.checkpoint_missed", CheckpointMissed("gate-1", 1, "c1", "g-a"), kT0);
  w.Feed("scoring.commendation_recorded", CommendationFields(1, "", "g-c"), kT0);
  w.Feed("scoring.commendation_recorded", CommendationFields(2, "", "g-b"), kT0);
  for (int64_t i = 0; i < 6; ++i)
    w.Feed("patrol.checkpoint_accepted",
           CheckpointAccepted("gate-2", 2, "c" + std::to_string(i), "g-d"), kT0);
  w.Feed("patrol.checkpoint_missed", CheckpointMissed("yard", 3, "c1", "g-e"), kT0);
  CommandResult r = w.Run(LeaderboardQuery{PeriodKind::kDay, 0, SubjectKind::kGuard, 0});
  REQUIRE(r.reply.ok());
  CHECK(r.reply.period.label == "2026-06-10");
  CHECK(Subjects(r.reply.standings) == std::vector<std::string>{"g-d", "g-b", "g-c", "g-a", "g-e"});
  std::vector<uint32_t> ranks;
  for (const auto& s : r.reply.standings) ranks.push_back(s.rank);
  CHECK(ranks == std::vector<uint32_t>{1, 2, 3, 4, 5});
  CHECK(r.reply.standings[3].totals == Totals{5, 10, -5, 2});
  CHECK_FALSE(r.reply.truncated);
  // The same order by RanksBefore.
  CHECK(RanksBefore("g-b", {5, 5, 0, 1}, "g-a", {5, 10, -5, 2}));
  CHECK_FALSE(RanksBefore("g-a", {5, 10, -5, 2}, "g-b", {5, 5, 0, 1}));
  CHECK(RanksBefore("g-b", {5, 5, 0, 1}, "g-c", {5, 5, 0, 1}));
  CHECK(RanksBefore("z", {6, 6, 0, 1}, "a", {5, 5, 0, 1}));
  CHECK(RanksBefore("a", {5, 5, 0, 1}, "b", {5, 5, 0, 2}));
  CHECK_FALSE(RanksBefore("a", {5, 5, 0, 1}, "a", {5, 5, 0, 1}));

  // Posts and squads.
  CommandResult posts = w.Run(LeaderboardQuery{PeriodKind::kWeek, kT0, SubjectKind::kPost, 0});
  CHECK(Subjects(posts.reply.standings) == std::vector<std::string>{"gate-2", "gate-1", "yard"});
  CommandResult squads = w.Run(LeaderboardQuery{PeriodKind::kMonth, 0, SubjectKind::kSquad, 0});
  REQUIRE(squads.reply.standings.size() == 1);
  CHECK(squads.reply.standings[0].subject == "north");
  CHECK(squads.reply.standings[0].totals == Totals{11, 16, -5, 8});
}

TEST_CASE("queries: leaderboard limits, truncation and periods", "[scoring][queries]") {
  World w;
  w.now = kT0;
  for (int64_t i = 0; i < 5; ++i)
    w.Feed("scoring.commendation_recorded", CommendationFields(i + 1, "", "g-" + std::to_string(i)),
           kT0);
  CommandResult two = w.Run(LeaderboardQuery{PeriodKind::kShift, 0, SubjectKind::kGuard, 2});
  REQUIRE(two.reply.ok());
  CHECK(Subjects(two.reply.standings) == std::vector<std::string>{"g-0", "g-1"});
  CHECK(two.reply.truncated);
  CHECK(two.reply.period.label == "2026-06-10 14:00");
  CommandResult five = w.Run(LeaderboardQuery{PeriodKind::kShift, 0, SubjectKind::kGuard, 5});
  CHECK(five.reply.standings.size() == 5);
  CHECK_FALSE(five.reply.truncated);
  CHECK(w.Run(LeaderboardQuery{PeriodKind::kShift, 0, SubjectKind::kGuard, kMaxRows})
            .reply.standings.size() == 5);
  ExpectRefused(w, LeaderboardQuery{PeriodKind::kShift, 0, SubjectKind::kGuard, kMaxRows + 1},
                CommandError::kInvalidArgument);
  ExpectRefused(w, LeaderboardQuery{PeriodKind::kShift, -1, SubjectKind::kGuard, 0},
                CommandError::kInvalidArgument);
  ExpectRefused(w, LeaderboardQuery{static_cast<PeriodKind>(9), 0, SubjectKind::kGuard, 0},
                CommandError::kInvalidArgument);
  ExpectRefused(w, LeaderboardQuery{PeriodKind::kDay, 0, static_cast<SubjectKind>(7), 0},
                CommandError::kInvalidArgument);
  // Another period: the one containing `at`, empty.
  CommandResult other =
      w.Run(LeaderboardQuery{PeriodKind::kShift, kT0 + 8 * kHour, SubjectKind::kGuard, 0});
  REQUIRE(other.reply.ok());
  CHECK(other.reply.period.label == "2026-06-10 22:00");
  CHECK(other.reply.standings.empty());
  // Queries need no actor and write nothing.
  const auto writes = w.state.writes();
  CHECK(w.Run(LeaderboardQuery{PeriodKind::kDay, 0, SubjectKind::kPost, 0}, "").reply.ok());
  CHECK(w.state.writes() == writes);
}

TEST_CASE("queries: explain lists a subject's entries in the period, voided ones marked",
          "[scoring][queries]") {
  World w;
  w.now = kT0 + kHour;
  w.Feed("patrol.checkpoint_missed", CheckpointMissed("gate-1", 7, "c2"), kT0 + 2 * kMinute);
  w.Feed("patrol.checkpoint_accepted", CheckpointAccepted("gate-1", 7, "c1"), kT0);
  w.Feed("patrol.checkpoint_accepted", CheckpointAccepted("gate-1", 7, "c3", "g-10"), kT0);
  w.Feed("patrol.checkpoint_accepted", CheckpointAccepted("gate-1", 8, "c1"), kT0 + kDay);
  w.Feed("patrol.checkpoint_accepted", CheckpointAccepted("gate-1", 6, "c1"), kT0 - kDay);
  REQUIRE(w.Run(VoidCommand{1, "wrong tag"}).reply.ok());
  CommandResult r = w.Run(ExplainQuery{SubjectKind::kGuard, "g-1", PeriodKind::kDay, 0});
  REQUIRE(r.reply.ok());
  CHECK(r.reply.period.label == "2026-06-10");
  REQUIRE(r.reply.entries.size() == 2);
  CHECK(r.reply.entries[0].id == 2);  // by time, not by id
  CHECK_FALSE(r.reply.entries[0].voided);
  CHECK(r.reply.entries[1].id == 1);
  CHECK(r.reply.entries[1].voided);
  CHECK(r.reply.totals == Totals{1, 1, 0, 1});
  CHECK_FALSE(r.reply.truncated);
  // The week (Monday to Monday) holds Tuesday's and Thursday's entries as well.
  CommandResult week = w.Run(ExplainQuery{SubjectKind::kGuard, "g-1", PeriodKind::kWeek, 0});
  CHECK(week.reply.entries.size() == 4);
  // A squad's entries.
  CommandResult squad = w.Run(ExplainQuery{SubjectKind::kSquad, "north", PeriodKind::kShift, kT0});
  CHECK(squad.reply.entries.size() == 3);
  CHECK(squad.reply.totals == Totals{2, 2, 0, 2});
  // Nobody, or nothing in the period: empty, not refused.
  CommandResult none = w.Run(ExplainQuery{SubjectKind::kGuard, "g-99", PeriodKind::kDay, 0});
  REQUIRE(none.reply.ok());
  CHECK(none.reply.entries.empty());
  CHECK(none.reply.totals == Totals{});
  ExpectRefused(w, ExplainQuery{SubjectKind::kGuard, "", PeriodKind::kDay, 0},
                CommandError::kInvalidArgument);
  ExpectRefused(w, ExplainQuery{SubjectKind::kGuard, "g-1", PeriodKind::kDay, kLatestTime + 1},
                CommandError::kInvalidArgument);
}

TEST_CASE("queries: explain returns the earliest kMaxRows entries and says it truncated",
          "[scoring][queries]") {
  World w;
  w.now = kT0;
  const Micros start = Utc(2026, 6, 10, 4, 0);  // the 06:00 shift
  for (size_t i = 0; i <= kMaxRows; ++i)
    w.Feed("patrol.round_completed", RoundCompleted("yard", int64_t(i)),
           start + Micros(kMaxRows - i) * kSecond);
  CommandResult r = w.Run(ExplainQuery{SubjectKind::kPost, "yard", PeriodKind::kDay, 0});
  REQUIRE(r.reply.ok());
  CHECK(r.reply.truncated);
  REQUIRE(r.reply.entries.size() == kMaxRows);
  CHECK(r.reply.entries.front().at == start);
  CHECK(r.reply.entries.back().at == start + Micros(kMaxRows - 1) * kSecond);
  CHECK(r.reply.totals.entries == kMaxRows + 1);
}

TEST_CASE("queries: one entry by id", "[scoring][queries]") {
  World w;
  w.Feed("patrol.checkpoint_missed", CheckpointMissed("gate-1", 7, "c2"), kT0);
  CommandResult r = w.Run(EntryQuery{1});
  REQUIRE(r.reply.ok());
  REQUIRE(r.reply.entries.size() == 1);
  CHECK(r.reply.entries[0].rule == "checkpoint_missed");
  ExpectRefused(w, EntryQuery{2}, CommandError::kUnknownEntry);
  ExpectRefused(w, EntryQuery{0}, CommandError::kUnknownEntry);
}

TEST_CASE("commands: which are queries, and the error names", "[scoring][commands]") {
  CHECK(IsQuery(Command{"", LeaderboardQuery{}}));
  CHECK(IsQuery(Command{"", ExplainQuery{}}));
  CHECK(IsQuery(Command{"", EntryQuery{}}));
  CHECK(IsQuery(Command{"", AwardsQuery{}}));
  CHECK_FALSE(IsQuery(Command{"", InspectCommand{}}));
  CHECK_FALSE(IsQuery(Command{"", CommendCommand{}}));
  CHECK_FALSE(IsQuery(Command{"", VoidCommand{}}));
  CHECK(CommandErrorName(CommandError::kNone) == "none");
  CHECK(CommandErrorName(CommandError::kInvalidArgument) == "invalid_argument");
  CHECK(CommandErrorName(CommandError::kUnknownPost) == "unknown_post");
  CHECK(CommandErrorName(CommandError::kUnknownCategory) == "unknown_category");
  CHECK(CommandErrorName(CommandError::kUnknownEntry) == "unknown_entry");
  CHECK(CommandErrorName(CommandError::kAlreadyVoided) == "already_voided");
}

}  // namespace picket::scoring
