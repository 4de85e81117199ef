// Subscriber: delivers the site's events to a service exactly once and strictly in seq
// order, from a given sequence number on, over picket-bus's events (SUB) and replay
// (DEALER) endpoints:
//
//   replay = C:BusRequest.replay *( S:BusReply.replayBatch [C:BusRequest.credit] )
//            S:BusReply.replayEnd
//   live   = *( S:[type][Event] / S:["_hb"][Heartbeat] )
//   report = C:BusRequest.progress   (every progress_interval, no reply)
//
// States:
//   replaying  a replay session is open from next_seq(); live events that arrive meanwhile
//              are buffered (at most max_live_buffer; newer ones are dropped and fetched
//              again later). The session asks up to the first buffered seq - 1 (or to the
//              head). At ReplayEnd the buffer is drained; if that leaves us at the head
//              (next > headSeq, or the live stream joined on), the subscriber is live,
//              otherwise it replays again.
//   live       each live event with seq == next is delivered; seq < next is a duplicate
//              and skipped; seq > next is a gap: buffer it and replay the gap. A heartbeat
//              whose headSeq >= next also means a gap (the PUB socket dropped the tail).
//   waiting    the handler failed (its store cannot write: a full disk) or the bus refused:
//              retry after retry_delay, doubling with each failure in a row up to
//              max_retry_delay; the first event delivered resets it. A failed event is
//              never skipped: it is offered again, and everything after it waits.
//
// Flow control: the replay credit granted and not yet consumed never exceeds
// credit_window; consumed events are granted back in steps of a quarter window.
// Robustness: a replay with no message for stall_timeout (the bus restarted, a frame was
// lost) is cancelled, its socket replaced (so late frames of the old session cannot mix
// in) and requested again from next_seq(); SUB and DEALER reconnect by themselves.
// Trimmed logs: if the bus no longer has events from next_seq() (retention), delivery
// resumes at the oldest retained event and the skipped count is logged and counted.
//
// Not thread-safe: every call runs on the loop's thread. The context, loop and metrics
// registry must outlive the Subscriber.
#pragma once

#include <zmq.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "picket/schemas/bus.capnp.h"
#include "picket/schemas/envelope.capnp.h"
#include "runtime/curve_keys.h"
#include "runtime/event_loop.h"
#include "runtime/metrics.h"

namespace picket {

struct SubscriberOptions {
  std::string name;               // reported in BusRequest.progress; "" = do not report
  std::string events_endpoint;    // the bus PUB
  std::string replay_endpoint;    // the bus replay ROUTER
  uint32_t credit_window = 1024;  // most replayed events granted and not yet consumed
  uint32_t max_batch = 256;       // events per ReplayBatch asked for (0 = bus default)
  size_t max_live_buffer = 10000;
  Micros stall_timeout = 5 * kMicrosPerSecond;
  Micros progress_interval = 1 * kMicrosPerSecond;
  Micros retry_delay = 200 * kMicrosPerMilli;
  Micros max_retry_delay = 2 * kMicrosPerSecond;
  CurveClientKeys curve = {};  // for both sockets; plain unless the site has [security]
};

struct SubscriberStats {
  uint64_t live = 0;        // events delivered from the live stream
  uint64_t replayed = 0;    // events delivered from replay
  uint64_t gaps = 0;        // gaps noticed (live seq jump or heartbeat ahead) and repaired
  uint64_t replays = 0;     // replay sessions requested
  uint64_t stalls = 0;      // replay sessions restarted after stall_timeout
  uint64_t trimmed = 0;     // events skipped because the bus no longer had them
  uint64_t duplicates = 0;  // events received again and skipped
  uint64_t unreadable = 0;  // events whose fields could not be read: logged and skipped
  uint64_t handler_failures = 0;
};

class Subscriber {
 public:
  // Applies one event (event.getSeq() is its seq). Returns true once applied (or if it is
  // of no interest); false if it could not be applied now (a storage fault): it is then
  // offered again, in order, after retry_delay. A kj::Exception thrown while reading the
  // event means the event is unreadable: it is logged, counted and skipped.
  using Handler = std::function<bool(wire::Event::Reader event)>;
  // Called every time the subscriber becomes live (caught up), with next_seq().
  using CaughtUpHandler = std::function<void(uint64_t next_seq)>;

