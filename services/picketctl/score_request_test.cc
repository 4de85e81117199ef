#include "picketctl/score_request.h"

#include <catch2/catch.hpp>

#include "picket/schemas/scoring.capnp.h"
#include "picketctl/score_command.h"
#include "runtime/config.h"
#include "wire/codec.h"

namespace picket {
namespace {

using R = wire::ScoringRequest::Reader;

const std::string kCommandId = "0123456789abcdef";  // 16 bytes
constexpr Micros kSecond = kMicrosPerSecond;
constexpr Micros kHour = 3600 * kSecond;
constexpr Micros kNow = 1795874400LL * kSecond;  // 2026-11-28T14:00:00Z

ScoreArgs Args(ScoreVerb verb) {
  ScoreArgs a;
  a.verb = verb;
  a.actor = "chief";
  return a;
}

// Builds the request for `args` (which must be valid) and hands its reader to `check`.
template <typename Fn>
void WithRequest(const ScoreArgs& args, Fn check) {
  std::string error;
  auto frame = BuildScoreRequest(args, kCommandId, kNow, &error);
  INFO(error);
  REQUIRE(frame.has_value());
  auto msg = DecodedMessage::Decode(*frame, &error);
  REQUIRE(msg);
  REQUIRE(ReadSafely<wire::ScoringRequest>(*msg, check, &error));
}

std::string CommandIdOf(R r) {
  auto d = r.getCommandId();
  return std::string(reinterpret_cast<const char*>(d.begin()), d.size());
}

std::string BuildError(const ScoreArgs& args) {
  std::string error;
  CHECK_FALSE(BuildScoreRequest(args, kCommandId, kNow, &error).has_value());
  return error;
}

}  // namespace

TEST_CASE("Every score verb has its name and only the queries go without an actor",
          "[score][score_request]") {
  std::vector<std::string> names;
  for (ScoreVerb v : kAllScoreVerbs) names.emplace_back(ScoreVerbName(v));
  CHECK(names == std::vector<std::string>{"inspect", "commend", "void", "leaderboard", "explain",
                                          "entry", "awards"});
  CHECK_FALSE(IsScoreQuery(ScoreVerb::kInspect));
  CHECK_FALSE(IsScoreQuery(ScoreVerb::kVoid));
  CHECK(IsScoreQuery(ScoreVerb::kLeaderboard));
  CHECK(IsScoreQuery(ScoreVerb::kAwards));

  auto commend = Args(ScoreVerb::kCommend);
  commend.guard = "ann";
  commend.reason = "calm";
  commend.actor.clear();
  CHECK(BuildError(commend) == "who is acting? give --as PERSON (or set $PICKET_ACTOR)");
  auto board = Args(ScoreVerb::kLeaderboard);
  board.actor.clear();
  WithRequest(board, [](R r) {
    CHECK(r.isLeaderboard());
    CHECK(r.getActor() == "");
    CHECK_FALSE(r.hasCommandId());
  });
}

TEST_CASE("inspect sends the post, the guard and the passes then the faults with their notes",
          "[score][score_request]") {
  auto a = Args(ScoreVerb::kInspect);
  a.post = "gate-1";
  a.guard = "ann";
  a.passes = {"uniform", "badge"};
  a.faults = {"phone:on the phone", "tidy", "reading:a: novel"};
  WithRequest(a, [](R r) {
    REQUIRE(r.isInspect());
    auto i = r.getInspect();
    CHECK(i.getPost() == "gate-1");
    CHECK(i.getGuard() == "ann");
    auto f = i.getFindings();
    REQUIRE(f.size() == 5);
    CHECK(f[0].getCategory() == "uniform");
    CHECK(f[0].getPassed());
    CHECK(f[0].getNote() == "");
    CHECK(f[1].getCategory() == "badge");
    CHECK(f[1].getPassed());
    CHECK(f[2].getCategory() == "phone");
    CHECK_FALSE(f[2].getPassed());
    CHECK(f[2].getNote() == "on the phone");
    CHECK(f[3].getCategory() == "tidy");
    CHECK(f[3].getNote() == "");
    CHECK(f[4].getCategory() == "reading");
    CHECK(f[4].getNote() == "a: novel");  // only the first ':' separates the note
    CHECK(r.getActor() == "chief");
    CHECK(CommandIdOf(r) == kCommandId);
  });
  // A guard is optional; one finding is enough.
  a.guard.clear();
  a.passes.clear();
  a.faults = {"phone"};
  WithRequest(a, [](R r) {
    CHECK(r.getInspect().getGuard() == "");
    CHECK(r.getInspect().getFindings().size() == 1);
  });
}

TEST_CASE("inspect refuses no findings, a finding without a category and no post",
          "[score][score_request]") {
  auto a = Args(ScoreVerb::kInspect);
  a.post = "gate-1";
  CHECK(BuildError(a) == "give at least one finding: --pass CATEGORY or --fault CATEGORY[:note]");
  a.faults = {":on the phone"};
  CHECK(BuildError(a) == "--fault: ':on the phone' has no category (give CATEGORY[:note])");
  a.faults = {""};
  CHECK(BuildError(a) == "--fault: '' has no category (give CATEGORY[:note])");
  a.faults.clear();
  a.passes = {"uniform", ""};
  CHECK(BuildError(a) == "--pass: '' has no category (give CATEGORY[:note])");
  a.passes = {"uniform"};
  a.post.clear();
  CHECK(BuildError(a) == "POST must not be empty");
}

TEST_CASE("commend names a guard, a post or both, with a reason", "[score][score_request]") {
  auto a = Args(ScoreVerb::kCommend);
  a.post = "yard";
  a.reason = "calm at the riot";
  WithRequest(a, [](R r) {
    REQUIRE(r.isCommend());
    CHECK(r.getCommend().getPost() == "yard");
    CHECK(r.getCommend().getGuard() == "");
    CHECK(r.getCommend().getReason() == "calm at the riot");
    CHECK(CommandIdOf(r) == kCommandId);
  });
  a.guard = "ann";
  WithRequest(a, [](R r) { CHECK(r.getCommend().getGuard() == "ann"); });
  a.reason.clear();
  CHECK(BuildError(a) == "--reason must not be empty");
  a.reason = "x";
  a.guard.clear();
  a.post.clear();
  CHECK(BuildError(a) == "whom? give --guard G, --post P or both");
}

TEST_CASE("void carries the entry and the reason", "[score][score_request]") {
  auto a = Args(ScoreVerb::kVoid);
  a.entry = "#42";
  a.reason = "the call was the control room";
  WithRequest(a, [](R r) {
    REQUIRE(r.isVoidEntry());
    CHECK(r.getVoidEntry().getEntry() == 42);
    CHECK(r.getVoidEntry().getReason() == "the call was the control room");
    CHECK(CommandIdOf(r) == kCommandId);
  });
  a.reason.clear();
  CHECK(BuildError(a) == "--reason must not be empty");
  a.reason = "x";
  a.entry = "0";
  CHECK(BuildError(a) == "'0' is not an entry (a number from 1)");
  a.entry = "forty";
  CHECK(BuildError(a) == "'forty' is not an entry (a number from 1)");
}

TEST_CASE("leaderboard defaults to today's guards, all of them", "[score][score_request]") {
  auto a = Args(ScoreVerb::kLeaderboard);
  WithRequest(a, [](R r) {
    REQUIRE(r.isLeaderboard());
    auto q = r.getLeaderboard();
    CHECK(q.getPeriod() == wire::PeriodKind::DAY);
    CHECK(q.getAt() == 0);  // the service's now
    CHECK(q.getSubjects() == wire::SubjectKind::GUARD);
    CHECK(q.getLimit() == 0);
  });
  a.period = "week";
  a.at = "-7d";
  a.by = "squad";
  a.limit = "1000";
  WithRequest(a, [](R r) {
    auto q = r.getLeaderboard();
    CHECK(q.getPeriod() == wire::PeriodKind::WEEK);
    CHECK(q.getAt() == kNow - 7 * 24 * kHour);
    CHECK(q.getSubjects() == wire::SubjectKind::SQUAD);
    CHECK(q.getLimit() == 1000);
  });
  a.period = "shift";
  a.at = "2026-11-28T06:30:00Z";
  a.by = "post";
  a.limit = "1";
  WithRequest(a, [](R r) {
    auto q = r.getLeaderboard();
    CHECK(q.getPeriod() == wire::PeriodKind::SHIFT);
    CHECK(q.getAt() == kNow - 7 * kHour - 1800 * kSecond);
    CHECK(q.getSubjects() == wire::SubjectKind::POST);
    CHECK(q.getLimit() == 1);
  });
  a.period = "month";
  WithRequest(a, [](R r) { CHECK(r.getLeaderboard().getPeriod() == wire::PeriodKind::MONTH); });
}

TEST_CASE("leaderboard refuses a limit out of 1..1000, an unknown period, --by or time",
          "[score][score_request]") {
  auto a = Args(ScoreVerb::kLeaderboard);
  for (const char* bad : {"0", "1001", "-1", "ten", "5x", " 5"}) {
    a.limit = bad;
    CHECK(BuildError(a) == "--limit: '" + std::string(bad) + "' is not a number from 1 to 1000");
  }
  a.limit = "99999999999999999999";
  CHECK_THAT(BuildError(a), Catch::StartsWith("--limit: '99999999999999999999' is not a number"));
  a.limit.clear();
  a.period = "year";
  CHECK(BuildError(a) == "--period: 'year' is not shift, day, week or month");
  a.period.clear();
  a.by = "route";
  CHECK(BuildError(a) == "--by: 'route' is not guard, post or squad");
  a.by = "guard";
  a.at = "yesterday";
  CHECK_THAT(BuildError(a), Catch::StartsWith("--at: 'yesterday' is not a time: give one like"));
}

TEST_CASE("explain asks for exactly one subject in a period", "[score][score_request]") {
  auto a = Args(ScoreVerb::kExplain);
  a.guard = "ann";
  WithRequest(a, [](R r) {
    REQUIRE(r.isExplain());
    auto q = r.getExplain();
    CHECK(q.getSubjectKind() == wire::SubjectKind::GUARD);
    CHECK(q.getSubject() == "ann");
    CHECK(q.getPeriod() == wire::PeriodKind::DAY);
    CHECK(q.getAt() == 0);
  });
  a.guard.clear();
  a.post = "gate-1";
  a.period = "week";
  a.at = "now";
  WithRequest(a, [](R r) {
    auto q = r.getExplain();
    CHECK(q.getSubjectKind() == wire::SubjectKind::POST);
    CHECK(q.getSubject() == "gate-1");
    CHECK(q.getPeriod() == wire::PeriodKind::WEEK);
    CHECK(q.getAt() == kNow);
  });
  a.post.clear();
  a.squad = "north";
  WithRequest(a, [](R r) {
    CHECK(r.getExplain().getSubjectKind() == wire::SubjectKind::SQUAD);
    CHECK(r.getExplain().getSubject() == "north");
  });
  a.guard = "ann";
  CHECK(BuildError(a) == "give only one of --guard, --post and --squad");
  a.guard.clear();
  a.squad.clear();
  CHECK(BuildError(a) == "whose entries? give one of --guard G, --post P or --squad S");
  a.guard = "ann";
  a.period = "fortnight";
  CHECK(BuildError(a) == "--period: 'fortnight' is not shift, day, week or month");
}

TEST_CASE("entry and awards ask for one entry and the latest awards", "[score][score_request]") {
  auto entry = Args(ScoreVerb::kEntry);
  entry.entry = "7";
  WithRequest(entry, [](R r) {
    REQUIRE(r.isGetEntry());
    CHECK(r.getGetEntry() == 7);
  });
  entry.entry.clear();
  CHECK(BuildError(entry) == "'' is not an entry (a number from 1)");

  auto awards = Args(ScoreVerb::kAwards);
  WithRequest(awards, [](R r) {
    REQUIRE(r.isAwards());
    CHECK(r.getAwards().getPeriod() == wire::PeriodKind::WEEK);
    CHECK(r.getAwards().getLimit() == 0);
  });
  awards.period = "month";
  awards.limit = "3";
  WithRequest(awards, [](R r) {
    CHECK(r.getAwards().getPeriod() == wire::PeriodKind::MONTH);
    CHECK(r.getAwards().getLimit() == 3);
  });
  awards.limit = "0";
  CHECK(BuildError(awards) == "--limit: '0' is not a number from 1 to 1000");
}

TEST_CASE("The scoring endpoint comes from [scoring] commands, default port 7414",
          "[score][score_request]") {
  std::string error;
  auto table = ParseToml("[patrol]\ncommands = \"ipc://patrol\"\n", "site.toml", &error);
  REQUIRE(table.has_value());
  CHECK(CommandsFromToml(kScoringService, *table, "site.toml", &error) == "tcp://127.0.0.1:7414");
  table = ParseToml("[scoring]\ncommands = \"ipc:///run/scoring.sock\"\n", "site.toml", &error);
  REQUIRE(table.has_value());
  CHECK(CommandsFromToml(kScoringService, *table, "site.toml", &error) ==
        "ipc:///run/scoring.sock");
  bool missing = true;
  CHECK_FALSE(ResolveCommandsEndpoint(kScoringService, {}, &error, &missing));
  CHECK_FALSE(missing);
  CHECK(error == "no scoring commands endpoint: give --config site.toml or --commands ENDPOINT");
}

}  // namespace picket
