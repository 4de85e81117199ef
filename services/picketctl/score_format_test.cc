#include "picketctl/score_format.h"

#include <capnp/message.h>

#include <catch2/catch.hpp>

#include "picketctl/access_json.h"

namespace picket {
namespace {

constexpr Micros kSecond = kMicrosPerSecond;
constexpr Micros kMinute = 60 * kSecond;
constexpr Micros kNow = 1795874400LL * kSecond;  // 2026-11-28T14:00:00Z

struct Exchange {
  capnp::MallocMessageBuilder request_message, reply_message;
  wire::ScoringRequest::Builder request = request_message.initRoot<wire::ScoringRequest>();
  wire::ScoringReply::Builder reply = reply_message.initRoot<wire::ScoringReply>();
  std::string Result() { return FormatScoreResult(request.asReader(), reply.asReader()); }
  std::string Query(bool csv = false) {
    return FormatScoreQuery(request.asReader(), reply.asReader(), csv);
  }
};

void SetTotals(wire::TotalsInfo::Builder t, int64_t rewards, int64_t penalties, uint32_t entries) {
  t.setPoints(rewards + penalties);
  t.setRewards(rewards);
  t.setPenalties(penalties);
  t.setEntries(entries);
}

void SetPeriod(wire::PeriodInfo::Builder p, wire::PeriodKind kind, const std::string& label) {
  p.setKind(kind);
  p.setLabel(label);
  p.setStart(kNow - 14 * 60 * kMinute);
  p.setEnd(kNow + 10 * 60 * kMinute);
}

// Entry `id` of ann at gate-1 (squad north): `points` by `rule`, `minutes` after kNow.
void FillEntry(wire::LedgerEntry::Builder e, uint64_t id, int64_t points, const std::string& rule,
               const std::string& label, int64_t minutes) {
  e.setEntry(id);
  e.setSeq(100 + id);
  e.setEvent("scoring.finding_recorded");
  e.setRule(rule);
  e.setLabel(label);
  e.setPoints(points);
  e.setGuard("ann");
  e.setPost("gate-1");
  e.setSquad("north");
  e.setAt(kNow + minutes * kMinute);
}

}  // namespace

TEST_CASE("Each score command prints one line", "[score][score_format]") {
  Exchange x;
  auto inspect = x.request.initInspect();
  inspect.setPost("gate-1");
  inspect.initFindings(2);
  x.reply.setId(7);
  CHECK(x.Result() == "inspection 7 recorded (2 findings)");
  inspect.initFindings(1);
  CHECK(x.Result() == "inspection 7 recorded (1 finding)");

  auto commend = x.request.initCommend();
  commend.setGuard("ann");
  commend.setReason("calm at the riot");
  x.reply.setId(3);
  CHECK(x.Result() == "commendation 3 recorded for guard ann: calm at the riot");
  commend.setPost("yard");
  CHECK(x.Result() == "commendation 3 recorded for guard ann at post yard: calm at the riot");
  commend.setGuard("");
  CHECK(x.Result() == "commendation 3 recorded for post yard: calm at the riot");

  auto v = x.request.initVoidEntry();
  v.setEntry(42);
  v.setReason("the call was the control room");
  CHECK(x.Result() == "entry 42 voided: the call was the control room");
  FillEntry(x.reply.initEntries(1)[0], 42, -3, "late_acknowledgement", "Slow", 0);
  CHECK(x.Result() == "entry 42 (-3 late_acknowledgement) voided: the call was the control room");
  CHECK(x.Query() == "entry 42 (-3 late_acknowledgement) voided: the call was the control room\n");
}

TEST_CASE("A score refusal names the schema's error and the service's sentence",
          "[score][score_format]") {
  Exchange x;
  x.reply.setError(wire::ScoringError::ALREADY_VOIDED);
  x.reply.setMessage("entry 42 is voided already");
  CHECK(FormatScoreRefusal(x.reply.asReader()) == "alreadyVoided: entry 42 is voided already\n");
  x.reply.setError(wire::ScoringError::UNKNOWN_POST);
  x.reply.setMessage("");
  CHECK(FormatScoreRefusal(x.reply.asReader()) == "unknownPost: (no message)\n");
  x.reply.setError(static_cast<wire::ScoringError>(42));
  CHECK(FormatScoreRefusal(x.reply.asReader()) == "unknown(42): (no message)\n");
}

TEST_CASE("The leaderboard names its period and ranks the subjects, and its CSV has them all",
          "[score][score_format]") {
  Exchange x;
  auto q = x.request.initLeaderboard();
  q.setPeriod(wire::PeriodKind::DAY);
  SetPeriod(x.reply.initPeriod(), wire::PeriodKind::DAY, "2026-11-28");
  CHECK(x.Query() ==
        "leaderboard by guard, day 2026-11-28\n"
        "no entries in that period\n");
  CHECK(x.Query(true) == "rank,guard,points,rewards,penalties,entries\r\n");

  auto standings = x.reply.initStandings(3);
  standings[0].setRank(1);
  standings[0].setSubject("ben");
  SetTotals(standings[0].initTotals(), 12, 0, 3);
  standings[1].setRank(2);
  standings[1].setSubject("ann");
  SetTotals(standings[1].initTotals(), 1, -3, 2);
  standings[2].setRank(3);
  standings[2].setSubject("cho, jr");
  SetTotals(standings[2].initTotals(), 0, -15, 2);
  CHECK(x.Query() ==
        "leaderboard by guard, day 2026-11-28\n"
        "RANK  GUARD    POINTS  REWARDS  PENALTIES  ENTRIES\n"
        "1     ben      12      12       0          3\n"
        "2     ann      -2      1        -3         2\n"
        "3     cho, jr  -15     0        -15        2\n");
  CHECK(x.Query(true) ==
        "rank,guard,points,rewards,penalties,entries\r\n"
        "1,ben,12,12,0,3\r\n"
        "2,ann,-2,1,-3,2\r\n"
        "3,\"cho, jr\",-15,0,-15,2\r\n");

  q.setSubjects(wire::SubjectKind::SQUAD);
  SetPeriod(x.reply.initPeriod(), wire::PeriodKind::WEEK, "2026-W48");
  auto squads = x.reply.initStandings(1);
  squads[0].setRank(1);
  squads[0].setSubject("north");
  SetTotals(squads[0].initTotals(), 20, -5, 6);
  CHECK(x.Query() ==
        "leaderboard by squad, week 2026-W48\n"
        "RANK  SQUAD  POINTS  REWARDS  PENALTIES  ENTRIES\n"
        "1     north  15      20       -5         6\n");
  CHECK(x.Query(true) ==
        "rank,squad,points,rewards,penalties,entries\r\n"
        "1,north,15,20,-5,6\r\n");
}

TEST_CASE("explain prints the total, then every entry with voided ones marked",
          "[score][score_format]") {
  Exchange x;
  auto q = x.request.initExplain();
  q.setSubjectKind(wire::SubjectKind::GUARD);
  q.setSubject("ann");
  SetPeriod(x.reply.initPeriod(), wire::PeriodKind::DAY, "2026-11-28");
  CHECK(x.Query() ==
        "guard ann, day 2026-11-28: 0 points (rewards 0, penalties 0, 0 entries)\n"
        "no entries in that period\n");

  SetTotals(x.reply.initTotals(), 1, -3, 2);
  auto entries = x.reply.initEntries(3);
  FillEntry(entries[0], 1, 1, "inspection_passed", "Inspection passed: uniform", 0);
  FillEntry(entries[1], 2, -3, "inspection_fault", "Inspection fault: phone", 0);
  FillEntry(entries[2], 5, -10, "round_not_started", "Round 4 not started", 75);
  entries[2].setVoided(true);
  entries[2].setVoidedBy("chief");
  entries[2].setVoidReason("the round was called off");
  entries[2].setVoidedAt(kNow + 90 * kMinute);
  CHECK(x.Query() ==
        "guard ann, day 2026-11-28: -2 points (rewards +1, penalties -3, 2 entries)\n"
        "ENTRY  TIME                  POINTS  RULE               LABEL\n"
        "1      2026-11-28T14:00:00Z  +1      inspection_passed  Inspection passed: uniform\n"
        "2      2026-11-28T14:00:00Z  -3      inspection_fault   Inspection fault: phone\n"
        "5      2026-11-28T15:15:00Z  -10     round_not_started  Round 4 not started         "
        "VOIDED by chief: the round was called off\n");

  q.setSubjectKind(wire::SubjectKind::POST);
  q.setSubject("gate-1");
  SetTotals(x.reply.initTotals(), 1, 0, 1);
  x.reply.initEntries(1);
  FillEntry(x.reply.getEntries()[0], 1, 1, "inspection_passed", "", 0);
  CHECK(x.Query() ==
        "post gate-1, day 2026-11-28: 1 point (rewards +1, penalties 0, 1 entry)\n"
        "ENTRY  TIME                  POINTS  RULE               LABEL\n"
        "1      2026-11-28T14:00:00Z  +1      inspection_passed  -\n");
}

TEST_CASE("One entry in full, live or voided by a reversal", "[score][score_format]") {
  Exchange x;
  x.request.setGetEntry(2);
  CHECK(x.Query() == "no such entry\n");
  auto e = x.reply.initEntries(1)[0];
  FillEntry(e, 2, -3, "inspection_fault", "Inspection fault: phone", 0);
  e.setSquad("");
  CHECK(x.Query() ==
        "entry 2: -3 inspection_fault\n"
        "  label   Inspection fault: phone\n"
        "  event   scoring.finding_recorded (seq 102)\n"
        "  at      2026-11-28T14:00:00Z\n"
        "  guard   ann\n"
        "  post    gate-1\n"
        "  squad   -\n"
        "  voided  no\n");
  e.setEvent("patrol.checkpoint_missed");
  e.setRule("checkpoint_missed");
  e.setPoints(-5);
  e.setVoided(true);
  e.setVoidedBy("rule:missed_withdrawn");
  e.setVoidReason("reversed by missed_withdrawn");
  e.setVoidSeq(120);
  e.setVoidedAt(kNow + 2 * kMinute);
  e.setReversal(true);
  CHECK(x.Query() ==
        "entry 2: -5 checkpoint_missed, VOIDED\n"
        "  label   Inspection fault: phone\n"
        "  event   patrol.checkpoint_missed (seq 102)\n"
        "  at      2026-11-28T14:00:00Z\n"
        "  guard   ann\n"
        "  post    gate-1\n"
        "  squad   -\n"
        "  voided  by rule:missed_withdrawn at 2026-11-28T14:02:00Z (seq 120): reversed by "
        "missed_withdrawn\n");
}

TEST_CASE("The awards, latest first, begin with the current holder", "[score][score_format]") {
  Exchange x;
  x.request.initAwards().setPeriod(wire::PeriodKind::WEEK);
  CHECK(x.Query() == "no week award yet\n");
  auto awards = x.reply.initAwards(2);
  SetPeriod(awards[0].initPeriod(), wire::PeriodKind::WEEK, "2026-W48");
  awards[0].setPost("gate-1");
  SetTotals(awards[0].initTotals(), 14, -2, 5);
  awards[0].setPrevious("gate-2");
  SetPeriod(awards[1].initPeriod(), wire::PeriodKind::WEEK, "2026-W47");
  awards[1].setPost("gate-2");
  SetTotals(awards[1].initTotals(), 1, 0, 1);
  CHECK(x.Query() ==
        "current week award: gate-1 (2026-W48, 12 points)\n"
        "PERIOD    POST    POINTS  REWARDS  PENALTIES  ENTRIES  PREVIOUS\n"
        "2026-W48  gate-1  12      14       -2         5        gate-2\n"
        "2026-W47  gate-2  1       1        0          1        -\n");
  x.request.getAwards().setPeriod(wire::PeriodKind::MONTH);
  x.reply.initAwards(0);
  CHECK(x.Query() == "no month award yet\n");
}

TEST_CASE("Periods and points as the score output shows them", "[score][score_format]") {
  capnp::MallocMessageBuilder b;
  auto p = b.initRoot<wire::PeriodInfo>();
  SetPeriod(p, wire::PeriodKind::SHIFT, "2026-11-28 06:00");
  CHECK(FormatPeriod(p.asReader()) == "shift 2026-11-28 06:00");
  SetPeriod(p, wire::PeriodKind::MONTH, "2026-11");
  CHECK(FormatPeriod(p.asReader()) == "month 2026-11");
  p.setLabel("");
  CHECK(FormatPeriod(p.asReader()) == "month");
  CHECK(SignedPoints(0) == "0");
  CHECK(SignedPoints(5) == "+5");
  CHECK(SignedPoints(-1000) == "-1000");
}

TEST_CASE("The score --json output has every field of the ScoringReply by its schema name",
          "[score][score_format]") {
  Exchange x;
  SetPeriod(x.reply.initPeriod(), wire::PeriodKind::WEEK, "2026-W48");
  FillEntry(x.reply.initEntries(1)[0], 9, -3, "inspection_fault", "Fault", 0);
  auto j = StructToJson(capnp::DynamicStruct::Reader(x.reply.asReader()));
  CHECK(j["error"] == "none");
  CHECK(j["period"]["kind"] == "week");
  CHECK(j["period"]["label"] == "2026-W48");
  CHECK(j["entries"][0]["entry"] == 9);
  CHECK(j["entries"][0]["points"] == -3);
  CHECK(j["entries"][0]["at"] == kNow);
  CHECK(j["standings"].is_array());
  CHECK(j["awards"].is_array());
  CHECK(j["truncated"] == false);
  CHECK(j["unpublished"] == false);
}

}  // namespace picket
