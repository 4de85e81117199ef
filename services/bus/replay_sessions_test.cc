#include "bus/replay_sessions.h"

#include <catch2/catch.hpp>

using namespace picket;
using Kind = ReplaySessions::Step::Kind;

namespace {

ReplaySessions::Limits Limits(size_t max_sessions = 4, uint32_t batch = 10) {
  ReplaySessions::Limits l;
  l.max_sessions = max_sessions;
  l.default_max_batch = batch;
  l.idle_timeout = 60 * kMicrosPerSecond;
  return l;
}

// Plays the adapter: carries out steps against a log holding first..head, recording what
// each peer received, until no session can progress.
struct Driver {
  Driver(ReplaySessions& s, LogRange l) : sessions(s), log(l) {}
  ReplaySessions& sessions;
  LogRange log;
  std::map<std::string, std::vector<uint64_t>> received;
  std::map<std::string, uint64_t> ended;  // peer -> lastSeq of its ReplayEnd

  void RunToIdle() {
    for (int guard = 0; guard < 100000; ++guard) {
      auto step = sessions.NextStep(log);
      if (!step) return;
      if (step->kind == Kind::kEnd) {
        ended[step->peer] = step->last_seq;
        sessions.Remove(step->peer);
        continue;
      }
      REQUIRE(step->max_events >= 1);
      REQUIRE(step->from_seq >= log.first_seq);
      REQUIRE(step->from_seq + step->max_events - 1 <= log.head_seq);
      for (uint64_t s = step->from_seq; s < step->from_seq + step->max_events; ++s)
        received[step->peer].push_back(s);
      sessions.BatchSent(step->peer, step->from_seq + step->max_events - 1, step->max_events);
    }
    FAIL("replay did not go idle");
  }
};

std::vector<uint64_t> Range(uint64_t a, uint64_t b) {
  std::vector<uint64_t> v;
  for (uint64_t s = a; s <= b; ++s) v.push_back(s);
  return v;
}

}  // namespace

TEST_CASE("request checks", "[bus][replay]") {
  CHECK(ReplaySessions::Check({1, 0, 1, 0}) == std::nullopt);
  CHECK(ReplaySessions::Check({0, 0, 1, 0})->code == wire::ErrorCode::OUT_OF_RANGE);
  CHECK(ReplaySessions::Check({5, 4, 1, 0})->code == wire::ErrorCode::OUT_OF_RANGE);
  CHECK(ReplaySessions::Check({5, 0, 0, 0})->code == wire::ErrorCode::OUT_OF_RANGE);
  CHECK(ReplaySessions::Check({5, 0, kMaxReplayCredit + 1, 0})->code ==
        wire::ErrorCode::OUT_OF_RANGE);
}

TEST_CASE("replay of a middle range ends at toSeq", "[bus][replay]") {
  ReplaySessions s(Limits());
  REQUIRE_FALSE(s.Start("a", {5, 27, 1000, 0}, 0));
  Driver d{s, {1, 100}};
  d.RunToIdle();
  CHECK(d.received["a"] == Range(5, 27));
  CHECK(d.ended["a"] == 27);
  CHECK(s.size() == 0);
}

TEST_CASE("replay from before the first retained seq starts there", "[bus][replay]") {
  ReplaySessions s(Limits());
  REQUIRE_FALSE(s.Start("a", {1, 0, 1000, 0}, 0));
  Driver d{s, {40, 60}};
  d.RunToIdle();
  CHECK(d.received["a"] == Range(40, 60));
  CHECK(d.ended["a"] == 60);
}

TEST_CASE("replay to the head follows the head as it moves", "[bus][replay]") {
  ReplaySessions s(Limits(4, 5));
  REQUIRE_FALSE(s.Start("a", {1, 0, 1000, 0}, 0));
  Driver d{s, {1, 3}};
  auto step = s.NextStep(d.log);
  REQUIRE(step->kind == Kind::kBatch);
  s.BatchSent("a", 3, 3);
  d.log.head_seq = 12;  // more events were recorded meanwhile
  d.RunToIdle();
  CHECK(d.received["a"] == Range(4, 12));
  CHECK(d.ended["a"] == 12);
}

TEST_CASE("replay of an empty log ends at once with fromSeq-1", "[bus][replay]") {
  ReplaySessions s(Limits());
  REQUIRE_FALSE(s.Start("a", {1, 0, 10, 0}, 0));
  REQUIRE_FALSE(s.Start("b", {7, 0, 10, 0}, 0));
  Driver d{s, {1, 0}};
  d.RunToIdle();
  CHECK(d.received.empty());
  CHECK(d.ended["a"] == 0);
  CHECK(d.ended["b"] == 6);
}

TEST_CASE("a toSeq beyond the head ends at the head", "[bus][replay]") {
  ReplaySessions s(Limits());
  REQUIRE_FALSE(s.Start("a", {8, 500, 1000, 0}, 0));
  Driver d{s, {1, 10}};
  d.RunToIdle();
  CHECK(d.received["a"] == Range(8, 10));
  CHECK(d.ended["a"] == 10);
}

