// Publisher: the client of picket-bus's ingest endpoint (a DEALER), driven by an EventLoop.
//
//   publish = C:BusRequest.publish ( S:BusReply.ack / S:BusReply.nack )   (bus.capnp)
//
// It keeps at most `window` publishes in flight (below the bus ROUTER's high-water mark, so
// no ack is ever dropped there), matches acks and nacks to events by id (they may come in
// any order; the bus names the event in every nack of a publish it can read, one refused
// as too large included, and every frame sent here is one),
// and re-sends an event whose ack has not come within the ack timeout, with exponential
// backoff and jitter. A re-send is the same frame with the same id, so the bus answers it
// with the original seq (a duplicate ack) instead of recording it twice. A DEALER
// reconnects by itself, so a bus restart costs one ack timeout.
//
// Durable mode (an Outbox is given): an event that is a row of the outbox is removed only
// when its ack arrives, and Start() re-sends every pending row, so nothing is lost while
// the bus is down or if this process is killed. A derived event the bus refuses (nack) is a
// bug in its service: it is logged, counted and moved to the dead-letter family, so the
// rows behind it still flow.
//
// Outcomes:
//   kAcked      recorded now with `seq`
//   kDuplicate  the bus already had this id; `seq` is the original's
//   kNacked     refused for good with `code` (every code but `unavailable`, which the bus
//               uses for "not now" and is retried like a timeout): final, never re-sent
//
// Not thread-safe: every call runs on the loop's thread. The context, loop, outbox and
// metrics registry must outlive the Publisher.
#pragma once

#include <zmq.hpp>

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "picket/schemas/bus.capnp.h"
#include "runtime/curve_keys.h"
#include "runtime/event_loop.h"
#include "runtime/metrics.h"
#include "runtime/outbox.h"
#include "wire/event_id.h"

namespace picket {

struct PublisherOptions {
  std::string endpoint;                        // the bus ingest endpoint
  std::string name = "publisher";              // in logs and the metrics label
  size_t window = 256;                         // most publishes awaiting an ack (bus HWM is 1000)
  Micros ack_timeout = 1 * kMicrosPerSecond;   // first re-send after this
  Micros max_backoff = 30 * kMicrosPerSecond;  // re-sends back off up to this
  uint64_t jitter_seed = 0;                    // 0 = random; fixed only in tests
  CurveClientKeys curve = {};                  // plain unless the site has [security]
};

struct PublishOutcome {
  enum class Kind { kAcked, kDuplicate, kNacked };
  Kind kind = Kind::kAcked;
  EventId id;
  uint64_t seq = 0;                              // acked and duplicate
  Micros recorded_at = 0;                        // acked and duplicate
  wire::ErrorCode code = wire::ErrorCode::NONE;  // nacked
  std::string message;                           // nacked
  std::optional<uint64_t> row_id;                // the outbox row, for durable events
  int attempts = 0;                              // how many times it was sent
};

// Counts since construction (the same numbers go to the metrics registry, if given).
struct PublisherStats {
  uint64_t sent = 0, resent = 0, acked = 0, duplicates = 0, nacked = 0, dead_lettered = 0;
  uint64_t unmatched_replies = 0;  // acks for ids no longer pending (a slow first ack)
};

class Publisher {
 public:
  using OutcomeHandler = std::function<void(const PublishOutcome&)>;

  // `outbox` may be null (no durable mode); `metrics` may be null.
  Publisher(zmq::context_t& context, EventLoop& loop, PublisherOptions options,
            Outbox* outbox = nullptr, MetricsRegistry* metrics = nullptr);
  ~Publisher();  // Stop()s; events not yet acked are dropped (durable rows stay stored)
  Publisher(const Publisher&) = delete;
  Publisher& operator=(const Publisher&) = delete;

  // Called once per event when its fate is known (see the file comment). May publish.
  void SetOutcomeHandler(OutcomeHandler handler) { on_outcome_ = std::move(handler); }

  // Connects, registers with the loop and, in durable mode, queues every pending outbox row.
  // Returns false and sets *error if the endpoint is invalid or the outbox cannot be read.
  bool Start(std::string* error);
  // Unregisters from the loop and closes the socket. Idempotent.
  void Stop();

  // Queues an encoded wire::Event (seq 0) for publication; sent as soon as the window
  // allows. Not durable: lost if this process dies before the ack. Returns the event's id,
  // or nullopt (with *error) if `event` is not a readable Event with a 16-byte id, or if
  // its publish frame is over kMaxBusFrameBytes (no bus takes it; *error starts with
  // "tooLarge: ").
  // Publishing an id that is still pending does nothing more and returns the id.
  std::optional<EventId> Publish(std::string_view event, std::string* error);

  // Queues rows that are already committed to the outbox (e.g. ServiceStore::Apply's
  // emitted rows). Durable mode only. A row that cannot be read as an Event, or is too
  // large for any bus, is a bug: it is logged and dead-lettered.
  void PublishStored(const std::vector<OutboxRow>& rows);

  size_t InFlight() const { return in_flight_; }
  size_t Pending() const { return entries_.size(); }  // queued + in flight
  // True while an outbox row with an id at or below `row_id` is pending (queued or in
  // flight: not yet acked, nor refused and dead-lettered). Rows are handed over by
  // PublishStored right after their commit, so "false" means every row committed with
  // such an id has left the outbox.
  bool RowsPendingUpTo(uint64_t row_id) const {
    return !pending_rows_.empty() && *pending_rows_.begin() <= row_id;
  }
  const PublisherStats& stats() const { return stats_; }

 private:
  struct Entry {
    std::string frame;  // the BusRequest.publish frame, sent byte for byte on every attempt
    std::optional<uint64_t> row_id;
    std::string event;  // durable rows only: the row's bytes, kept for the dead letter
    int attempts = 0;
    bool in_flight = false;
    Micros deadline = 0;
  };
  struct Metrics;

  std::optional<EventId> Enqueue(std::string_view event, std::optional<uint64_t> row_id,
                                 std::string* error);
  void FillWindow();
  void Send(const EventId& id, Entry& entry);
  void OnTick();
  void OnReadable();
  void OnReply(std::string_view frame);
  void OnAck(wire::Ack::Reader ack);
  void OnNack(wire::Nack::Reader nack);
  void Finish(std::map<EventId, Entry>::iterator it, PublishOutcome outcome);
  void DeadLetter(const EventId& id, uint64_t row_id, std::string_view event, uint16_t code,
                  const std::string& why);
  Micros Backoff(int attempts);
  void RemoveAcked();  // acked_rows_ out of the outbox (kept for later if that fails)

  zmq::context_t& context_;
  EventLoop& loop_;
  PublisherOptions options_;
  Outbox* outbox_;
  std::unique_ptr<Metrics> metrics_;
  OutcomeHandler on_outcome_;
  std::optional<zmq::socket_t> socket_;
  EventLoop::TimerId tick_ = 0;
  std::map<EventId, Entry> entries_;          // every pending event, queued or in flight
  std::deque<EventId> queue_;                 // waiting for a window slot, in publish order
  std::multimap<Micros, EventId> deadlines_;  // in-flight re-send times (stale ones skipped)
  size_t in_flight_ = 0;
  std::set<uint64_t> pending_rows_;   // outbox row ids of entries_ (RowsPendingUpTo)
  std::vector<uint64_t> acked_rows_;  // outbox rows acked, removed at the end of OnReadable
  bool removal_failing_ = false;      // the last removal failed (logged once)
  std::mt19937_64 rng_;
  PublisherStats stats_;
};

}  // namespace picket
