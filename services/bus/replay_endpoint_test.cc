// ReplayEndpoint against a real RocksDB log and real (inproc) sockets.
#include "bus/replay_endpoint.h"

#include <catch2/catch.hpp>

#include "bus/bus_test_support.h"
#include "testing/manual_clock.h"

using namespace picket;
using namespace picket::bus_testing;
using wire::ErrorCode;

namespace {

struct ReplayFixture {
  explicit ReplayFixture(size_t max_sessions = 64) : sessions(Limits(max_sessions)) {
    std::string error;
    store = OpenRocksLogStore(dir.path(), &error);
    REQUIRE(store);
    router.set(zmq::sockopt::router_mandatory, 1);
    router.bind("inproc://replay");
    ReplayEndpoint::Options options;
    options.site = kSite;
    options.max_message_bytes = 1024;
    options.max_batch_bytes = 64 * 1024;
    options.slice_events = 50;
    replay = std::make_unique<ReplayEndpoint>(router, *store, sessions, reports, clock, metrics,
                                              options);
  }

  static ReplaySessions::Limits Limits(size_t max_sessions) {
    ReplaySessions::Limits l;
    l.max_sessions = max_sessions;
    l.default_max_batch = 16;
    l.idle_timeout = 60 * kMicrosPerSecond;
    return l;
  }

  void Fill(uint64_t from, uint64_t to, Micros at, size_t body = 0) {
    std::vector<NewEvent> events;
    for (uint64_t s = from; s <= to; ++s)
      events.push_back(StoredTestEvent(s, at, TestId(static_cast<uint32_t>(s)), body));
    std::string error;
    REQUIRE(store->Append(events, false, &error));
  }

  // Serves until idle; returns every reply `c` got, in order.
  std::vector<Reply> Drain(Client& c) {
    std::vector<Reply> replies;
    replay->OnReadable();
    while (replay->ServeSlice() != ReplayEndpoint::SliceResult::kIdle) {
    }
    while (auto m = c.TryReceive()) replies.push_back(ParseReply(m->back()));
    return replies;
  }

  TempDir dir;
  ManualClock clock{kT0};
  MetricsRegistry registry;
  BusMetrics metrics{registry};
  ReplaySessions sessions;
  SubscriberReports reports;
  std::unique_ptr<LogStore> store;
  zmq::context_t ctx;
  zmq::socket_t router{ctx, zmq::socket_type::router};
  std::unique_ptr<ReplayEndpoint> replay;
};

// The seqs of all batches, checking each batch's size limit; and the end, which must be
// last.
struct Stream {
  std::vector<uint64_t> seqs;
  std::optional<Reply> end;
  size_t batches = 0;
};
Stream Collect(const std::vector<Reply>& replies, size_t max_per_batch) {
  Stream s;
  for (const auto& r : replies) {
    REQUIRE_FALSE(s.end);
    if (r.which == wire::BusReply::REPLAY_END) {
      s.end = r;
    } else {
      REQUIRE(r.which == wire::BusReply::REPLAY_BATCH);
      REQUIRE(r.seqs.size() >= 1);
      REQUIRE(r.seqs.size() <= max_per_batch);
      s.seqs.insert(s.seqs.end(), r.seqs.begin(), r.seqs.end());
      ++s.batches;
    }
  }
  return s;
}

std::vector<uint64_t> Seqs(uint64_t a, uint64_t b) {
  std::vector<uint64_t> v;
  for (uint64_t s = a; s <= b; ++s) v.push_back(s);
  return v;
}

}  // namespace

TEST_CASE("replay endpoint: replay of a middle range", "[bus][replay]") {
  ReplayFixture f;
  f.Fill(1, 100, kT0);
  Client c(f.ctx, "inproc://replay");
  c.Send(ReplayRequestFrame(10, 45, 1000));
  auto s = Collect(f.Drain(c), 16);
  CHECK(s.seqs == Seqs(10, 45));
  REQUIRE(s.end);
  CHECK(s.end->last_seq == 45);
  CHECK(s.end->head_seq == 100);
  CHECK(s.end->first_seq == 1);
  CHECK(f.sessions.size() == 0);
  CHECK(f.metrics.replay_events.Value() == 36);
}

TEST_CASE("replay endpoint: replay to the head, and from beyond the head", "[bus][replay]") {
  ReplayFixture f;
  f.Fill(1, 20, kT0);
  Client c(f.ctx, "inproc://replay");
  c.Send(ReplayRequestFrame(1, 0, 1000, 7));
  auto s = Collect(f.Drain(c), 7);
  CHECK(s.seqs == Seqs(1, 20));
  CHECK(s.end->last_seq == 20);
  c.Send(ReplayRequestFrame(21, 0, 1000));
  s = Collect(f.Drain(c), 16);
  CHECK(s.seqs.empty());
  CHECK(s.end->last_seq == 20);
}

