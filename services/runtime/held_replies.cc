#include "runtime/held_replies.h"

namespace picket {

HeldReplies::HeldReplies(EventLoop& loop, MetricsRegistry& metrics, const std::string& label,
                         SendFn send)
    : loop_(loop), send_(std::move(send)) {
  held_count_ = &metrics.AddCounter(
      "picket_service_replies_held_total",
      "command replies that waited for the events written before them to be on the bus", label);
  unpublished_ = &metrics.AddCounter(
      "picket_service_replies_unpublished_total",
      "held command replies sent before those events were on the bus (the wait ran out, or "
      "the bus refused one): the reply says so",
      label);
  waited_ = &metrics.AddHistogram(
      "picket_service_reply_hold_seconds",
      "how long held command replies waited for their events to be on the bus",
      LatencyBoundsSeconds(), label);
}

void HeldReplies::Hold(uint64_t barrier, const Publisher& publisher,
                       std::vector<zmq::message_t> envelope, CommandReply reply) {
  if (!publisher.RowsPendingUpTo(barrier)) {
    send_(envelope, reply.finish(reply.frame, true));
    return;
  }
  const uint64_t hold = next_hold_++;
  held_count_->Inc();
  Held& held = held_[hold];
  held.barrier = barrier;
  held.envelope = std::move(envelope);
  held.held_at = loop_.clock().Now();
  held.timer = loop_.After(reply.publish_wait, [this, hold] {
    auto it = held_.find(hold);
    if (it == held_.end()) return;
    it->second.timer = 0;
    Send(hold, false);
  });
  held.reply = std::move(reply);
}

void HeldReplies::OnPublished(const PublishOutcome& outcome, const Publisher& publisher) {
  if (outcome.kind == PublishOutcome::Kind::kNacked && outcome.row_id) {
    for (auto& [hold, held] : held_)
      if (*outcome.row_id <= held.barrier) held.refused = true;
  }
  while (!held_.empty()) {
    auto it = held_.begin();
    if (publisher.RowsPendingUpTo(it->second.barrier)) break;
    Send(it->first, !it->second.refused);
  }
}

void HeldReplies::ReleaseAll() {
  while (!held_.empty()) Send(held_.begin()->first, false);
}

void HeldReplies::Send(uint64_t hold, bool on_bus) {
  auto it = held_.find(hold);
  if (it == held_.end()) return;
  Held held = std::move(it->second);
  held_.erase(it);
  if (held.timer != 0) loop_.CancelTimer(held.timer);
  if (!on_bus) unpublished_->Inc();
  waited_->Observe(static_cast<double>(loop_.clock().Now() - held.held_at) / kMicrosPerSecond);
  send_(held.envelope, held.reply.finish(held.reply.frame, on_bus));
}

}  // namespace picket
