// IngestEndpoint against a real RocksDB log and real (inproc) sockets. inproc delivers a
// message into the peer's queue before send() returns, so a test can queue several
// requests and know that one OnReadable() sees them all (one group commit).
#include "bus/ingest.h"

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <catch2/catch.hpp>
#include <limits>
#include <sstream>

#include "bus/bus_test_support.h"
#include "picket/schemas/bus.capnp.h"
#include "picket/schemas/envelope.capnp.h"
#include "testing/manual_clock.h"
#include "wire/chain_checkpoint.h"
#include "wire/codec.h"
#include "wire/event_chain.h"

using namespace picket;
using namespace picket::bus_testing;
using wire::ErrorCode;

namespace {

// A LogStore that delegates to a real one, records batch sizes and can be told to fail.
class FaultyStore final : public LogStore {
 public:
  explicit FaultyStore(std::unique_ptr<LogStore> real) : real_(std::move(real)) {}
  LogHead Head() const override { return real_->Head(); }
  uint64_t FirstSeq() const override { return real_->FirstSeq(); }
  bool Lookup(const std::vector<EventId>& ids, std::vector<std::optional<RecordedAt>>* found,
              std::string* error) override {
    return real_->Lookup(ids, found, error);
  }
  bool Append(const std::vector<NewEvent>& events, bool sync, std::string* error) override {
    if (fail_appends) {
      *error = "injected failure";
      return false;
    }
    appended_batches.push_back(events.size());
    return real_->Append(events, sync, error);
  }
  bool Read(uint64_t from, uint32_t n, size_t bytes, std::vector<StoredEvent>* out,
            std::string* error) override {
    return real_->Read(from, n, bytes, out, error);
  }
  bool Prune(Micros a, Micros b, size_t n, PruneResult* r, std::string* error) override {
    return real_->Prune(a, b, n, r, error);
  }
  bool Flush(std::string* error) override { return real_->Flush(error); }

  bool fail_appends = false;
  std::vector<size_t> appended_batches;

 private:
  std::unique_ptr<LogStore> real_;
};

struct IngestFixture {
  explicit IngestFixture(size_t max_batch = 1024,
                         std::optional<SigningKeyPair> checkpoint_key = std::nullopt) {
    std::string error;
    auto real = OpenRocksLogStore(dir.path(), &error);
    REQUIRE(real);
    store = std::make_unique<FaultyStore>(std::move(real));
    router.set(zmq::sockopt::router_mandatory, 1);
    router.bind("inproc://ingest");
    pub.bind("inproc://events");
    IngestEndpoint::Options options;
    options.site = kSite;
    options.max_message_bytes = 1024;
    options.max_batch = max_batch;
    options.sync = false;
    options.checkpoint_key = std::move(checkpoint_key);
    options.checkpoint_every = 3;
    options.checkpoint_interval = 10 * kMicrosPerSecond;
    ingest =
        std::make_unique<IngestEndpoint>(router, pub, *store, reports, clock, metrics, options);
  }

  std::optional<Reply> Exchange(Client& c, const std::string& frame) {
    c.Send(frame);
    return PumpForReply(c, [&] { ingest->OnReadable(); });
  }

  uint64_t Rejected(ErrorCode code) { return metrics.rejected[size_t(code)]->Value(); }

  TempDir dir;
  ManualClock clock{kT0 + 1000};
  MetricsRegistry registry;
  BusMetrics metrics{registry};
  SubscriberReports reports;
  std::unique_ptr<FaultyStore> store;
  zmq::context_t ctx;
  zmq::socket_t router{ctx, zmq::socket_type::router};
  zmq::socket_t pub{ctx, zmq::socket_type::pub};
  std::unique_ptr<IngestEndpoint> ingest;
};

}  // namespace

TEST_CASE("ingest: publishes are acked with consecutive seqs and the receive time",
          "[bus][ingest]") {
  IngestFixture f;
  Client c(f.ctx, "inproc://ingest");
  for (uint32_t i = 1; i <= 3; ++i) {
    auto r = f.Exchange(c, PublishRequest(TestId(i)));
    REQUIRE(r);
    REQUIRE(r->which == wire::BusReply::ACK);
    CHECK(r->event_id == std::string(TestId(i).Bytes()));
    CHECK(r->seq == i);
    CHECK(r->recorded_at == kT0 + 1000);
    CHECK_FALSE(r->duplicate);
  }
  CHECK(f.store->Head().seq == 3);
  CHECK(f.metrics.events_recorded.Value() == 3);
}

