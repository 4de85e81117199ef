#include "picketctl/patrol_format.h"

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
  wire::PatrolRequest::Builder request = request_message.initRoot<wire::PatrolRequest>();
  wire::PatrolReply::Builder reply = reply_message.initRoot<wire::PatrolReply>();
  std::string Result() { return FormatPatrolResult(request.asReader(), reply.asReader()); }
  std::string Query(bool csv = false) {
    return FormatPatrolQuery(request.asReader(), reply.asReader(), csv);
  }
};

// Round 4 of perimeter at gate-1, started by guard-7 at kNow: A on time, B missed, C
// pending (states as given, one letter each: o on_time, l late, m missed, e excused, p
// pending).
void FillRound(wire::RoundInfo::Builder r, uint64_t id, const std::string& states) {
  r.setRound(id);
  r.setRoute("perimeter");
  r.setPost("gate-1");
  r.setStatus("in_progress");
  r.setGuard("guard-7");
  r.setStartedAt(kNow);
  auto list = r.initCheckpoints(static_cast<unsigned>(states.size()));
  for (unsigned i = 0; i < states.size(); ++i) {
    auto c = list[i];
    c.setTag(std::string(1, static_cast<char>('A' + i)));
    switch (states[i]) {
      case 'o':
        c.setState("on_time");
        c.setScannedAt(kNow + (i + 1) * kMinute);
        break;
      case 'l':
        c.setState("late");
        c.setScannedAt(kNow + (i + 1) * kMinute);
        break;
      case 'm':
        c.setState("missed");
        c.setDeadline(kNow + (i + 1) * kMinute);
        break;
      case 'e':
        c.setState("excused");
        c.setDeadline(kNow + (i + 1) * kMinute);
        break;
      default:
        c.setState("pending");
    }
  }
}

}  // namespace

TEST_CASE("Each patrol command prints one line naming the round's route and post",
          "[patrol_format]") {
  Exchange x;
  auto extend = x.request.initExtendDeadline();
  extend.setRound(4);
  extend.setBy(10 * kMinute);
  extend.setReason("gate jammed");
  CHECK(x.Result() == "round 4: deadlines extended by 10m: gate jammed");
  FillRound(x.reply.initRounds(1)[0], 4, "op");
  x.reply.getRounds()[0].setExtension(10 * kMinute);
  CHECK(x.Result() == "round 4 (perimeter at gate-1): deadlines extended by 10m: gate jammed");
  x.reply.getRounds()[0].setExtension(90 * kMinute);
  CHECK(x.Result() ==
        "round 4 (perimeter at gate-1): deadlines extended by 10m (1h30m in all): gate jammed");

  auto excuse = x.request.initExcuseCheckpoint();
  excuse.setRound(4);
  excuse.setCheckpoint("B");
  excuse.setReason("fence under repair");
  CHECK(x.Result() == "round 4 (perimeter at gate-1): checkpoint B excused: fence under repair");

  auto cancel = x.request.initCancelRound();
  cancel.setRound(4);
  cancel.setReason("drill");
  CHECK(x.Result() == "round 4 (perimeter at gate-1) cancelled: drill");
}

TEST_CASE("A refusal names the schema's error and the service's sentence", "[patrol_format]") {
  Exchange x;
  x.reply.setError(wire::PatrolError::UNKNOWN_ROUND);
  x.reply.setMessage("no round 999");
  CHECK(FormatPatrolRefusal(x.reply.asReader()) == "unknownRound: no round 999\n");
  x.reply.setError(static_cast<wire::PatrolError>(42));
  x.reply.setMessage("");
  CHECK(FormatPatrolRefusal(x.reply.asReader()) == "unknown(42): (no message)\n");
}

