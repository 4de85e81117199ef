// Durable jobs on a real ServiceHost (runtime/job_runner.h): a real RocksDB, a scripted bus,
// a hand-moved clock, real worker threads. The service under test starts a job per
// `test.start` event (id and payload: the event's producer, whose prefix says how the run
// behaves) and cancels it on `test.cancel`; `done` counts and emits `test.job_done`. With
// the still-wanted check on, a job is wanted until a `test.unwant` of its id is applied.
#include "runtime/job_runner.h"

#include <catch2/catch.hpp>

#include <condition_variable>
#include <map>
#include <mutex>
#include <stdexcept>

#include "runtime/service_host.h"
#include "testing/service_harness.h"
#include "wire/codec.h"

namespace picket {
namespace {

using std::chrono::milliseconds;
using testing::kTestTime;
using testing::MakeEvent;
using testing::ScratchDir;
using testing::ServiceHarness;

// What the workers saw, shared with the test thread.
class Runs {
 public:
  // Called by `run` on a worker: records the try; a "block-" job waits for Release.
  std::string Run(const Job& job) {
    std::unique_lock<std::mutex> lock(mu_);
    tries_[job.id].push_back(job.tries);
    payloads_[job.id] = job.payload;
    cv_.notify_all();
    if (job.id.rfind("block-", 0) == 0) cv_.wait(lock, [&] { return released_; });
    if (job.id.rfind("throw-", 0) == 0 && job.tries == 0) throw std::runtime_error("boom");
    if (job.id.rfind("retry-", 0) == 0 && job.tries < 2) return "retry";
    return "ok " + job.payload;
  }
  void Release() {
    std::lock_guard<std::mutex> lock(mu_);
    released_ = true;
    cv_.notify_all();
  }
  size_t Count(const std::string& id) {
    std::lock_guard<std::mutex> lock(mu_);
    return tries_[id].size();
  }
  std::vector<uint32_t> Tries(const std::string& id) {
    std::lock_guard<std::mutex> lock(mu_);
    return tries_[id];
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, std::vector<uint32_t>> tries_;
  std::map<std::string, std::string> payloads_;
  bool released_ = false;
};

uint64_t Count(Txn& txn, const std::string& key) {
  auto v = txn.Get("counts", key);
  return v ? std::stoull(*v) : 0;
}
uint64_t Count(ServiceStore& store, const std::string& key) {
  auto v = store.Get("counts", key);
  return v ? std::stoull(*v) : 0;
}
void Bump(Txn& txn, const std::string& key) {
  txn.Put("counts", key, std::to_string(Count(txn, key) + 1));
}

void Emit(ApplyContext& ctx, const std::string& type, const std::string& actor) {
  auto e = ctx.Emit();
  e.setType(type);
  e.setObservedAt(kTestTime);
  e.setActor(actor);
}

// `fresh_within` > 0: the queue checks that a job is still wanted before each run.
void Wire(ServiceHost& host, Runs& runs, size_t threads = 2, Micros fresh_within = 0) {
  host.SetEventHandler([](ApplyContext& ctx, wire::Event::Reader event) {
    std::string_view type = event.getType().cStr();
    std::string id = event.getProducer().cStr();
    if (type == "test.start") ctx.StartJob("q", id, "payload of " + id);
    if (type == "test.cancel") ctx.CancelJob("q", id);
    if (type == "test.unwant") Bump(ctx.state(), "unwanted/" + id);
  });
  JobQueueSpec<std::string> spec;
  spec.name = "q";
  spec.threads = threads;
  spec.backoff = {10 * kMicrosPerSecond, 40 * kMicrosPerSecond};
  spec.run = [&runs](const Job& job) { return runs.Run(job); };
  spec.done = [](ApplyContext& ctx, const Job& job, const std::string& result) {
    Bump(ctx.state(), "done/" + job.id);
    Emit(ctx, "test.job_done", job.id);
    return result == "retry" ? JobNext::Retry() : JobNext::Done();
  };
  spec.cancelled = [](ApplyContext& ctx, const Job& job) {
    Bump(ctx.state(), "cancelled/" + job.id);
    Emit(ctx, "test.job_cancelled", job.id);
  };
  if (fresh_within > 0) {
    spec.wanted = [](Txn& state, const Job& job) {
      return Count(state, "unwanted/" + job.id) == 0;
    };
    spec.withheld = [](ApplyContext& ctx, const Job& job) {
      Bump(ctx.state(), "withheld/" + job.id);
      Emit(ctx, "test.job_withheld", job.id);
    };
    spec.fresh_within = fresh_within;
  }
  host.AddJobQueue(std::move(spec));
}

ServiceHostOptions Options() {
  ServiceHostOptions o;
  o.name = "picket-jobs-test";
  o.tables = {"counts"};
  return o;
}

// The derived events of `type` on the bus, by actor.
std::vector<std::string> Derived(const ServiceHarness& h, std::string_view type) {
  std::vector<std::string> out;
  for (const auto& frame : h.Derived()) {
    std::string error;
    auto msg = DecodedMessage::Decode(frame, &error);
    auto e = msg->Root<wire::Event>();
    if (std::string_view(e.getType().cStr()) == type) out.emplace_back(e.getActor().cStr());
  }
  return out;
}

bool HasJob(ServiceHost& host, const std::string& id) {
  return host.store().GetJob(store_keys::EncodeJobKey("q", id)).has_value();
}

std::string Start(const std::string& id) { return MakeEvent(EventId::Random(), "test.start", id); }
std::string Cancel(const std::string& id) {
  return MakeEvent(EventId::Random(), "test.cancel", id);
}
std::string Unwant(const std::string& id) {
  return MakeEvent(EventId::Random(), "test.unwant", id);
}

const std::string kQueue = "{queue=\"q\"";

}  // namespace

TEST_CASE("jobs: a job started in an apply runs after its commit and its result applies once",
          "[jobs]") {
  ServiceHarness h(Options());
  Runs runs;
  Wire(h.host(), runs);
  REQUIRE(h.Start());
  h.Publish(Start("ok-1"));
  REQUIRE(h.Settle([&] { return Derived(h, "test.job_done").size() == 1; }));
  CHECK(runs.Tries("ok-1") == std::vector<uint32_t>{0});
  CHECK(Count(h.host().store(), "done/ok-1") == 1);
  CHECK_FALSE(HasJob(h.host(), "ok-1"));  // done: the row went with the result
  CHECK(h.Metric("picket_service_jobs_finished_total" + kQueue + ",next=\"done\"}") == 1);
  CHECK(h.Metric("picket_service_jobs_running" + kQueue + "}") == 0);
  // Nothing more comes of it.
  REQUIRE(h.Advance(3600 * kMicrosPerSecond));
  CHECK(runs.Count("ok-1") == 1);
  CHECK(Derived(h, "test.job_done").size() == 1);
}

TEST_CASE("jobs: a retry waits for the queue's backoff, and a run that throws is retried",
          "[jobs]") {
  ServiceHarness h(Options());
  Runs runs;
  Wire(h.host(), runs);
  REQUIRE(h.Start());
  h.Publish(Start("retry-1"));
  h.Publish(Start("throw-1"));
  REQUIRE(h.Settle([&] { return runs.Count("retry-1") == 1 && runs.Count("throw-1") == 1; }));
  REQUIRE(h.Settle([&] { return Derived(h, "test.job_done").size() == 1; }));
  // Both results applied before the clock moves: a retry waits from when its failure was
  // applied, so a throw still on its way back would be due later than 10 s.
  auto tries_of = [&](const std::string& id) {
    auto job = h.host().store().GetJob(store_keys::EncodeJobKey("q", id));
    return job ? job->tries : 0u;
  };
  REQUIRE(h.Settle([&] { return tries_of("retry-1") == 1 && tries_of("throw-1") == 1; }));
  // The retry row stays, waiting 10 s (try 1); nothing runs before.
  auto row = h.host().store().GetJob(store_keys::EncodeJobKey("q", "retry-1"));
  REQUIRE(row);
  CHECK(row->tries == 1);
  CHECK(row->not_before == kTestTime + 10 * kMicrosPerSecond);
  REQUIRE(h.Advance(9 * kMicrosPerSecond));
  CHECK(runs.Count("retry-1") == 1);
  CHECK(runs.Count("throw-1") == 1);
  // Try 1 of each at 10 s; the thrower then succeeds, retry-1 waits 20 s more.
  REQUIRE(h.Advance(1 * kMicrosPerSecond));
  REQUIRE(h.Settle([&] { return runs.Count("retry-1") == 2 && !HasJob(h.host(), "throw-1"); }));
  REQUIRE(h.Advance(19 * kMicrosPerSecond));
  CHECK(runs.Count("retry-1") == 2);
  REQUIRE(h.Advance(1 * kMicrosPerSecond));
  REQUIRE(h.Settle([&] { return !HasJob(h.host(), "retry-1"); }));
  CHECK(runs.Tries("retry-1") == std::vector<uint32_t>{0, 1, 2});
  CHECK(runs.Tries("throw-1") == std::vector<uint32_t>{0, 1});
  CHECK(Count(h.host().store(), "done/retry-1") == 3);
  CHECK(Count(h.host().store(), "done/throw-1") == 1);  // a throw applies no result
  CHECK(h.Metric("picket_service_jobs_failed_total" + kQueue + "}") == 1);
  CHECK(h.Metric("picket_service_jobs_finished_total" + kQueue + ",next=\"retry\"}") == 3);
  CHECK(h.Metric("picket_service_jobs_finished_total" + kQueue + ",next=\"done\"}") == 2);
}

TEST_CASE("jobs: a cancelled job no worker took never runs, a running one finishes without a retry",
          "[jobs]") {
  ServiceHarness h(Options());
  Runs runs;
  Wire(h.host(), runs, /*threads=*/1);
  REQUIRE(h.Start());
  h.Publish(Start("block-1"));  // holds the only worker
  h.Publish(Start("ok-2"));     // queued behind it
  REQUIRE(h.Settle([&] { return runs.Count("block-1") == 1; }));
  h.Publish(Cancel("ok-2"));
  REQUIRE(h.Settle([&] { return Derived(h, "test.job_cancelled").size() == 1; }));
  CHECK(Count(h.host().store(), "cancelled/ok-2") == 1);
  CHECK_FALSE(HasJob(h.host(), "ok-2"));
  CHECK(h.Metric("picket_service_jobs_cancelled_total" + kQueue + "}") == 1);

  // Cancelling the running job: it finishes, its result is applied, no retry follows.
  h.Publish(Cancel("block-1"));
  REQUIRE(h.Settle());
  CHECK(HasJob(h.host(), "block-1"));  // marked, still running
  runs.Release();
  REQUIRE(h.Settle([&] { return !HasJob(h.host(), "block-1"); }));
  CHECK(Count(h.host().store(), "done/block-1") == 1);
  REQUIRE(h.Advance(3600 * kMicrosPerSecond));
  CHECK(runs.Count("block-1") == 1);
  CHECK(runs.Count("ok-2") == 0);
  CHECK(Derived(h, "test.job_cancelled") == std::vector<std::string>{"ok-2"});
}

TEST_CASE("jobs: a job whose result was never applied runs again at the next start", "[jobs]") {
  ScratchDir dir;
  zmq::context_t ctx;
  testing::ScriptedBus bus(ctx);
  ManualClock clock(kTestTime);
  SiteConfig site;
  site.id = "test-site";
  site.bus.ingest = bus.ingest_endpoint;
  site.bus.events = bus.events_endpoint;
  site.bus.replay = bus.replay_endpoint;
  ServiceHostOptions options = Options();
  options.data_dir = dir.path();
  options.handle_signals = false;
  auto pump = [&] {
    bus.Pump();
    bus.Heartbeat();
  };
  bus.RecordEvent(Start("block-2"));
  {
    Runs runs;
    ServiceHost host(site, options, clock);
    REQUIRE(host.Open(&dir.error));
    Wire(host, runs);
    REQUIRE(host.Start(&dir.error));
    REQUIRE(testing::RunUntil(
        host.loop(), [&] { return runs.Count("block-2") == 1; }, milliseconds(10000), pump));
    runs.Release();  // ends the run; its result is posted to a loop nobody drives again
  }                  // as a crash before the result was applied
  Runs runs;
  ServiceHost host(site, options, clock);
  REQUIRE(host.Open(&dir.error));
  Wire(host, runs);
  CHECK(Count(host.store(), "done/block-2") == 0);
  REQUIRE(host.Start(&dir.error));
  runs.Release();
  REQUIRE(testing::RunUntil(
      host.loop(), [&] { return !HasJob(host, "block-2"); }, milliseconds(10000), pump));
  CHECK(runs.Tries("block-2") == std::vector<uint32_t>{0});
  CHECK(Count(host.store(), "done/block-2") == 1);
  CHECK(host.metrics().Render().find("picket_service_jobs_resumed_total{queue=\"q\"} 1") !=
        std::string::npos);
}

TEST_CASE("jobs: a job started by an input that rolled back never runs", "[jobs]") {
  ServiceHarness h(Options());
  Runs runs;
  Wire(h.host(), runs);
  REQUIRE(h.Start());
  auto batch = h.host().store().Begin();
  std::string error;
  auto failed = batch->AddLocal(
      "test/fails",
      [](ApplyContext& ctx) {
        ctx.StartJob("q", "ok-never", "x");
        throw StoreError("a storage fault");
      },
      &error);
  CHECK(failed == ApplyResult::kFailed);
  auto kept = batch->AddLocal(
      "test/kept", [](ApplyContext& ctx) { ctx.StartJob("q", "ok-kept", "y"); }, &error);
  REQUIRE(kept == ApplyResult::kApplied);
  REQUIRE(batch->Commit(nullptr, &error));
  REQUIRE(h.Settle([&] { return !HasJob(h.host(), "ok-kept"); }));
  CHECK(runs.Count("ok-kept") == 1);
  CHECK(runs.Count("ok-never") == 0);
  CHECK_FALSE(HasJob(h.host(), "ok-never"));
}

}  // namespace picket

namespace picket {

TEST_CASE(
    "jobs: a job the log withdrew before the bus answered the worker's status query is "
    "withheld, never run",
    "[jobs][fresh]") {
  ServiceHarness h(Options());
  Runs runs;
  Wire(h.host(), runs, 2, 5 * kMicrosPerSecond);
  REQUIRE(h.Start());
  auto& bus = h.bus();
  bus.answer_status = false;  // the worker's status query waits until answered below
  h.Publish(Start("ok-1"));
  REQUIRE(h.RunUntil([&] { return bus.status_requests == 1; }, milliseconds(10000)));
  // The withdrawal is on the bus, not yet applied, when the bus answers: the worker waits
  // until the service has applied it, and sees it.
  bus.RecordEvent(Unwant("ok-1"));
  bus.AnswerStatus();
  bus.answer_status = true;
  REQUIRE(h.Settle([&] { return Derived(h, "test.job_withheld").size() == 1; }));
  CHECK(runs.Count("ok-1") == 0);
  CHECK(Count(h.host().store(), "withheld/ok-1") == 1);
  CHECK(Count(h.host().store(), "done/ok-1") == 0);
  CHECK_FALSE(HasJob(h.host(), "ok-1"));
  CHECK(h.Metric("picket_service_jobs_withheld_total" + kQueue + "}") == 1);
  CHECK(h.Metric("picket_service_jobs_unchecked_total" + kQueue + "}") == 0);
  REQUIRE(h.Advance(3600 * kMicrosPerSecond));
  CHECK(runs.Count("ok-1") == 0);
}

TEST_CASE("jobs: a job still wanted at the bus's head runs", "[jobs][fresh]") {
  ServiceHarness h(Options());
  Runs runs;
  Wire(h.host(), runs, 2, 5 * kMicrosPerSecond);
  REQUIRE(h.Start());
  h.Publish(Unwant("other"));  // withdraws another job, not this one
  h.Publish(Start("ok-2"));
  REQUIRE(h.Settle([&] { return Derived(h, "test.job_done").size() == 1; }));
  CHECK(runs.Tries("ok-2") == std::vector<uint32_t>{0});
  CHECK(h.bus().status_requests == 1);
  CHECK(h.Metric("picket_service_jobs_withheld_total" + kQueue + "}") == 0);
  CHECK(h.Metric("picket_service_jobs_unchecked_total" + kQueue + "}") == 0);
}

TEST_CASE(
    "jobs: jobs judged at the same time share the bus's status queries, and each gets its "
    "own verdict",
    "[jobs][fresh]") {
  ServiceHarness h(Options());
  Runs runs;
  Wire(h.host(), runs, 2, 5 * kMicrosPerSecond);
  REQUIRE(h.Start());
  h.bus().answer_status = false;  // the first query waits until every job is being judged
  for (int i = 0; i < 40; ++i) h.Publish(Start("ok-" + std::to_string(i)));
  h.Publish(Unwant("ok-7"));
  REQUIRE(h.RunUntil([&] { return h.host().applied_through() == h.bus().head(); },
                     milliseconds(10000)));
  CHECK(runs.Count("ok-0") == 0);  // nothing runs before its verdict
  h.bus().AnswerStatus();
  h.bus().answer_status = true;
  REQUIRE(h.Settle([&] {
    return Derived(h, "test.job_done").size() == 39 && Derived(h, "test.job_withheld").size() == 1;
  }));
  CHECK(runs.Count("ok-7") == 0);
  CHECK(runs.Count("ok-39") == 1);
  // The first query, and one that every job asking while it was in flight shared.
  CHECK(h.bus().status_requests <= 2);
  CHECK(h.Metric("picket_service_jobs_withheld_total" + kQueue + "}") == 1);
  CHECK(h.Metric("picket_service_jobs_unchecked_total" + kQueue + "}") == 0);
}

TEST_CASE("jobs: when the bus does not answer the status query in time, the job runs unchecked",
          "[jobs][fresh]") {
  ServiceHarness h(Options());
  Runs runs;
  Wire(h.host(), runs, 2, 200 * kMicrosPerMilli);
  REQUIRE(h.Start());
  h.bus().answer_status = false;
  h.Publish(Start("ok-3"));
  REQUIRE(h.Settle([&] { return Derived(h, "test.job_done").size() == 1; }));
  CHECK(runs.Count("ok-3") == 1);
  CHECK(h.Metric("picket_service_jobs_unchecked_total" + kQueue + "}") == 1);
  // ... but one the applied log already withdrew is withheld even then.
  h.Publish(Start("ok-4"));
  h.Publish(Unwant("ok-4"));
  REQUIRE(h.Settle([&] { return Derived(h, "test.job_withheld").size() == 1; }));
  CHECK(runs.Count("ok-4") == 0);
}

}  // namespace picket