TEST_CASE("ingest: one drain is one group commit, a duplicate inside it gets the original seq",
          "[bus][ingest]") {
  IngestFixture f;
  Client a(f.ctx, "inproc://ingest"), b(f.ctx, "inproc://ingest");
  a.Send(PublishRequest(TestId(1)));
  b.Send(PublishRequest(TestId(2)));
  b.Send(PublishRequest(TestId(1)));  // the same id again, in the same batch
  a.Send(PublishRequest(TestId(3)));
  CHECK(f.ingest->OnReadable() == 3);
  CHECK(f.store->appended_batches == std::vector<size_t>{3});
  std::vector<Reply> from_a, from_b;
  while (auto m = a.TryReceive()) from_a.push_back(ParseReply(m->back()));
  while (auto m = b.TryReceive()) from_b.push_back(ParseReply(m->back()));
  REQUIRE(from_a.size() == 2);
  REQUIRE(from_b.size() == 2);
  CHECK(from_a[0].seq == 1);
  CHECK(from_b[0].seq == 2);
  CHECK(from_b[1].seq == 1);
  CHECK(from_b[1].duplicate);
  CHECK(from_b[1].recorded_at == from_a[0].recorded_at);
  CHECK(from_a[1].seq == 3);
  CHECK(f.metrics.duplicates.Value() == 1);
  CHECK(f.metrics.batch_size.Count() == 1);
}

TEST_CASE("ingest: a batch is bounded by max_batch", "[bus][ingest]") {
  IngestFixture f(2);
  Client c(f.ctx, "inproc://ingest");
  for (uint32_t i = 1; i <= 5; ++i) c.Send(PublishRequest(TestId(i)));
  while (f.store->Head().seq < 5) f.ingest->OnReadable();
  CHECK(f.store->appended_batches == std::vector<size_t>{2, 2, 1});
}

TEST_CASE("ingest: a retried publish in a later batch gets the original ack", "[bus][ingest]") {
  IngestFixture f;
  Client c(f.ctx, "inproc://ingest");
  auto first = f.Exchange(c, PublishRequest(TestId(7)));
  f.clock.Advance(5 * kMicrosPerSecond);
  auto again = f.Exchange(c, PublishRequest(TestId(7)));
  REQUIRE(first);
  REQUIRE(again);
  CHECK(again->duplicate);
  CHECK(again->seq == first->seq);
  CHECK(again->recorded_at == first->recorded_at);
  CHECK(f.store->Head().seq == 1);
}

TEST_CASE("ingest: events are published after the write, in seq order, on their type",
          "[bus][ingest]") {
  IngestFixture f;
  zmq::socket_t sub(f.ctx, zmq::socket_type::sub);
  sub.set(zmq::sockopt::subscribe, "");
  sub.connect("inproc://events");
  // Wait until the subscription has reached the PUB socket.
  REQUIRE(WaitUntil([&] {
    PublishFrames(f.pub, "probe", "x");
    zmq::message_t m;
    if (!sub.recv(m, zmq::recv_flags::dontwait)) return false;
    (void)sub.recv(m);
    return true;
  }));
  while (true) {  // drop any extra probes
    zmq::message_t m;
    if (!sub.recv(m, zmq::recv_flags::dontwait)) break;
  }
  Client c(f.ctx, "inproc://ingest");
  c.Send(PublishRequest(TestId(1), [](wire::Event::Builder e) { e.setType("demo.a_b"); }));
  c.Send(PublishRequest(TestId(2)));
  f.ingest->OnReadable();
  for (uint64_t seq : {1, 2}) {
    zmq::message_t topic, body;
    REQUIRE(sub.recv(topic, zmq::recv_flags::dontwait));
    REQUIRE(sub.recv(body, zmq::recv_flags::dontwait));
    CHECK(topic.to_string() == (seq == 1 ? "demo.a_b" : "test.thing"));
    std::string error;
    auto msg = DecodedMessage::Decode(body.to_string_view(), &error);
    REQUIRE(msg);
    auto e = msg->Root<wire::Event>();
    CHECK(e.getSeq() == seq);
    CHECK(e.getRecordedAt() == kT0 + 1000);
    CHECK(std::string(e.getProducer().cStr()) == "p1");
  }
}

