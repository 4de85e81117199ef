// HeldReplies: command replies that wait until the events written before them are on the
// bus (ServiceHost's command endpoint, CommandReply::finish).
//
//   handler returns CommandReply{frame, finish, publish_wait}
//     ──► barrier = the outbox's last row id now (the command's own rows and all before)
//     ──► sent at once with finish(frame, true) if no row at or below it is pending
//     ──► else held until the publisher has no such row pending (each acked, or refused and
//         dead-lettered: then on_bus is false), or until publish_wait passes (on_bus false)
//
// Outbox rows get increasing ids in the order they are written and reach the publisher at
// their commit, so "no pending row at or below the barrier" is "everything written before
// the reply has left the outbox". Barriers never decrease, so replies are released in the
// order they were held.
//
// Not thread-safe: the service loop's thread only. The loop and metrics must outlive it.
#pragma once

#include <zmq.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "runtime/event_loop.h"
#include "runtime/metrics.h"
#include "runtime/publisher.h"

namespace picket {

// What a command handler answers. A frame converts to a reply sent at once.
struct CommandReply {
  CommandReply(std::string reply_frame) : frame(std::move(reply_frame)) {}  // NOLINT: a frame
  CommandReply(const char* reply_frame) : frame(reply_frame) {}             // NOLINT: a frame
  std::string frame;
  // Set, with publish_wait > 0: the reply is held until every outbox row written before
  // the handler returned (the command's own events and all before them) has left the
  // outbox, acked by the bus, or until publish_wait has passed on the host's clock. Then
  // finish(frame, on_bus) makes the frame that is sent: on_bus is false when the wait
  // ended first or the bus refused one of those rows (a dead letter), so the reply can
  // say honestly that the effects are stored but not yet on the bus.
  std::function<std::string(const std::string& frame, bool on_bus)> finish = nullptr;
  Micros publish_wait = 0;
};

class HeldReplies {
 public:
  // Sends `frame` after the envelope frames (routing id, a REQ's delimiter).
  using SendFn =
      std::function<void(std::vector<zmq::message_t>& envelope, const std::string& frame)>;

  // Registers picket_service_replies_held_total, _unpublished_total and
  // picket_service_reply_hold_seconds with `label`.
  HeldReplies(EventLoop& loop, MetricsRegistry& metrics, const std::string& label, SendFn send);
  HeldReplies(const HeldReplies&) = delete;
  HeldReplies& operator=(const HeldReplies&) = delete;

  // `reply.finish` must be set. Sends it now if `publisher` has no row at or below
  // `barrier` pending; holds it otherwise.
  void Hold(uint64_t barrier, const Publisher& publisher, std::vector<zmq::message_t> envelope,
            CommandReply reply);
  // Every publisher outcome: sends the replies whose rows have all left the outbox.
  void OnPublished(const PublishOutcome& outcome, const Publisher& publisher);
  // Sends every reply still held with on_bus false (the service is stopping).
  void ReleaseAll();
  size_t size() const { return held_.size(); }

 private:
  struct Held {
    uint64_t barrier = 0;
    std::vector<zmq::message_t> envelope;
    CommandReply reply{""};
    Micros held_at = 0;
    EventLoop::TimerId timer = 0;
    bool refused = false;  // the bus refused a row at or below the barrier
  };
  void Send(uint64_t hold, bool on_bus);

  EventLoop& loop_;
  SendFn send_;
  std::map<uint64_t, Held> held_;  // by hold number; barriers never decrease
  uint64_t next_hold_ = 1;
  Counter* held_count_ = nullptr;
  Counter* unpublished_ = nullptr;
  Histogram* waited_ = nullptr;
};

}  // namespace picket
