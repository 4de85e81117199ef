// Durable jobs after commit: work a handler decides on inside its apply (send a webhook,
// pulse a gate relay) that must not run on the loop and must not be lost.
//
//   handler, inside an apply ──ctx.StartJob(queue, id, payload)──► job row (same batch)
//   the batch commits ──► the JobRunner reads the committed row ──► a worker runs `run`
//   `run`'s result ──Post──► one apply: `done(ctx, job, result)` + the row deleted (Done)
//                                      or kept with tries+1 and a backoff (Retry)
//   ctx.CancelJob(queue, id) ──► queued or waiting: never runs, `cancelled(ctx, job)`
//                                running: finishes, `done` applies (a Retry is not made)
//   service start ──► every row left is run again (or cancelled, if marked)
//
// Still wanted? A queue with `wanted` judges each run on the loop before handing it to a
// worker: the bus's head is read (runtime/head_probe.h: one status query shared by every
// job checked at the time) and `wanted` is asked on the state once the service has applied
// the log up to it. False: the job is withheld, `run` is not called and `withheld(ctx, job)`
// is applied instead (the row deleted). So a job is not run for a cause the log withdrew
// before the bus answered that status query. If the bus does not answer, or the service
// does not reach its head within `fresh_within` (real time), `wanted` is asked on what is
// applied: false withholds, true runs it (counted as unchecked): for work such as a page a
// run that might be unneeded beats none. No worker waits for a verdict.
//
// Guarantees:
//   - a job runs only after the apply that started it has committed (never for an apply
//     that failed or rolled back);
//   - its result is applied exactly once, in one batch with whatever `done` writes and
//     emits; a result of a replaced (StartJob again) or deleted job is ignored;
//   - at least once towards the outside: a crash between `run` and the apply of its result
//     runs the job again at the next start, with the same id and payload (so the work
//     should carry an idempotency key derived from them);
//   - a result that cannot be stored (a storage fault) is applied again after a pause,
//     never dropped; a `run` that throws counts as JobNext::Retry();
//   - a job still being judged when the runner stops is not run: its row stays for the
//     next start.
//
// Threads: `run` runs on the queue's workers and must only compute (it gets a copy of the
// job); `done` and `cancelled` run on the loop, inside an apply.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "runtime/event_loop.h"
#include "runtime/head_probe.h"
#include "runtime/log_limiter.h"
#include "runtime/metrics.h"
#include "runtime/service_store.h"
#include "runtime/steady_timers.h"
#include "runtime/worker_pool.h"

namespace picket {

class ServiceHost;

// A job as `run`, `done` and `cancelled` see it.
struct Job {
  std::string queue;
  std::string id;
  std::string payload;
  uint32_t tries = 0;  // earlier runs of it that ended in a retry
};

// What `done` decides after a run.
struct JobNext {
  bool retry = false;
  Micros after = -1;  // a retry's wait; < 0: the queue's backoff for this try
  static JobNext Done() { return {}; }
  static JobNext Retry(Micros after = -1) { return {true, after}; }
};

// The wait before try n (n >= 1): initial * 2^(n-1), at most max.
struct JobBackoff {
  Micros initial = kMicrosPerSecond;
  Micros max = 300 * kMicrosPerSecond;
  Micros For(uint32_t tries) const;
};

// One queue of jobs and what its jobs do; `Result` is what `run` hands to `done`.
template <typename Result>
struct JobQueueSpec {
  std::string name;  // at most 255 bytes; the queue of ctx.StartJob
  size_t threads = 1;
  std::function<Result(const Job&)> run = nullptr;                                  // worker
  std::function<JobNext(ApplyContext&, const Job&, const Result&)> done = nullptr;  // loop
  std::function<void(ApplyContext&, const Job&)> cancelled = nullptr;  // loop; may be unset
  JobBackoff backoff = {};
  // Optional (see "Still wanted?" above): judged on the loop, on a read-only view of the
  // state as of the bus's head; `withheld` applies when it says false (may be unset).
  std::function<bool(Txn& state, const Job&)> wanted = nullptr;
  std::function<void(ApplyContext&, const Job&)> withheld = nullptr;
  Micros fresh_within = 5 * kMicrosPerSecond;  // real time the verdict may take
};

class JobRunner {
 public:
  // What a worker hands back: applies the run's result (nullptr: the run threw).
  using Applier = std::function<JobNext(ApplyContext&, const Job&)>;
  struct Queue {
    std::string name;
    size_t threads = 1;
    std::function<Applier(const Job&)> work = nullptr;
    std::function<void(ApplyContext&, const Job&)> cancelled = nullptr;
    JobBackoff backoff = {};
    std::function<bool(Txn& state, const Job&)> wanted = nullptr;
    std::function<void(ApplyContext&, const Job&)> withheld = nullptr;
    Micros fresh_within = 0;
  };