TEST_CASE("ingest: a storage failure nacks the batch unavailable and assigns nothing",
          "[bus][ingest]") {
  IngestFixture f;
  Client c(f.ctx, "inproc://ingest");
  auto before = f.Exchange(c, PublishRequest(TestId(1)));
  REQUIRE(before->seq == 1);
  f.store->fail_appends = true;
  c.Send(PublishRequest(TestId(2)));
  c.Send(PublishRequest(TestId(2)));
  c.Send(PublishRequest(TestId(1)));  // already durable: still acked
  f.ingest->OnReadable();
  std::vector<Reply> replies;
  while (auto m = c.TryReceive()) replies.push_back(ParseReply(m->back()));
  REQUIRE(replies.size() == 3);
  CHECK(replies[0].code == ErrorCode::UNAVAILABLE);
  CHECK(replies[0].event_id == std::string(TestId(2).Bytes()));
  CHECK(replies[1].code == ErrorCode::UNAVAILABLE);
  CHECK(replies[2].which == wire::BusReply::ACK);
  CHECK(replies[2].seq == 1);
  CHECK(f.store->Head().seq == 1);
  CHECK_FALSE(f.metrics.storage_ok);
  f.store->fail_appends = false;
  auto after = f.Exchange(c, PublishRequest(TestId(2)));
  CHECK(after->seq == 2);  // nothing was assigned by the failed batch
  CHECK(f.metrics.storage_ok);
}

TEST_CASE("ingest: every bad input gets its nack code while a good publisher keeps going",
          "[bus][ingest]") {
  IngestFixture f;
  Client good(f.ctx, "inproc://ingest");
  Client bad(f.ctx, "inproc://ingest");
  std::string valid = PublishRequest(TestId(1000));
  uint32_t next_good = 1;
  auto expect = [&](const std::string& frame, ErrorCode code) {
    INFO("expecting " << ErrorCodeName(code));
    bad.Send(frame);
    good.Send(PublishRequest(TestId(next_good)));
    auto nack = PumpForReply(bad, [&] { f.ingest->OnReadable(); });
    REQUIRE(nack);
    CHECK(nack->which == wire::BusReply::NACK);
    CHECK(nack->code == code);
    CHECK_FALSE(nack->message.empty());
    auto ack = PumpForReply(good, [&] { f.ingest->OnReadable(); });
    REQUIRE(ack);
    CHECK(ack->which == wire::BusReply::ACK);
    CHECK(ack->seq == next_good);
    ++next_good;
    CHECK(f.Rejected(code) >= 1);
  };
  expect("garbage!", ErrorCode::MALFORMED);
  expect("", ErrorCode::MALFORMED);
  expect("odd", ErrorCode::MALFORMED);
  expect(valid.substr(0, valid.size() / 16 * 8), ErrorCode::MALFORMED);  // truncated
  expect(std::string(1032, '\0'), ErrorCode::TOO_LARGE);                 // > 1024 bytes
  expect(ReplayRequestFrame(1, 0, 10), ErrorCode::WRONG_TYPE);
  expect(CreditFrame(1), ErrorCode::WRONG_TYPE);
  expect(Request([](wire::BusRequest::Builder r) { r.initPublish(); }), ErrorCode::MISSING_FIELD);
  expect(PublishRequest(TestId(5000), [](auto e) { e.setProducer(""); }), ErrorCode::MISSING_FIELD);
  expect(PublishRequest(TestId(5001), [](auto e) { e.setObservedAt(0); }),
         ErrorCode::MISSING_FIELD);
  expect(PublishRequest(TestId(5002), [](auto e) { e.setSeq(9); }), ErrorCode::OUT_OF_RANGE);
  expect(PublishRequest(TestId(5003), [](auto e) { e.setType("NotDotted"); }),
         ErrorCode::OUT_OF_RANGE);
  expect(PublishRequest(TestId(5004), [](auto e) { e.setSite("other-site"); }),
         ErrorCode::WRONG_SITE);
  expect(PublishRequest(TestId(5005), [](auto e) { e.setType("terminal.pass_scanned"); }),
         ErrorCode::UNKNOWN_TYPE);
  // Ten envelope frames: over the limit of eight.
  bad.SendFrames({"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", valid});
  good.Send(PublishRequest(TestId(next_good)));
  auto nack = PumpForReply(bad, [&] { f.ingest->OnReadable(); });
  REQUIRE(nack);
  CHECK(nack->code == ErrorCode::BAD_FRAMES);
  auto ack = PumpForReply(good, [&] { f.ingest->OnReadable(); });
  REQUIRE(ack);
  CHECK(ack->seq == next_good);
  CHECK(f.store->Head().seq == next_good);  // nothing bad was recorded
}

