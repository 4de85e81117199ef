// The replay endpoint (ROUTER): streams ranges of the log with credit-based flow control.
//
//   replay  = C:BusRequest.replay *( S:BusReply.replayBatch [C:BusRequest.credit] )
//             S:BusReply.replayEnd
//   cancel  = C:BusRequest.cancel   [ S:BusReply.nack(unknownSession) ]  (no reply if a
//                                                                     session ended)
//   report  = C:BusRequest.progress [ S:BusReply.nack ]             (no reply if recorded)
//   status  = C:BusRequest.status S:BusReply.status
//   error   = C:<anything else> S:BusReply.nack
//
// The session logic is ReplaySessions (pure); this adapter decodes requests, reads the log
// and sends. Sending happens in bounded slices (ServeSlice) that the server loop runs
// between socket reads, round-robin over sessions, so one fast reader cannot starve ingest
// or the other readers.
//
// Runs on the loop thread only. Holds references to everything passed in.
#pragma once

#include <zmq.hpp>

#include <map>
#include <string>
#include <vector>

#include "bus/bus_metrics.h"
#include "bus/frames.h"
#include "bus/log_store.h"
#include "bus/replay_sessions.h"
#include "runtime/clock.h"
#include "runtime/log_limiter.h"

namespace picket {

class ReplayEndpoint {
 public:
  struct Options {
    std::string site;
    size_t max_message_bytes = 65536;  // requests over this get tooLarge
    size_t max_batch_bytes = 1 << 20;  // a ReplayBatch holds at most this many event bytes
                                       // (but always at least one event)
    size_t slice_events = 4096;        // events sent per ServeSlice call, at most
    size_t max_requests_per_read = 256;
  };

  // `router` must have ZMQ_ROUTER_MANDATORY set.
  ReplayEndpoint(zmq::socket_ref router, LogStore& store, ReplaySessions& sessions,
                 SubscriberReports& reports, const Clock& clock, BusMetrics& metrics,
                 Options options);

  // Handles the requests waiting on the socket (up to max_requests_per_read).
  void OnReadable();

  enum class SliceResult {
    kIdle,      // no session can make progress now
    kMoreWork,  // the slice budget ran out; call again soon
    kBlocked,   // a client's queue is full; call again a little later
  };
  // Sends batches and ends, round-robin over sessions, up to slice_events events.
  SliceResult ServeSlice();

  // Drops sessions idle past the timeout (zero credit, no Credit). Returns how many.
  size_t ExpireIdle();

  // Logs how many refusals went unlogged in a rate-limit window that is over (see
  // IngestEndpoint::ReportUnloggedRefusals).
  void ReportUnloggedRefusals();

 private:
  void Handle(RouterRequest& req);
  void Refuse(const RouterRequest& to, wire::ErrorCode code, const std::string& message);
  void LogUnloggedRefusals(uint64_t count);
  SendOutcome SendTo(const std::string& peer, std::string_view frame);
  void RemoveSession(const std::string& peer);
  LogRange Range() const { return LogRange{store_.FirstSeq(), store_.Head().seq}; }

  zmq::socket_ref router_;
  LogStore& store_;
  ReplaySessions& sessions_;
  SubscriberReports& reports_;
  const Clock& clock_;
  // Refusals are counted in metrics always, logged at most kLoggedRefusalsPerWindow per
  // kRefusalLogWindow; then one line gives the count of the rest.
  LogLimiter refusal_log_{kLoggedRefusalsPerWindow, kRefusalLogWindow};
  BusMetrics& metrics_;
  Options options_;
  std::map<std::string, std::vector<std::string>> envelopes_;  // per session peer
  const std::vector<std::string> no_envelope_;
};

}  // namespace picket
