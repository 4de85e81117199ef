// FreshRead: lets a worker thread judge something on the service's state as it is once the
// service has applied the site log up to the bus's head, read just now. The durable jobs
// use it (JobQueueSpec::wanted) so that work such as a page is not sent for a cause the
// log has already withdrawn (an incident acknowledged a moment ago).
//
//   worker ──status──► bus: head H                       (a fresh DEALER, QueryBusHead)
//   worker ──Post──► loop: WhenApplied(H) ──► predicate(committed state) ──► worker
//   repeated while the head moved in between (at most kRounds): the last verdict was
//   given on a state that had applied everything the bus had recorded when the last
//   status answer left it
//
// So a verdict of kTrue means: at the moment the bus answered the last status query, no
// event recorded on the bus made the predicate false. Whatever the bus records after that
// answer is not seen; that window is one status round trip plus the time to apply what
// arrived during the previous round.
//
// Outcomes: kTrue / kFalse (the predicate's verdict); kUnconfirmed when the bus did not
// answer or the service did not apply up to the head within the time allowed (then the
// predicate is still asked on what is applied: a kFalse there is returned as kFalse, since
// a newer state could only add to what it saw); kStopping once Stop() was called.
//
// Threads: Judge runs on worker threads and blocks them (never call it on the loop);
// the predicate runs on the loop, on a read-only view of the committed state. Stop() may be
// called from any thread and wakes every Judge. One mutex (mu_) guards the answers and
// the stop flag: the worker must block until the loop answers, and a condition variable
// needs one.
#pragma once

#include <zmq.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "base/txn.h"
#include "runtime/clock.h"

namespace picket {

class ServiceHost;

// Asks the bus at `endpoint` (its replay or ingest ROUTER) for its head seq over a fresh
// DEALER. Nullopt (and *error) if no status answer comes before `deadline`.
std::optional<uint64_t> QueryBusHead(zmq::context_t& context, const std::string& endpoint,
                                     std::chrono::steady_clock::time_point deadline,
                                     std::string* error);

class FreshRead {
 public:
  enum class Outcome { kTrue, kFalse, kUnconfirmed, kStopping };
  using Predicate = std::function<bool(Txn& state)>;
  static constexpr int kRounds = 3;

  // `host` must outlive this; its site's bus.replay is asked for the head.
  explicit FreshRead(ServiceHost& host) : host_(host) {}
  FreshRead(const FreshRead&) = delete;
  FreshRead& operator=(const FreshRead&) = delete;

  // Blocks for at most about `within` (plus one second to judge what is applied if the
  // head was not reached). `predicate` is copied to the loop; it must not throw but for
  // StoreError (a read that failed: kUnconfirmed).
  Outcome Judge(const Predicate& predicate, std::chrono::steady_clock::duration within);
  // Every Judge waiting, and every later one, returns kStopping.
  void Stop();

 private:
  struct Call {
    bool answered = false;
    Outcome outcome = Outcome::kUnconfirmed;
  };
  // Posts the predicate to the loop, run once the service has applied up to `head`
  // (`head` 0: at once), and waits for its answer until `deadline`. Nullopt: no answer.
  std::optional<Outcome> AskLoop(uint64_t head, const Predicate& predicate,
                                 std::chrono::steady_clock::time_point deadline);
  void Answer(const std::shared_ptr<Call>& call, Outcome outcome);

  ServiceHost& host_;
  std::mutex mu_;  // guards every Call's fields and stopping_
  std::condition_variable answered_;
  bool stopping_ = false;
};

}  // namespace picket