TEST_CASE("ingest: a nack carries the refused event's id when it could be read", "[bus][ingest]") {
  IngestFixture f;
  Client c(f.ctx, "inproc://ingest");
  auto r = f.Exchange(c, PublishRequest(TestId(9), [](auto e) { e.setSite("x"); }));
  CHECK(r->code == ErrorCode::WRONG_SITE);
  CHECK(r->event_id == std::string(TestId(9).Bytes()));
}

// Issue 9: a too-large publish was nacked without its id, so a pipelining publisher could
// not match the refusal and re-sent until it gave up with "no answer".
TEST_CASE("ingest: a too-large publish is nacked with its event id", "[bus][ingest]") {
  IngestFixture f;  // max_message_bytes = 1024
  Client c(f.ctx, "inproc://ingest");
  const std::string id(TestId(11).Bytes());
  // Size is checked first, so what makes it large does not matter.
  auto big = PublishRequest(TestId(11), [](wire::Event::Builder e) {
    e.getBody().initAs<capnp::List<capnp::Text>>(1).set(0, std::string(2000, 'x'));
  });
  REQUIRE(big.size() > 1024);
  auto r = f.Exchange(c, big);
  REQUIRE(r);
  CHECK(r->code == ErrorCode::TOO_LARGE);
  CHECK(r->event_id == id);
  CHECK_THAT(r->message, Catch::Contains("max_message_bytes (1024)"));
}

TEST_CASE("ingest: a nack names the event of a frame refused before it is decoded",
          "[bus][ingest]") {
  IngestFixture f;
  Client c(f.ctx, "inproc://ingest");
  const std::string valid = PublishRequest(TestId(12));
  const std::string id(TestId(12).Bytes());
  auto trailing = f.Exchange(c, valid + std::string(8, '\0'));
  REQUIRE(trailing);
  CHECK(trailing->code == ErrorCode::MALFORMED);
  CHECK(trailing->event_id == id);

  c.SendFrames({"1", "2", "3", "4", "5", "6", "7", "8", "9", valid});
  auto bad_frames = PumpForReply(c, [&] { f.ingest->OnReadable(); });
  REQUIRE(bad_frames);
  CHECK(bad_frames->code == ErrorCode::BAD_FRAMES);
  CHECK(bad_frames->event_id == id);

  auto truncated = f.Exchange(c, valid.substr(0, valid.size() - 16));  // unreadable: no id
  REQUIRE(truncated);
  CHECK(truncated->code == ErrorCode::MALFORMED);
  CHECK(truncated->event_id.empty());
  CHECK(f.store->Head().seq == 0);
}

TEST_CASE("ingest: envelope frames are echoed, so REQ clients work", "[bus][ingest]") {
  IngestFixture f;
  Client req(f.ctx, "inproc://ingest", zmq::socket_type::req);
  auto r = f.Exchange(req, PublishRequest(TestId(1)));
  REQUIRE(r);
  CHECK(r->seq == 1);
  Client dealer(f.ctx, "inproc://ingest");
  dealer.SendFrames({"hop1", "", PublishRequest(TestId(2))});
  std::optional<std::vector<std::string>> frames;
  REQUIRE(WaitUntil([&] {
    f.ingest->OnReadable();
    return (frames = dealer.TryReceive()).has_value();
  }));
  REQUIRE(frames->size() == 3);
  CHECK((*frames)[0] == "hop1");
  CHECK((*frames)[1] == "");
  CHECK(ParseReply((*frames)[2]).seq == 2);
}

