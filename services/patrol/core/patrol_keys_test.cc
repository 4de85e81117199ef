// The stored formats: table names, keys, timer ids and records, pinned byte for byte and
// round-tripped; garbage never decodes.
#include "patrol/core/patrol_keys.h"

#include <catch2/catch.hpp>

#include "base/hex.h"
#include "patrol/core/patrol_types.h"
#include "patrol/core/schedule.h"

namespace picket::patrol {
namespace {

Round FullRound() {
  Round r;
  r.id = 42;
  r.route = "north";
  r.post = "gate-1";
  r.schedule = "night";
  r.assigned = "g-7";
  r.due = 1'780'000'000'000'000;
  r.status = RoundStatus::kInProgress;
  r.guard = "g-1";
  r.started_at = r.due + 60'000'000;
  r.ended_at = r.due + 3'600'000'000;
  r.started_late = true;
  r.late_reported = true;
  r.ended_early = false;
  r.extension = 600'000'000;
  r.checkpoints = {{"c1", CheckpointState::kOnTime, r.due + 5, 0, false},
                   {"c2", CheckpointState::kLate, r.due + 7, r.due + 6, true},
                   {"c3", CheckpointState::kMissed, 0, r.due + 9, false},
                   {"c4", CheckpointState::kExcused, 0, r.due + 11, false},
                   {"c5", CheckpointState::kPending, 0, 0, false}};
  return r;
}

}  // namespace

TEST_CASE("patrol keys: the table names are frozen", "[patrol][keys]") {
  CHECK(keys::AllTables() == std::vector<std::string>{"rounds", "rounds_by_time", "open_rounds",
                                                      "active_rounds", "guard_rounds", "schedules",
                                                      "terminal_clocks", "patrol_counters"});
  CHECK(keys::kNextRoundIdKey == "next_round_id");
}

TEST_CASE("patrol keys: composite keys are pinned byte for byte", "[patrol][keys]") {
  CHECK(Hex(keys::RoundTimeKey(1, 9)) ==
        "80000000"
        "8000000000000001"
        "0000000000000009");
  CHECK(keys::DecodeRoundTimeKey(keys::RoundTimeKey(1, 9)) == keys::TimedRound{1, 9});
  CHECK(Hex(keys::OpenRoundKey("p", "r", 2, 3)) ==
        "7000"
        "7200"
        "8000000000000002"
        "0000000000000003");
  CHECK(keys::DecodeOpenRoundKey(keys::OpenRoundKey("gate-1", "north", 77, 5)) ==
        keys::OpenRoundKeyParts{"gate-1", "north", 77, 5});
  CHECK(keys::OpenPostPrefix("p") == std::string("p\0", 2));
  CHECK(keys::OpenRoutePrefix("p", "r") == std::string("p\0r\0", 4));
  CHECK(Hex(keys::ActiveKey("p", "g")) == "700067");
  CHECK(keys::ActivePostPrefix("p") == std::string("p\0", 2));
  CHECK(Hex(keys::GuardRoundKey("p", "g", 1, 4)) ==
        "7000"
        "6700"
        "80000000"
        "8000000000000001"
        "0000000000000004");
  CHECK(keys::GuardRoundKey("p", "g", 1, 4).substr(0, 8) ==
        keys::GuardDayPrefix("p", "g", keys::DayOf(1)));
  CHECK(keys::DecodeGuardRoundKey(keys::GuardRoundKey("gate-1", "g-1", 123, 8)) ==
        keys::TimedRound{123, 8});
}

TEST_CASE("patrol keys: malformed keys do not decode", "[patrol][keys]") {
  CHECK_FALSE(keys::DecodeRoundTimeKey("short"));
  std::string wrong_day = keys::RoundTimeKey(5, 1);
  wrong_day[3] = 9;
  CHECK_FALSE(keys::DecodeRoundTimeKey(wrong_day));
  CHECK_FALSE(keys::DecodeOpenRoundKey("no-zero"));
  CHECK_FALSE(keys::DecodeOpenRoundKey(std::string("p\0r", 3)));
  CHECK_FALSE(keys::DecodeOpenRoundKey(keys::OpenRoundKey("p", "r", 1, 1) + "x"));
  CHECK_FALSE(keys::DecodeGuardRoundKey("tiny"));
  std::string guard_key = keys::GuardRoundKey("p", "g", 5, 1);
  guard_key[7] = 9;  // the day no longer matches the time
  CHECK_FALSE(keys::DecodeGuardRoundKey(guard_key));
}

TEST_CASE("patrol keys: days and times sort like the numbers", "[patrol][keys]") {
  const Micros day = 86400 * kMicrosPerSecond;
  CHECK(keys::DayOf(0) == 0x80000000u);
  CHECK(keys::DayOf(day - 1) == 0x80000000u);
  CHECK(keys::DayOf(day) == 0x80000001u);
  CHECK(keys::DayOf(-1) == 0x7fffffffu);
  std::vector<Micros> times{-day - 5, -1, 0, 1, day, 3 * day + 7};
  for (size_t i = 0; i + 1 < times.size(); ++i) {
    CHECK(keys::RoundTimeKey(times[i], 100) < keys::RoundTimeKey(times[i + 1], 1));
    CHECK(keys::OpenRoundKey("p", "r", times[i], 100) <
          keys::OpenRoundKey("p", "r", times[i + 1], 1));
  }
}

TEST_CASE("patrol keys: timer ids are pinned and decode", "[patrol][keys]") {
  CHECK(keys::ScheduleTimerId("night") == "sched/night");
  CHECK(keys::DecodeScheduleTimerId("sched/night") == "night");
  CHECK_FALSE(keys::DecodeScheduleTimerId("sched/"));
  CHECK_FALSE(keys::DecodeScheduleTimerId("ovs/night"));
  CHECK(Hex(keys::RoundTimerId(keys::RoundTimer::kStart, 5)) ==
        "73746172742f"
        "0000000000000005");
  CHECK(Hex(keys::RoundTimerId(keys::RoundTimer::kLeg, 5)) ==
        "6c65672f"
        "0000000000000005");
  CHECK(Hex(keys::RoundTimerId(keys::RoundTimer::kEnd, 5)) ==
        "656e642f"
        "0000000000000005");
  for (auto kind : {keys::RoundTimer::kStart, keys::RoundTimer::kLeg, keys::RoundTimer::kEnd})
    CHECK(keys::DecodeRoundTimerId(keys::RoundTimerId(kind, 77)) == keys::RoundTimerRef{kind, 77});
  CHECK_FALSE(keys::DecodeRoundTimerId("leg/123"));
  CHECK_FALSE(keys::DecodeRoundTimerId("sched/night"));
}

TEST_CASE("patrol records: a round is pinned byte for byte", "[patrol][keys]") {
  Round r;
  r.id = 1;
  r.route = "r";
  r.post = "p";
  r.checkpoints = {{"a", CheckpointState::kMissed, 0, 2, true}};
  CHECK(Hex(EncodeRound(r)) ==
        "01"                // format
        "0000000000000001"  // id
        "0000000172"        // route
        "0000000170"        // post
        "00000000"          // schedule
        "00000000"          // assigned
        "0000000000000000"  // due
        "00"                // status
        "00000000"          // guard
        "0000000000000000"  // started_at
        "0000000000000000"  // ended_at
        "000000"            // started_late, late_reported, ended_early
        "0000000000000000"  // extension
        "00000001"          // checkpoints
        "0000000161"
        "03"  // tag, state
        "0000000000000000"
        "0000000000000002"  // scanned_at, deadline
        "01");              // withdrawn
}

TEST_CASE("patrol records: rounds, clocks, occurrences and schedule states round-trip",
          "[patrol][keys]") {
  const Round r = FullRound();
  CHECK(DecodeRound(EncodeRound(r)) == r);

  TerminalClock c{"t-1", "gate-1", 10, -20, 3, -30, 40, 50};
  CHECK(DecodeTerminalClock(EncodeTerminalClock(c)) == c);
  CHECK(Hex(EncodeTerminalClock(TerminalClock{})).size() == 2 * (1 + 4 + 4 + 8 + 8 + 4 + 8 * 3));

  Occurrence o{{2026, 3, 28}, 1560, 1'774'746'000'000'000};
  CHECK(Hex(EncodeOccurrence(o)) ==
        "01"
        "000007ea"  // 2026
        "03"
        "1c"        // 28
        "00000618"  // 1560
        "00064e1f40e58400");
  CHECK(DecodeOccurrence(EncodeOccurrence(o)) == o);

  ScheduleState s{"night", o, o.due - 900'000'000, o.due - 7'200'000'000};
  CHECK(DecodeScheduleState(EncodeScheduleState(s)) == s);
}

TEST_CASE("patrol records: garbage and truncated records do not decode", "[patrol][keys]") {
  const std::string round = EncodeRound(FullRound());
  for (size_t n = 0; n < round.size(); ++n) CHECK_FALSE(DecodeRound(round.substr(0, n)));
  std::string bad_status = round;
  bad_status[1 + 8 + 9 + 10 + 9 + 7 + 8] = 9;  // status byte
  CHECK_FALSE(DecodeRound(bad_status));
  std::string bad_format = round;
  bad_format[0] = 2;
  CHECK_FALSE(DecodeRound(bad_format));
  CHECK_FALSE(DecodeRound("garbage"));
  CHECK_FALSE(DecodeTerminalClock("garbage"));
  CHECK_FALSE(DecodeOccurrence("garbage"));
  CHECK_FALSE(DecodeScheduleState("garbage"));
  // A date that does not exist, a minute out of range.
  CHECK_FALSE(DecodeOccurrence(EncodeOccurrence({{2026, 2, 30}, 60, 0})));
  CHECK_FALSE(DecodeOccurrence(EncodeOccurrence({{2026, 2, 3}, 2880, 0})));
  // A record with a field appended by a newer version still decodes.
  CHECK(DecodeRound(round + "x") == FullRound());
}

}  // namespace picket::patrol