  Subscriber(zmq::context_t& context, EventLoop& loop, SubscriberOptions options,
             MetricsRegistry* metrics = nullptr);
  ~Subscriber();  // Stop()s
  Subscriber(const Subscriber&) = delete;
  Subscriber& operator=(const Subscriber&) = delete;

  void SetCaughtUpHandler(CaughtUpHandler handler) { on_caught_up_ = std::move(handler); }

  // Optional: `begin` runs before the events of one replay batch are handed to the
  // handler, `end` after them (also when the handler failed or stopped us part-way), so
  // a handler may stage a batch's events and write them at once in `end`. `end` returns
  // false if that write failed: every event of the batch is then offered again.
  struct BatchHooks {
    std::function<void()> begin;
    std::function<bool()> end;
  };
  void SetBatchHooks(BatchHooks hooks) { batch_hooks_ = std::move(hooks); }

  // Connects and starts replaying from `next_seq` (>= 1; a service passes applied_seq + 1).
  // Returns false and sets *error if an endpoint is invalid.
  bool Start(uint64_t next_seq, Handler handler, std::string* error);
  // Cancels any replay session, unregisters from the loop, closes the sockets. Idempotent.
  void Stop();

  uint64_t next_seq() const { return next_; }
  bool live() const { return mode_ == Mode::kLive; }
  uint64_t head_seen() const { return head_; }  // highest head the bus reported
  const SubscriberStats& stats() const { return stats_; }
  // When the live stream last brought anything (an event or a heartbeat; the bus sends
  // one every heartbeat_interval): 0 before the first. For "is the bus still there?".
  Micros last_heard() const { return last_heard_; }

 private:
  enum class Mode { kStopped, kReplaying, kLive, kWaiting };
  enum class Delivery { kDelivered, kSkipped, kAhead, kFailed };
  struct Metrics;

  void OpenReplaySocket();
  void RequestReplay();
  void CancelSession();
  void ScheduleRetry();
  void Resume();
  void GoLive();
  bool DrainBuffer(bool* delivered_any);  // false: the handler failed
  Delivery Deliver(wire::Event::Reader event, bool live);
  void Buffer(uint64_t seq, std::string frame);
  void Send(capnp::MessageBuilder& request);

  void OnEventsReadable();
  void OnLiveEvent(std::string frame);
  void OnHeartbeat(std::string_view frame);
  void OnReplayReadable();
  void OnReplayReply(wire::BusReply::Reader reply);
  void OnBatch(wire::ReplayBatch::Reader batch);
  void OnReplayEnd(wire::ReplayEnd::Reader end);
  void GrantConsumed(uint32_t consumed);
  void OnTick();
  void NoteHead(uint64_t head);

  zmq::context_t& context_;
  EventLoop& loop_;
  SubscriberOptions options_;
  std::string log_name_;
  std::unique_ptr<Metrics> metrics_;
  Handler handler_;
  CaughtUpHandler on_caught_up_;
  BatchHooks batch_hooks_;
  std::optional<zmq::socket_t> events_;
  std::optional<zmq::socket_t> replay_;
  uint64_t replay_generation_ = 0;  // bumped when replay_ is replaced
  EventLoop::TimerId tick_ = 0, progress_ = 0, retry_ = 0;

  Mode mode_ = Mode::kStopped;
  uint64_t next_ = 1;
  uint64_t head_ = 0;
  std::map<uint64_t, std::string> buffer_;  // live Event frames received while not live
  bool session_open_ = false;  // a replay request is out and its ReplayEnd has not come
  Micros last_replay_activity_ = 0;
  uint32_t credit_left_ = 0;  // granted to the bus and not yet used by it
  uint32_t consumed_ungranted_ = 0;
  Micros last_heard_ = 0;
  int failures_in_a_row_ = 0;  // retries since the last event delivered (for the backoff)
  SubscriberStats stats_;
};

}  // namespace picket