TEST_CASE("The rounds table counts each round's verdicts, and its CSV keeps every field",
          "[patrol_format]") {
  Exchange x;
  x.request.initListRounds();
  CHECK(x.Query() == "no rounds in that period\n");
  CHECK(x.Query(true) ==
        "round,route,post,schedule,due,started,ended,status,guard,assigned,on_time,late,missed,"
        "excused,pending,notes\r\n");

  auto rounds = x.reply.initRounds(2);
  FillRound(rounds[0], 4, "omp");
  rounds[0].setSchedule("night");
  rounds[0].setDue(kNow - 5 * kMinute);
  rounds[0].setExtension(10 * kMinute);
  rounds[1].setRound(5);
  rounds[1].setRoute("yard, east");
  rounds[1].setPost("gate-2");
  rounds[1].setSchedule("night");
  rounds[1].setAssigned("guard-9");
  rounds[1].setDue(kNow + 30 * kMinute);
  rounds[1].setStatus("scheduled");
  CHECK(x.Query() ==
        "ROUND  ROUTE       POST    DUE                   STARTED               STATUS       "
        "GUARD               ON TIME  LATE  MISSED  EXCUSED  NOTE\n"
        "4      perimeter   gate-1  2026-11-28T13:55:00Z  2026-11-28T14:00:00Z  in_progress  "
        "guard-7             1        0     1       0        extended 10m\n"
        "5      yard, east  gate-2  2026-11-28T14:30:00Z  -                     scheduled    "
        "guard-9 (assigned)  0        0     0       0        -\n");
  CHECK(x.Query(true) ==
        "round,route,post,schedule,due,started,ended,status,guard,assigned,on_time,late,missed,"
        "excused,pending,notes\r\n"
        "4,perimeter,gate-1,night,2026-11-28T13:55:00Z,2026-11-28T14:00:00Z,,in_progress,guard-7,"
        ",1,0,1,0,1,extended 10m\r\n"
        "5,\"yard, east\",gate-2,night,2026-11-28T14:30:00Z,,,scheduled,,guard-9,0,0,0,0,0,\r\n");
}

TEST_CASE("One round shows each checkpoint's state, scan, deadline and withdrawal",
          "[patrol_format]") {
  Exchange x;
  x.request.setGetRound(4);
  auto r = x.reply.initRounds(1)[0];
  FillRound(r, 4, "omp");
  r.setStartedLate(true);
  r.setLateReported(true);
  r.getCheckpoints()[0].setWithdrawn(true);
  CHECK(x.Query() ==
        "round 4: perimeter at gate-1, in_progress\n"
        "  guard      guard-7\n"
        "  schedule   - (unscheduled)\n"
        "  due        -\n"
        "  started    2026-11-28T14:00:00Z\n"
        "  ended      -\n"
        "  extension  -\n"
        "  notes      started late, ran late\n"
        "checkpoints:\n"
        "  #  CHECKPOINT  STATE    SCANNED               DEADLINE              WITHDRAWN\n"
        "  1  A           on_time  2026-11-28T14:01:00Z  -                     yes\n"
        "  2  B           missed   -                     2026-11-28T14:02:00Z  no\n"
        "  3  C           pending  -                     -                     no\n");
  r.setSchedule("night");
  r.setAssigned("guard-9");
  r.setExtension(20 * kMinute);
  r.initCheckpoints(0);
  CHECK_THAT(x.Query(), Catch::Contains("  schedule   night, assigned to guard-9\n") &&
                            Catch::Contains("  extension  20m\n") &&
                            Catch::EndsWith("checkpoints: none\n"));
}

TEST_CASE("The rounds in progress show how far along each is and what comes next",
          "[patrol_format]") {
  Exchange x;
  x.request.setCurrentRounds("");
  CHECK(x.Query() == "no rounds in progress\n");
  x.request.setCurrentRounds("gate-1");
  CHECK(x.Query() == "no rounds in progress at gate-1\n");
  auto rounds = x.reply.initRounds(2);
  FillRound(rounds[0], 4, "opp");
  FillRound(rounds[1], 6, "meoo");
  rounds[1].setLateReported(true);
  CHECK(x.Query() ==
        "ROUND  ROUTE      POST    GUARD    STARTED               PROGRESS  NEXT  NOTE\n"
        "4      perimeter  gate-1  guard-7  2026-11-28T14:00:00Z  1 of 3    B     -\n"
        "6      perimeter  gate-1  guard-7  2026-11-28T14:00:00Z  4 of 4    -     1 missed, ran "
        "late\n");
  CHECK(PatrolProgress(rounds[0].asReader()) == "1 of 3");
  CHECK(NextCheckpoint(rounds[0].asReader()) == "B");
}

