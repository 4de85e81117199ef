// The ingest endpoint (ROUTER): validates publishes, deduplicates them, records them with
// one group-commit write, acknowledges, then publishes them on PUB.
//
//   publish = C:BusRequest.publish ( S:BusReply.ack / S:BusReply.nack )
//   status  = C:BusRequest.status S:BusReply.status
//   anything else = S:BusReply.nack(wrongType)
//
// Group commit: OnReadable() drains up to max_batch requests that are waiting, answers the
// invalid ones at once, and records the valid publishes in ONE WriteBatch (sync per
// config). Only after that write returns does it ack each producer (in arrival order) and
// then publish the new events in seq order. A failed write records nothing and nacks the
// batch with `unavailable` (duplicates of events already in the log are still acked: their
// originals are durable).
//
// Runs on the loop thread only. Holds references to everything passed in.
#pragma once

#include <zmq.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bus/bus_metrics.h"
#include "bus/frames.h"
#include "bus/log_store.h"
#include "bus/replay_sessions.h"
#include "runtime/clock.h"
#include "runtime/log_limiter.h"
#include "runtime/security_config.h"
#include "runtime/signing_keys.h"
#include "wire/event_chain.h"
#include "wire/event_rules.h"

namespace capnp {
class MallocMessageBuilder;
}

namespace picket {

class IngestEndpoint {
 public:
  struct Options {
    std::string site;
    size_t max_message_bytes = 65536;
    size_t max_batch = 1024;
    bool sync = true;
    // Signed checkpoints (wire/chain_checkpoint.h): with a key, the bus records a
    // bus.checkpoint after every `checkpoint_every` events, or `checkpoint_interval` after
    // the first event not yet covered by one (CheckpointIfDue).
    std::optional<SigningKeyPair> checkpoint_key;
    size_t checkpoint_every = 1000;
    Micros checkpoint_interval = 60 * kMicrosPerSecond;
    // A site with [security] (the router is a CURVE server): each publish is checked
    // against the identity its key is listed under (bus/publish_access.h), and every
    // refusal for who sent it (unauthorized) is recorded as bus.publish_refused, at most
    // 60 a minute. Null: a plain site, nobody is authenticated.
    const SecurityConfig* security = nullptr;
  };

  // `router` must have ZMQ_ROUTER_MANDATORY set; `pub` is the events PUB socket.
  IngestEndpoint(zmq::socket_ref router, zmq::socket_ref pub, LogStore& store,
                 const SubscriberReports& reports, const Clock& clock, BusMetrics& metrics,
                 Options options);
  ~IngestEndpoint();

  // Handles one drain-and-commit round. Returns the number of events newly recorded.
  size_t OnReadable();

  // Records a checkpoint if one is due by time (the server calls it every second; the
  // count is checked after each commit). Nothing without a checkpoint key. A checkpoint
  // that cannot be written is tried again at the next call.
  void CheckpointIfDue();

  // Logs how many refusals went unlogged in a rate-limit window that is over (nothing if
  // none). The server calls it every second, so the count is logged even when no further
  // refusal comes to carry it.
  void ReportUnloggedRefusals();

 private:
  struct Pending;  // a valid publish waiting for the commit

  // Validates one request; answers it unless it is a valid publish, which is queued.
  void Handle(RouterRequest& req, std::vector<Pending>& batch);
  // Checks an offered event and, if it may be recorded, copies it into `pending`. Throws
  // kj::Exception on a malformed message.
  std::optional<Rejection> ReadPublish(wire::Event::Reader event, size_t frame_bytes,
                                       const std::string& peer, Pending& pending);
  // Records bus.publish_refused: `peer` offered `pending`'s type as its producer (rate-limited).
  void RecordRefusal(const std::string& peer, const Pending& pending, const std::string& reason);
  // Records an event of the bus's own (producer "bus") at the head: `fill` sets its type,
  // actor and body, given the seq and chain hash of the event before it. False (logged) if
  // it could not be written.
  bool RecordOwnEvent(
      const std::function<void(wire::Event::Builder, uint64_t head, const ChainHash& tip)>& fill);
  void Commit(std::vector<Pending>& batch);
  // The chain hash of the head event (kChainGenesis for an empty log): read from the store
  // once, then carried along as batches are written. Nullopt (and *error) if unreadable.
  std::optional<ChainHash> ChainTip(std::string* error);
  void FailBatch(std::vector<Pending>& batch, const std::string& why);
  // Signs the chain's tip and records it as bus.checkpoint. False if it was not written.
  bool WriteCheckpoint();
  void Reply(const RouterRequest& to, std::string_view frame);
  void Reply(const std::string& routing_id, const std::vector<std::string>& envelope,
             std::string_view frame);
  // Counts, logs (rate-limited) and sends a nack. Every nack names the event the request
  // offers whenever its frame holds one that can be read (offered_event_id.h), whatever
  // the refusal: too large, malformed after the id, bad envelope frames, any field.
  void Refuse(const RouterRequest& to, wire::ErrorCode code, const std::string& message);
  void LogUnloggedRefusals(uint64_t count);

  zmq::socket_ref router_;
  zmq::socket_ref pub_;
  LogStore& store_;
  const SubscriberReports& reports_;
  const Clock& clock_;
  // Refusals are counted in metrics always, logged at most kLoggedRefusalsPerWindow per
  // kRefusalLogWindow; then one line gives the count of the rest.
  LogLimiter refusal_log_{kLoggedRefusalsPerWindow, kRefusalLogWindow};
  BusMetrics& metrics_;
  Options options_;
  std::optional<ChainHash> tip_;  // the hash chain's tip once known (ChainTip)
  // Events recorded since the last checkpoint, and when the first of them was (bus clock).
  size_t uncovered_ = 0;
  Micros first_uncovered_at_ = 0;
  bool head_checked_ = false;  // whether the head at start was looked at (CheckpointIfDue)
  LogLimiter refusal_records_{60, 60 * kMicrosPerSecond};  // bus.publish_refused per minute
};

}  // namespace picket