  template <typename Result>
  static Queue Erase(JobQueueSpec<Result> spec) {
    Queue q{std::move(spec.name),      spec.threads,     nullptr,
            std::move(spec.cancelled), spec.backoff,     std::move(spec.wanted),
            std::move(spec.withheld),  spec.fresh_within};
    q.work = [run = std::move(spec.run), done = std::move(spec.done)](const Job& job) -> Applier {
      return [result = run(job), done](ApplyContext& ctx, const Job& j) {
        return done(ctx, j, result);
      };
    };
    return q;
  }

  explicit JobRunner(ServiceHost& host);
  ~JobRunner();  // Stop()
  JobRunner(const JobRunner&) = delete;
  JobRunner& operator=(const JobRunner&) = delete;

  // Registers a queue and starts its workers. Before Start.
  void Add(Queue queue);
  // Hooks the store's commits and resumes every job row left by an earlier run. On the
  // loop's thread, once the store is open and the publisher runs.
  void Start();
  // Stops the workers: running jobs finish (their results are not applied), queued ones
  // stay in the store for the next start.
  void Stop();

 private:
  struct Entry {
    uint64_t token = 0;
    uint32_t tries = 0;
    bool in_pool = false;  // handed to the workers (queued or running)
    bool recheck = false;  // the row changed while it ran: reconcile once it is back
    uint64_t check = 0;    // != 0: being judged (`wanted`), not yet handed to a worker
    SteadyTimers::Id check_deadline = 0;
    EventLoop::TimerId timer = 0;
    Micros handed_at = 0;
  };
  struct QueueState {
    Queue spec;
    std::unique_ptr<WorkerPool> pool;
    Counter* started = nullptr;
    Counter* done = nullptr;
    Counter* retried = nullptr;
    Counter* threw = nullptr;
    Counter* cancelled = nullptr;
    Counter* resumed = nullptr;
    Counter* withheld = nullptr;
    Counter* unchecked = nullptr;
    Gauge* running = nullptr;
    Histogram* seconds = nullptr;
    size_t in_pool = 0;
    void Running(int delta) {
      in_pool += delta;
      running->Set(static_cast<double>(in_pool));
    }
  };

  // Brings the runner in line with the job's committed row (key = store_keys::JobKey).
  void Reconcile(const std::string& key);
  void Hand(const std::string& key, QueueState& q, const Job& job, uint64_t token);
  void Submit(const std::string& key, QueueState& q, const Job& job, uint64_t token);
  // Still wanted? Asks the bus's head, then `Verdict` once it is applied (`confirmed`) or
  // when the bus did not answer or fresh_within passed (judged on what is applied).
  void Check(const std::string& key, const Job& job, Micros within);
  void Verdict(const std::string& key, uint64_t check, const Job& job, bool confirmed);
  void Finished(const std::string& key, uint64_t token, const Applier& applier,
                const std::string& why);
  void ApplyCancel(const std::string& key, QueueState& q, const Job& job, uint64_t token);
  void RetryLater(const std::string& key);
  QueueState* Find(const std::string& queue);

  ServiceHost& host_;
  std::map<std::string, QueueState, std::less<>> queues_;
  std::map<std::string, Entry> entries_;  // by job key: jobs in the pool or waiting
  std::vector<std::string> pending_;      // keys committed since the last reconcile
  LogLimiter log_{5, 60 * kMicrosPerSecond};
  std::unique_ptr<SteadyTimers> timers_;  // set at Start if a queue has `wanted`
  std::unique_ptr<HeadProbe> probe_;      // (destroyed before timers_)
  uint64_t checks_ = 0;
  bool started_ = false;
  bool stopped_ = false;
};

}  // namespace picket
