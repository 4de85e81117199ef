// WebhookWorkers: a small pool of threads that send webhook attempts, so that the HTTP
// calls never block the service loop.
//
// Submit() queues a request; a worker sends it (SendWebhook) and calls `on_result` with
// the outcome ON THE WORKER THREAD: the callback must hand it back to the loop (the
// service uses ServiceHost::Post) and must not touch loop state itself.
//
// Threads: Submit and Stop may be called from any one thread (the loop). The queue is the
// only shared state, behind one mutex (a condition variable wakes idle workers; the
// runtime's loop has no cross-thread queue to reuse for this direction). Stop() drops
// queued requests and joins the workers after their current request ends (bounded by its
// timeout); dropped attempts are still in flight in the store, so the next start sends
// them again.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "notify/core/notifier.h"
#include "notify/core/webhook_request.h"
#include "runtime/clock.h"

namespace picket::notify {

class WebhookWorkers {
 public:
  using ResultFn = std::function<void(AttemptResult)>;
  // A sender other than SendWebhook (tests); called on worker threads.
  using SendFn = std::function<AttemptResult(const WebhookRequest&)>;

  // Starts `threads` workers. `clock` must outlive this.
  WebhookWorkers(int threads, const Clock& clock, ResultFn on_result, SendFn send = nullptr);
  ~WebhookWorkers();  // Stop()
  WebhookWorkers(const WebhookWorkers&) = delete;
  WebhookWorkers& operator=(const WebhookWorkers&) = delete;

  void Submit(WebhookRequest request);
  // Removes the queued request of `delivery_id` if no worker has picked it up yet; returns
  // whether it did (then it is never sent and no result comes for it).
  bool Withdraw(const std::string& delivery_id);
  void Stop();
  // Requests queued and not yet picked up by a worker (approximate; for metrics).
  size_t Queued();

 private:
  void Work();

  const Clock& clock_;
  ResultFn on_result_;
  SendFn send_;
  std::mutex mu_;  // guards queue_ and stopping_
  std::condition_variable wake_;
  std::deque<WebhookRequest> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace picket::notify