TEST_CASE("credit is never exceeded and batches respect maxBatch", "[bus][replay]") {
  ReplaySessions s(Limits(4, 256));
  REQUIRE_FALSE(s.Start("a", {1, 0, 7, 3}, 0));
  Driver d{s, {1, 100}};
  auto step = s.NextStep(d.log);
  CHECK(step->max_events == 3);
  d.RunToIdle();
  CHECK(d.received["a"] == Range(1, 7));
  CHECK_FALSE(d.ended.count("a"));  // waiting for credit
  CHECK(s.CreditLeft("a") == 0);
  REQUIRE_FALSE(s.AddCredit("a", 2, 10));
  d.RunToIdle();
  CHECK(d.received["a"] == Range(1, 9));
  REQUIRE_FALSE(s.AddCredit("a", 100000, 20));
  d.RunToIdle();
  CHECK(d.received["a"] == Range(1, 100));
  CHECK(d.ended["a"] == 100);
}

TEST_CASE("sessions are served round-robin", "[bus][replay]") {
  ReplaySessions s(Limits(4, 2));
  REQUIRE_FALSE(s.Start("a", {1, 0, 100, 0}, 0));
  REQUIRE_FALSE(s.Start("b", {1, 0, 100, 0}, 0));
  LogRange log{1, 100};
  std::vector<std::string> order;
  for (int i = 0; i < 4; ++i) {
    auto step = s.NextStep(log);
    order.push_back(step->peer);
    s.BatchSent(step->peer, step->from_seq + step->max_events - 1, step->max_events);
  }
  CHECK(order == std::vector<std::string>{"a", "b", "a", "b"});
}

TEST_CASE("a new request replaces the session, cancel ends it", "[bus][replay]") {
  ReplaySessions s(Limits());
  REQUIRE_FALSE(s.Start("a", {1, 0, 5, 0}, 0));
  REQUIRE_FALSE(s.Start("a", {50, 60, 5, 0}, 0));
  CHECK(s.size() == 1);
  auto step = s.NextStep({1, 100});
  CHECK(step->from_seq == 50);
  CHECK_FALSE(s.Cancel("a"));
  CHECK(s.size() == 0);
  CHECK(s.Cancel("a")->code == wire::ErrorCode::UNKNOWN_SESSION);
  CHECK(s.AddCredit("a", 5, 0)->code == wire::ErrorCode::UNKNOWN_SESSION);
}

TEST_CASE("too many sessions is unavailable, but replacing is fine", "[bus][replay]") {
  ReplaySessions s(Limits(2));
  REQUIRE_FALSE(s.Start("a", {1, 0, 5, 0}, 0));
  REQUIRE_FALSE(s.Start("b", {1, 0, 5, 0}, 0));
  CHECK(s.Start("c", {1, 0, 5, 0}, 0)->code == wire::ErrorCode::UNAVAILABLE);
  CHECK_FALSE(s.Start("b", {2, 0, 5, 0}, 0));
}

TEST_CASE("bad credit is out of range", "[bus][replay]") {
  ReplaySessions s(Limits());
  REQUIRE_FALSE(s.Start("a", {1, 0, 5, 0}, 0));
  CHECK(s.AddCredit("a", 0, 0)->code == wire::ErrorCode::OUT_OF_RANGE);
  CHECK(s.AddCredit("a", kMaxReplayCredit + 1, 0)->code == wire::ErrorCode::OUT_OF_RANGE);
}

TEST_CASE("a session idle with zero credit expires, one with credit does not", "[bus][replay]") {
  ReplaySessions s(Limits(4, 10));
  REQUIRE_FALSE(s.Start("a", {1, 0, 2, 0}, 0));
  REQUIRE_FALSE(s.Start("b", {1, 0, 2, 0}, 0));
  Driver d{s, {1, 100}};
  auto step = s.NextStep(d.log);  // serve "a" only: it runs out of credit
  s.BatchSent(step->peer, step->from_seq + 1, 2);
  CHECK(s.ExpireIdle(59 * kMicrosPerSecond).empty());
  CHECK(s.ExpireIdle(60 * kMicrosPerSecond) == std::vector<std::string>{"a"});
  CHECK(s.Has("b"));
}

TEST_CASE("subscriber reports are checked, kept and bounded", "[bus][replay]") {
  CHECK(SubscriberReports::Check("")->code == wire::ErrorCode::MISSING_FIELD);
  CHECK(SubscriberReports::Check(std::string(65, 'x'))->code == wire::ErrorCode::OUT_OF_RANGE);
  SubscriberReports r(2);
  r.Record("access", 5, 100);
  r.Record("patrol", 7, 200);
  r.Record("access", 9, 300);
  r.Record("scoring", 1, 400);  // evicts patrol, reported least recently
  auto all = r.All();
  REQUIRE(all.size() == 2);
  CHECK(all[0].subscriber == "access");
  CHECK(all[0].applied_seq == 9);
  CHECK(all[0].reported_at == 300);
  CHECK(all[1].subscriber == "scoring");
}