TEST_CASE("ingest: status on ingest reports the head", "[bus][ingest]") {
  IngestFixture f;
  Client c(f.ctx, "inproc://ingest");
  f.Exchange(c, PublishRequest(TestId(1)));
  f.reports.Record("picket-access", 1, kT0);
  auto r = f.Exchange(c, Request([](auto r) { r.setStatus(); }));
  REQUIRE(r->which == wire::BusReply::STATUS);
  CHECK(r->head_seq == 1);
  CHECK(r->first_seq == 1);
  CHECK(r->subscribers == std::vector<std::pair<std::string, uint64_t>>{{"picket-access", 1}});
}

TEST_CASE(
    "ingest: at most 20 refusals per 10 s are logged, then one line gives the count of the "
    "rest once the window is over",
    "[bus][ingest]") {
  std::ostringstream log;
  struct CaptureLog {  // the default logger writes to `log` for the test's length
    explicit CaptureLog(std::ostringstream& out) {
      spdlog::set_default_logger(std::make_shared<spdlog::logger>(
          "capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(out)));
    }
    ~CaptureLog() { spdlog::set_default_logger(previous); }
    std::shared_ptr<spdlog::logger> previous = spdlog::default_logger();
  } capture(log);
  IngestFixture f;
  Client c(f.ctx, "inproc://ingest");
  auto count = [&](const std::string& text) {
    size_t n = 0;
    for (size_t at = log.str().find(text); at != std::string::npos;
         at = log.str().find(text, at + 1))
      ++n;
    return n;
  };
  for (int i = 0; i < 25; ++i) {
    auto r = f.Exchange(c, "garbage!");
    REQUIRE(r);
    CHECK(r->code == ErrorCode::MALFORMED);
  }
  CHECK(f.Rejected(ErrorCode::MALFORMED) == 25);  // counted, every one
  CHECK(count("refused a request (malformed)") == 20);
  f.ingest->ReportUnloggedRefusals();  // the window is not over: nothing yet
  CHECK(count("more refusals were not logged") == 0);

  f.clock.Advance(kRefusalLogWindow);
  f.ingest->ReportUnloggedRefusals();
  CHECK(count("ingest: 5 more refusals were not logged") == 1);
  f.ingest->ReportUnloggedRefusals();  // once
  REQUIRE(f.Exchange(c, "garbage!"));  // the next refusal is logged, without the count again
  CHECK(count("more refusals were not logged") == 1);
  CHECK(count("refused a request (malformed)") == 21);
}

namespace {

// Every stored event from seq 1: its prevHash and its own chain hash.
std::vector<std::pair<std::optional<ChainHash>, ChainHash>> StoredChain(LogStore& store) {
  std::vector<StoredEvent> stored;
  std::string error;
  REQUIRE(store.Read(1, 1000, std::numeric_limits<size_t>::max(), &stored, &error));
  std::vector<std::pair<std::optional<ChainHash>, ChainHash>> chain;
  for (const auto& s : stored) {
    auto msg = DecodedMessage::Decode(s.bytes, &error);
    REQUIRE(msg);
    auto e = msg->Root<wire::Event>();
    chain.emplace_back(PrevHashOf(e), ChainHashOf(e));
  }
  return chain;
}

}  // namespace

TEST_CASE(
    "ingest: every recorded event carries the chain hash of the one before it, across group "
    "commits, a failed write and a restart",
    "[bus][ingest][chain]") {
  IngestFixture f;
  Client c(f.ctx, "inproc://ingest");
  for (uint32_t i = 1; i <= 3; ++i) c.Send(PublishRequest(TestId(i)));
  CHECK(f.ingest->OnReadable() == 3);  // one group commit
  while (c.TryReceive()) {
  }
  REQUIRE(f.Exchange(c, PublishRequest(TestId(4))));
  f.store->fail_appends = true;  // nothing written: the chain must not move on
  auto refused = f.Exchange(c, PublishRequest(TestId(5)));
  REQUIRE(refused);
  CHECK(refused->code == ErrorCode::UNAVAILABLE);
  f.store->fail_appends = false;
  // The bus restarts: a new endpoint over the same log takes the chain up from the head.
  IngestEndpoint::Options options;
  options.site = kSite;
  options.max_message_bytes = 1024;
  options.sync = false;
  f.ingest = std::make_unique<IngestEndpoint>(f.router, f.pub, *f.store, f.reports, f.clock,
                                              f.metrics, options);
  REQUIRE(f.Exchange(c, PublishRequest(TestId(5))));
  REQUIRE(f.Exchange(c, PublishRequest(TestId(6))));

  auto chain = StoredChain(*f.store);
  REQUIRE(chain.size() == 6);
  CHECK(chain[0].first == kChainGenesis);
  for (size_t i = 1; i < chain.size(); ++i) {
    INFO("seq " << i + 1);
    CHECK(chain[i].first == chain[i - 1].second);
  }
}

TEST_CASE(
    "ingest: with a checkpoint key, the chain's tip is signed every N events and after "
    "an interval",
    "[bus][ingest][checkpoint]") {
  const SigningKeyPair key = NewSigningKeyPair("bus-checkpoint");
  IngestFixture f(1024, key);
  Client c(f.ctx, "inproc://ingest");
  auto read = [&](uint64_t seq) {
    std::vector<StoredEvent> stored;
    std::string error;
    REQUIRE(f.store->Read(seq, 1, SIZE_MAX, &stored, &error));
    REQUIRE(stored.size() == 1);
    return stored[0].bytes;
  };
  auto prev_hash_of = [&](uint64_t seq) {
    std::string error;
    const std::string bytes = read(seq);  // outlives the message that points into it
    auto msg = DecodedMessage::Decode(bytes, &error);
    return *PrevHashOf(msg->Root<wire::Event>());
  };
  auto hash_of = [&](uint64_t seq) {
    std::string error;
    const std::string bytes = read(seq);  // outlives the message that points into it
    auto msg = DecodedMessage::Decode(bytes, &error);
    return ChainHashOf(msg->Root<wire::Event>());
  };
  // Three events: the third brings the count to checkpoint_every, so #4 is a checkpoint.
  for (uint32_t i = 1; i <= 3; ++i) REQUIRE(f.Exchange(c, PublishRequest(TestId(i))));
  REQUIRE(f.store->Head().seq == 4);
  {
    std::string error;
    const std::string bytes = read(4);
    auto msg = DecodedMessage::Decode(bytes, &error);
    auto e = msg->Root<wire::Event>();
    CHECK(std::string(e.getType().cStr()) == "bus.checkpoint");
    CHECK(std::string(e.getProducer().cStr()) == "bus");
    auto body = e.getBody().getAs<wire::ChainCheckpoint>();
    CHECK(body.getUpTo() == 3);
    ChainHash tip{};
    REQUIRE(body.getTipHash().size() == tip.size());
    std::copy(body.getTipHash().begin(), body.getTipHash().end(), tip.begin());
    CHECK(tip == hash_of(3));
    CHECK(prev_hash_of(4) == tip);  // chained like any event
    CheckpointSignature sig{};
    REQUIRE(body.getSignature().size() == sig.size());
    std::copy(body.getSignature().begin(), body.getSignature().end(), sig.begin());
    CHECK(CheckpointSignatureValid(key.public_key, kSite, 3, tip, sig));
  }
  // One more event: not due by count, nor by time until the interval has passed.
  REQUIRE(f.Exchange(c, PublishRequest(TestId(5))));
  CHECK(f.store->Head().seq == 5);
  f.clock.Advance(9 * kMicrosPerSecond);
  f.ingest->CheckpointIfDue();
  CHECK(f.store->Head().seq == 5);
  f.clock.Advance(1 * kMicrosPerSecond);
  f.ingest->CheckpointIfDue();
  REQUIRE(f.store->Head().seq == 6);
  // Nothing new: no further checkpoint however long it is quiet.
  f.clock.Advance(100 * kMicrosPerSecond);
  f.ingest->CheckpointIfDue();
  CHECK(f.store->Head().seq == 6);
  // The next publish links to the checkpoint.
  auto r = f.Exchange(c, PublishRequest(TestId(7)));
  REQUIRE(r);
  CHECK(r->seq == 7);
  CHECK(prev_hash_of(7) == hash_of(6));
}