TEST_CASE("replay endpoint: replay of an empty log ends at once", "[bus][replay]") {
  ReplayFixture f;
  Client c(f.ctx, "inproc://replay");
  c.Send(ReplayRequestFrame(1, 0, 10));
  auto s = Collect(f.Drain(c), 16);
  CHECK(s.seqs.empty());
  REQUIRE(s.end);
  CHECK(s.end->last_seq == 0);
  CHECK(s.end->head_seq == 0);
  CHECK(s.end->first_seq == 0);
}

TEST_CASE("replay endpoint: replay from before the first retained seq starts there",
          "[bus][replay]") {
  ReplayFixture f;
  f.Fill(1, 10, kT0);
  f.Fill(11, 15, kT0 + 100 * kMicrosPerSecond);
  PruneResult pruned;
  std::string error;
  REQUIRE(f.store->Prune(kT0 + 1, kT0 + 1, 1000, &pruned, &error));
  REQUIRE(f.store->FirstSeq() == 11);
  Client c(f.ctx, "inproc://replay");
  c.Send(ReplayRequestFrame(3, 0, 1000));
  auto replies = f.Drain(c);
  auto s = Collect(replies, 16);
  CHECK(s.seqs == Seqs(11, 15));
  CHECK(replies.front().first_seq == 11);
  CHECK(s.end->last_seq == 15);
}

TEST_CASE("replay endpoint: the credit granted is never exceeded", "[bus][replay]") {
  ReplayFixture f;
  f.Fill(1, 100, kT0);
  Client c(f.ctx, "inproc://replay");
  c.Send(ReplayRequestFrame(1, 0, 10, 4));
  auto s = Collect(f.Drain(c), 4);
  CHECK(s.seqs == Seqs(1, 10));
  CHECK_FALSE(s.end);
  CHECK(f.Drain(c).empty());  // nothing more without credit
  c.Send(CreditFrame(25));
  s = Collect(f.Drain(c), 4);
  CHECK(s.seqs == Seqs(11, 35));
  CHECK_FALSE(s.end);
  c.Send(CreditFrame(100000));
  s = Collect(f.Drain(c), 4);
  CHECK(s.seqs == Seqs(36, 100));
  CHECK(s.end->last_seq == 100);
}

TEST_CASE("replay endpoint: batches are bounded in bytes", "[bus][replay]") {
  ReplayFixture f;                // max_batch_bytes = 64 KiB
  f.Fill(1, 20, kT0, 10 * 1024);  // ~10 KiB each
  Client c(f.ctx, "inproc://replay");
  c.Send(ReplayRequestFrame(1, 0, 1000, 1000));
  auto s = Collect(f.Drain(c), 7);
  CHECK(s.seqs == Seqs(1, 20));
  CHECK(s.batches >= 4);
}

TEST_CASE(
    "replay endpoint: cancel ends the session, credit or cancel without one is unknownSession",
    "[bus][replay]") {
  ReplayFixture f;
  f.Fill(1, 50, kT0);
  Client c(f.ctx, "inproc://replay");
  c.Send(ReplayRequestFrame(1, 0, 5));
  auto s = Collect(f.Drain(c), 16);
  CHECK(s.seqs == Seqs(1, 5));
  c.Send(Request([](auto r) { r.setCancel(); }));
  CHECK(f.Drain(c).empty());  // no reply to cancel
  CHECK(f.sessions.size() == 0);
  c.Send(CreditFrame(5));
  auto replies = f.Drain(c);
  REQUIRE(replies.size() == 1);
  CHECK(replies[0].code == ErrorCode::UNKNOWN_SESSION);
  c.Send(Request([](auto r) { r.setCancel(); }));
  replies = f.Drain(c);
  REQUIRE(replies.size() == 1);
  CHECK(replies[0].code == ErrorCode::UNKNOWN_SESSION);
}

TEST_CASE("replay endpoint: a new request replaces the session", "[bus][replay]") {
  ReplayFixture f;
  f.Fill(1, 50, kT0);
  Client c(f.ctx, "inproc://replay");
  c.Send(ReplayRequestFrame(1, 0, 3));
  f.Drain(c);
  c.Send(ReplayRequestFrame(40, 42, 10));
  auto s = Collect(f.Drain(c), 16);
  CHECK(s.seqs == Seqs(40, 42));
  CHECK(s.end->last_seq == 42);
}