TEST_CASE("Completion per guard or post, with the rate as a percentage", "[patrol_format]") {
  Exchange x;
  auto q = x.request.initGetCompletion();
  q.setFrom(kNow - 24 * 60 * kMinute);
  q.setTo(kNow);
  CHECK(x.Query() ==
        "completion by guard, 2026-11-27T14:00:00Z .. 2026-11-28T14:00:00Z\n"
        "no rounds in that period\n");
  auto list = x.reply.initCompletion(2);
  list[0].setSubject("guard-7");
  list[0].setRounds(3);
  list[0].setCompleted(2);
  list[0].setNotStarted(1);
  list[0].setLate(1);
  list[0].setCheckpointsOnTime(5);
  list[0].setCheckpointsLate(1);
  list[0].setCheckpointsMissed(3);
  list[0].setCheckpointsExcused(1);
  list[0].setPermille(666);
  list[1].setSubject("guard-9");
  list[1].setRounds(1);
  list[1].setCompleted(1);
  list[1].setCheckpointsOnTime(3);
  list[1].setPermille(1000);
  CHECK(x.Query() ==
        "completion by guard, 2026-11-27T14:00:00Z .. 2026-11-28T14:00:00Z\n"
        "GUARD    ROUNDS  COMPLETED  NOT STARTED  LATE  CP ON TIME  CP LATE  CP MISSED  "
        "CP EXCUSED  RATE\n"
        "guard-7  3       2          1            1     5           1        3          "
        "1           66.6%\n"
        "guard-9  1       1          0            0     3           0        0          "
        "0           100.0%\n");
  q.setByPost(true);
  list[0].setSubject("gate-1");
  list[1].setSubject("gate \"2\"");
  CHECK(x.Query(true) ==
        "post,rounds,completed,not_started,late,checkpoints_on_time,checkpoints_late,"
        "checkpoints_missed,checkpoints_excused,rate_percent\r\n"
        "gate-1,3,2,1,1,5,1,3,1,66.6\r\n"
        "\"gate \"\"2\"\"\",1,1,0,0,3,0,0,0,100.0\r\n");
}

TEST_CASE("Durations and rates in their shortest form", "[patrol_format]") {
  CHECK(FormatSpan(0) == "0s");
  CHECK(FormatSpan(90 * kSecond) == "1m30s");
  CHECK(FormatSpan(10 * kMinute) == "10m");
  CHECK(FormatSpan(12 * 60 * kMinute) == "12h");
  CHECK(FormatSpan((26 * 60 + 1) * kMinute) == "1d2h1m");
  CHECK(PatrolRate(0) == "0.0%");
  CHECK(PatrolRate(5) == "0.5%");
}

TEST_CASE("The --json output has every field of the PatrolReply by its schema name",
          "[patrol_format]") {
  Exchange x;
  FillRound(x.reply.initRounds(1)[0], 4, "m");
  auto j = StructToJson(capnp::DynamicStruct::Reader(x.reply.asReader()));
  CHECK(j["error"] == "none");
  CHECK(j["rounds"][0]["round"] == 4);
  CHECK(j["rounds"][0]["checkpoints"][0]["state"] == "missed");
  CHECK(j["rounds"][0]["checkpoints"][0]["deadline"] == kNow + kMinute);
  CHECK(j["completion"].is_array());
  CHECK(j["truncated"] == false);
  CHECK(j["unpublished"] == false);
}

}  // namespace picket
