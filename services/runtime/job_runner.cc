#include "runtime/job_runner.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>

#include "base/hex.h"
#include "runtime/service_host.h"
#include "runtime/store_keys.h"

namespace picket {
namespace {

constexpr Micros kStorePause = kMicrosPerSecond / 5;  // before trying a failed write again

// The cause of applying run `token`'s outcome (`what`: "job" or "cancel"): unique per run.
std::string Cause(std::string_view what, const std::string& key, uint64_t token, uint32_t tries) {
  return std::string(what) + "/" + Hex(key) + "/" + std::to_string(token) + "/" +
         std::to_string(tries);
}

}  // namespace

Micros JobBackoff::For(uint32_t tries) const {
  Micros wait = initial;
  for (uint32_t i = 1; i < tries && wait < max; ++i) wait *= 2;
  return std::min(wait, max);
}

JobRunner::JobRunner(ServiceHost& host) : host_(host) {}

JobRunner::~JobRunner() { Stop(); }

void JobRunner::Add(Queue queue) {
  if (started_) throw std::logic_error("JobRunner::Add after Start");
  if (queue.name.empty() || queue.name.size() > store_keys::kMaxJobQueueBytes || !queue.work)
    throw std::logic_error("a job queue needs a name (at most 255 bytes) and a run function");
  MetricsRegistry& m = host_.metrics();
  const std::string label = "queue=\"" + queue.name + "\"";
  QueueState q;
  q.started =
      &m.AddCounter("picket_service_jobs_started_total", "job runs handed to workers", label);
  const char* finished = "job runs whose result was applied, by what came of it";
  q.done = &m.AddCounter("picket_service_jobs_finished_total", finished, label + ",next=\"done\"");
  q.retried =
      &m.AddCounter("picket_service_jobs_finished_total", finished, label + ",next=\"retry\"");
  q.threw = &m.AddCounter("picket_service_jobs_failed_total",
                          "job runs that threw (retried after the queue's backoff)", label);
  q.cancelled = &m.AddCounter("picket_service_jobs_cancelled_total",
                              "jobs cancelled before a worker took them", label);
  q.resumed = &m.AddCounter("picket_service_jobs_resumed_total",
                            "jobs found in the store at start (a run of an earlier process "
                            "never had its result applied)",
                            label);
  q.withheld =
      &m.AddCounter("picket_service_jobs_withheld_total",
                    "runs not made: the job was no longer wanted as of the bus's head", label);
  q.unchecked = &m.AddCounter("picket_service_jobs_unchecked_total",
                              "runs made without knowing whether still wanted (no bus head, or "
                              "not reached in time)",
                              label);
  q.running = &m.AddGauge("picket_service_jobs_running",
                          "jobs handed to workers and not yet applied", label);
  q.seconds = &m.AddHistogram("picket_service_job_seconds",
                              "from handing a job to a worker to its result on the loop",
                              LatencyBoundsSeconds(), label);
  q.pool = std::make_unique<WorkerPool>(std::max<size_t>(queue.threads, 1));
  std::string name = queue.name;
  q.spec = std::move(queue);
  if (!queues_.emplace(name, std::move(q)).second)
    throw std::logic_error("job queue '" + name + "' added twice");
}

void JobRunner::Start() {
  started_ = true;
  Micros probe_timeout = 0;
  for (auto& [name, q] : queues_)
    if (q.spec.wanted && (probe_timeout == 0 || q.spec.fresh_within < probe_timeout))
      probe_timeout = q.spec.fresh_within;
  if (probe_timeout > 0) {
    timers_ = std::make_unique<SteadyTimers>(host_.loop());
    probe_ = std::make_unique<HeadProbe>(
        host_.context(), host_.loop(), *timers_, host_.site().bus.replay,
        std::chrono::milliseconds(std::max<Micros>(probe_timeout / kMicrosPerMilli, 1)),
        host_.bus_keys());
  }
  host_.store().OnJobsCommitted([this](const std::vector<std::string>& keys) {
    // Read the rows once this commit's caller is done (not inside the commit).
    bool first = pending_.empty();
    pending_.insert(pending_.end(), keys.begin(), keys.end());
    if (!first) return;
    host_.Post([this] {
      std::vector<std::string> keys;
      keys.swap(pending_);
      std::sort(keys.begin(), keys.end());
      keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
      for (const std::string& k : keys) Reconcile(k);
    });
  });
  std::vector<std::string> left;
  host_.store().ScanJobs([&](const store_keys::JobKey& key, const store_keys::JobRecord&) {
    QueueState* q = Find(key.queue);
    if (q == nullptr) {
      spdlog::warn("a job of queue '{}' is stored but no such queue is set up: left alone",
                   key.queue);
      return;
    }
    q->resumed->Inc();
    left.push_back(store_keys::EncodeJobKey(key.queue, key.id));
  });
  if (!left.empty()) spdlog::info("resuming {} job(s) left by the previous run", left.size());
  for (const std::string& k : left) Reconcile(k);
}

void JobRunner::Stop() {
  stopped_ = true;  // jobs being judged are not run
  for (auto& [name, q] : queues_) q.pool->Stop();
}

JobRunner::QueueState* JobRunner::Find(const std::string& queue) {
  auto it = queues_.find(queue);
  return it == queues_.end() ? nullptr : &it->second;
}

void JobRunner::Reconcile(const std::string& key) {
  auto parsed = store_keys::DecodeJobKey(key);
  QueueState* q = parsed ? Find(parsed->queue) : nullptr;
  if (q == nullptr) return;  // reported at start; a row written for no queue is a bug
  std::optional<store_keys::JobRecord> row;
  try {
    row = host_.store().GetJob(key);
  } catch (const StoreError& e) {
    spdlog::error("reading job {}: {}", Hex(key), e.what());
    return RetryLater(key);
  }
  auto it = entries_.find(key);
  if (it != entries_.end()) {
    Entry& e = it->second;
    if (e.in_pool) {
      if (row && e.token == row->token && !row->cancelled) return;  // as handed
      if (e.check != 0) {  // still being judged: no worker has it
        timers_->Cancel(e.check_deadline);
      } else if (!q->pool->Withdraw(key)) {  // running: its result decides, then look again
        e.recheck = true;
        return;
      }
      q->Running(-1);
    }
    if (e.timer != 0) host_.loop().CancelTimer(e.timer);
    entries_.erase(it);
  }
  if (!row) return;
  Job job{parsed->queue, parsed->id, row->payload, row->tries};
  if (row->cancelled) return ApplyCancel(key, *q, job, row->token);
  if (row->not_before > host_.clock().Now()) {
    Entry& e = entries_[key];
    e.token = row->token;
    e.timer = host_.loop().At(row->not_before, [this, key] {
      entries_[key].timer = 0;
      entries_.erase(key);
      Reconcile(key);
    });
    return;
  }
  Hand(key, *q, job, row->token);
}

void JobRunner::Hand(const std::string& key, QueueState& q, const Job& job, uint64_t token) {
  Entry& e = entries_[key];
  e.token = token;
  e.in_pool = true;
  e.tries = job.tries;
  e.handed_at = host_.clock().Now();
  q.started->Inc();
  q.Running(+1);
  if (q.spec.wanted) return Check(key, job, q.spec.fresh_within);
  Submit(key, q, job, token);
}

void JobRunner::Submit(const std::string& key, QueueState& q, const Job& job, uint64_t token) {
  q.pool->Submit(key, [this, key, token, job, work = q.spec.work] {
    Applier applier;
    std::string why;
    try {
      applier = work(job);
    } catch (const std::exception& ex) {
      why = ex.what();
    }
    host_.Post([this, key, token, applier = std::move(applier), why = std::move(why)] {
      Finished(key, token, applier, why);
    });
  });
}

void JobRunner::Check(const std::string& key, const Job& job, Micros within) {
  Entry& e = entries_[key];
  const uint64_t check = e.check = ++checks_;
  e.check_deadline = timers_->After(std::chrono::microseconds(within),
                                    [this, key, check, job] { Verdict(key, check, job, false); });
  probe_->Ask([this, key, check, job](std::optional<uint64_t> head) {
    if (!head) return Verdict(key, check, job, false);
    // Posted: the apply that reaches the head is still finishing when WhenApplied runs.
    host_.WhenApplied(*head, [this, key, check, job] {
      host_.Post([this, key, check, job] { Verdict(key, check, job, true); });
    });
  });
}

void JobRunner::Verdict(const std::string& key, uint64_t check, const Job& job, bool confirmed) {
  auto it = entries_.find(key);
  QueueState* q = Find(job.queue);
  if (stopped_ || it == entries_.end() || it->second.check != check || q == nullptr) return;
  Entry& e = it->second;
  e.check = 0;
  timers_->Cancel(e.check_deadline);
  bool wanted = true;
  try {
    ReadOnlyTxn view(host_.store());
    wanted = q->spec.wanted(view, job);
  } catch (const StoreError& ex) {
    spdlog::error("judging job {} of queue '{}': {}", Hex(job.id), job.queue, ex.what());
    confirmed = false;
  }
  if (!wanted) {
    q->withheld->Inc();
    Applier withheld = [withheld = q->spec.withheld](ApplyContext& ctx, const Job& j) {
      if (withheld) withheld(ctx, j);
      return JobNext::Done();
    };
    return Finished(key, e.token, withheld, "");
  }
  if (!confirmed) {
    q->unchecked->Inc();
    uint64_t suppressed = 0;
    if (log_.Allow(host_.clock().Now(), &suppressed))
      spdlog::warn(
          "job {} of queue '{}': not known to be still wanted (no bus head, or not reached "
          "in {} ms); running it ({} similar lines suppressed)",
          Hex(job.id), job.queue, q->spec.fresh_within / kMicrosPerMilli, suppressed);
  }
  Submit(key, *q, job, e.token);
}

void JobRunner::Finished(const std::string& key, uint64_t token, const Applier& applier,
                         const std::string& why) {
  auto parsed = store_keys::DecodeJobKey(key);
  QueueState* q = parsed ? Find(parsed->queue) : nullptr;
  auto it = entries_.find(key);
  if (q == nullptr || it == entries_.end() || it->second.token != token) return;
  Entry& entry = it->second;
  Micros now = host_.clock().Now();
  if (!applier) {
    q->threw->Inc();
    uint64_t suppressed = 0;
    if (log_.Allow(now, &suppressed))
      spdlog::warn("job {} of queue '{}' threw: {} (retried; {} similar lines suppressed)",
                   Hex(parsed->id), parsed->queue, why, suppressed);
  }
  bool stale = false;
  JobNext next;
  std::string error;
  auto applied = host_.ApplyLocal(
      Cause("job", key, token, entry.tries),
      [&](ApplyContext& ctx) {
        auto row = ctx.Job(parsed->queue, parsed->id);
        if (!row || row->token != token) {
          stale = true;  // replaced or deleted while it ran: the newer row decides
          return;
        }
        Job job{parsed->queue, parsed->id, row->payload, row->tries};
        ctx.DeleteJob(job.queue, job.id);
        next = applier ? applier(ctx, job) : JobNext::Retry();
        if (!next.retry) return;
        if (row->cancelled) {  // cancelled while it ran: no further try
          next = JobNext::Done();
          if (q->spec.cancelled) q->spec.cancelled(ctx, job);
          return;
        }
        row->tries += 1;
        row->not_before = now + (next.after >= 0 ? next.after : q->spec.backoff.For(row->tries));
        ctx.PutJob(job.queue, job.id, *row);
      },
      &error);
  if (applied == ApplyResult::kFailed) {
    spdlog::error("applying the result of job {} of queue '{}': {} (tried again shortly)",
                  Hex(parsed->id), parsed->queue, error);
    host_.loop().After(kStorePause,
                       [this, key, token, applier, why] { Finished(key, token, applier, why); });
    return;
  }
  q->Running(-1);
  q->seconds->Observe(static_cast<double>(now - entry.handed_at) / kMicrosPerSecond);
  if (!stale) (next.retry ? q->retried : q->done)->Inc();
  const bool recheck = stale || entry.recheck;
  entries_.erase(it);  // `entry` refers into it: read before
  if (recheck) Reconcile(key);
}

void JobRunner::ApplyCancel(const std::string& key, QueueState& q, const Job& job, uint64_t token) {
  std::string error;
  bool cancelled = false;
  auto applied = host_.ApplyLocal(
      Cause("cancel", key, token, job.tries),
      [&](ApplyContext& ctx) {
        auto row = ctx.Job(job.queue, job.id);
        if (!row || row->token != token || !row->cancelled) return;
        ctx.DeleteJob(job.queue, job.id);
        if (q.spec.cancelled) q.spec.cancelled(ctx, job);
        cancelled = true;
      },
      &error);
  if (applied == ApplyResult::kFailed) {
    spdlog::error("cancelling job {} of queue '{}': {} (tried again shortly)", Hex(job.id),
                  job.queue, error);
    return RetryLater(key);
  }
  if (cancelled) q.cancelled->Inc();
}

void JobRunner::RetryLater(const std::string& key) {
  Entry& e = entries_[key];
  if (e.timer != 0 || e.in_pool) return;
  e.timer = host_.loop().After(kStorePause, [this, key] {
    entries_[key].timer = 0;
    entries_.erase(key);
    Reconcile(key);
  });
}

}  // namespace picket