TEST_CASE("replay endpoint: sessions share the loop round-robin", "[bus][replay]") {
  ReplayFixture f;  // 50 events per slice, 16 per batch
  f.Fill(1, 300, kT0);
  Client a(f.ctx, "inproc://replay"), b(f.ctx, "inproc://replay");
  a.Send(ReplayRequestFrame(1, 0, 1000));
  b.Send(ReplayRequestFrame(1, 0, 1000));
  f.replay->OnReadable();
  CHECK(f.replay->ServeSlice() == ReplayEndpoint::SliceResult::kMoreWork);
  size_t got_a = 0, got_b = 0;
  while (auto m = a.TryReceive()) got_a += ParseReply(m->back()).seqs.size();
  while (auto m = b.TryReceive()) got_b += ParseReply(m->back()).seqs.size();
  CHECK(got_a + got_b <= 50 + 16);
  CHECK(got_a >= 16);
  CHECK(got_b >= 16);
}

TEST_CASE("replay endpoint: too many sessions is unavailable", "[bus][replay]") {
  ReplayFixture f(1);
  f.Fill(1, 10, kT0);
  Client a(f.ctx, "inproc://replay"), b(f.ctx, "inproc://replay");
  a.Send(ReplayRequestFrame(1, 0, 1));
  f.Drain(a);
  b.Send(ReplayRequestFrame(1, 0, 1));
  auto replies = f.Drain(b);
  REQUIRE(replies.size() == 1);
  CHECK(replies[0].code == ErrorCode::UNAVAILABLE);
}

TEST_CASE("replay endpoint: a session with zero credit for the idle timeout is dropped",
          "[bus][replay]") {
  ReplayFixture f;
  f.Fill(1, 10, kT0);
  Client c(f.ctx, "inproc://replay");
  c.Send(ReplayRequestFrame(1, 0, 2));
  f.Drain(c);
  f.clock.Advance(59 * kMicrosPerSecond);
  CHECK(f.replay->ExpireIdle() == 0);
  f.clock.Advance(1 * kMicrosPerSecond);
  CHECK(f.replay->ExpireIdle() == 1);
  CHECK(f.sessions.size() == 0);
  CHECK(f.metrics.replay_sessions.Value() == 0);
}

TEST_CASE("replay endpoint: progress is recorded without a reply and shows in status",
          "[bus][replay]") {
  ReplayFixture f;
  f.Fill(1, 10, kT0);
  Client c(f.ctx, "inproc://replay");
  c.Send(Request([](auto r) {
    auto p = r.initProgress();
    p.setSubscriber("picket-patrol");
    p.setAppliedSeq(7);
  }));
  CHECK(f.Drain(c).empty());
  c.Send(Request([](auto r) { r.setStatus(); }));
  auto replies = f.Drain(c);
  REQUIRE(replies.size() == 1);
  CHECK(replies[0].which == wire::BusReply::STATUS);
  CHECK(replies[0].head_seq == 10);
  CHECK(replies[0].subscribers ==
        std::vector<std::pair<std::string, uint64_t>>{{"picket-patrol", 7}});
}

TEST_CASE("replay endpoint: bad replay requests get nacks with their codes", "[bus][replay]") {
  ReplayFixture f;
  f.Fill(1, 10, kT0);
  Client c(f.ctx, "inproc://replay");
  auto expect = [&](const std::string& frame, ErrorCode code) {
    INFO("expecting " << ErrorCodeName(code));
    c.Send(frame);
    auto replies = f.Drain(c);
    REQUIRE(replies.size() == 1);
    CHECK(replies[0].which == wire::BusReply::NACK);
    CHECK(replies[0].code == code);
  };
  expect("not capnp", ErrorCode::MALFORMED);
  expect(std::string(2048, '\0'), ErrorCode::TOO_LARGE);
  expect(PublishRequest(TestId(1)), ErrorCode::WRONG_TYPE);
  expect(ReplayRequestFrame(0, 0, 10), ErrorCode::OUT_OF_RANGE);
  expect(ReplayRequestFrame(5, 4, 10), ErrorCode::OUT_OF_RANGE);
  expect(ReplayRequestFrame(1, 0, 0), ErrorCode::OUT_OF_RANGE);
  expect(Request([](auto r) { r.initProgress().setAppliedSeq(3); }), ErrorCode::MISSING_FIELD);
  CHECK(f.sessions.size() == 0);
}
