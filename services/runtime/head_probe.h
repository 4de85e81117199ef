// HeadProbe: the bus's head seq, read on the service's loop by status queries that every
// caller waiting at the time shares. The durable jobs' "still wanted?" check uses it
// (job_runner.h): at 1000 pages a second, one query serves every page checked meanwhile.
//
//   Ask(answer) ──► a query is in flight? then wait for the next one, sent when it ends
//               ──► otherwise send one now (BusRequest.status on a DEALER to bus.replay)
//   BusReply.status ──► every caller asked before that query was sent gets its headSeq
//   no answer within `timeout` ──► those callers get nullopt; the socket is replaced (a
//                                  late answer must not pass for the next query's)
//
// So a head a caller gets was read by the bus after the caller asked: every event
// recorded before Ask is at or below it.
//
// Not thread-safe: construct, Ask and destroy on the loop's thread; answers run there.
#pragma once

#include <zmq.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/curve_keys.h"
#include "runtime/event_loop.h"
#include "runtime/steady_timers.h"

namespace picket {

class HeadProbe {
 public:
  using Answer = std::function<void(std::optional<uint64_t> head)>;

  // `context`, `loop` and `timers` must outlive this.
  HeadProbe(zmq::context_t& context, EventLoop& loop, SteadyTimers& timers, std::string endpoint,
            std::chrono::milliseconds timeout, CurveClientKeys curve = {});
  ~HeadProbe();
  HeadProbe(const HeadProbe&) = delete;
  HeadProbe& operator=(const HeadProbe&) = delete;

  // `answer` runs once, on the loop, with the head of a status query sent after this call
  // (nullopt: the bus did not answer within the timeout, or its answer was unreadable).
  void Ask(Answer answer);
  uint64_t queries() const { return queries_; }  // status queries sent so far

 private:
  void Open();
  void Send();
  void OnReadable();
  void Finish(std::optional<uint64_t> head);

  zmq::context_t& context_;
  EventLoop& loop_;
  SteadyTimers& timers_;
  std::string endpoint_;
  std::chrono::milliseconds timeout_;
  CurveClientKeys curve_;
  std::unique_ptr<zmq::socket_t> socket_;
  bool in_flight_ = false;
  SteadyTimers::Id timeout_timer_ = 0;
  std::vector<Answer> asked_;    // answered by the query in flight
  std::vector<Answer> waiting_;  // asked after it was sent: the next query's
  uint64_t queries_ = 0;
};

}  // namespace picket
