#include "runtime/subscriber.h"

#include <capnp/message.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "runtime/zap_authenticator.h"
#include "wire/codec.h"

namespace picket {
namespace {

constexpr std::string_view kHeartbeatTopic = "_hb";
// Messages read per wakeup, so a busy stream cannot starve the loop's other sockets and
// timers (the poll is level-triggered: what is left is read on the next iteration). A
// replay message is a batch of up to max_batch events, hence the smaller bound.
constexpr int kMaxLiveReadsPerWakeup = 256;
constexpr int kMaxReplayReadsPerWakeup = 2;

}  // namespace

struct Subscriber::Metrics {
  Counter *live, *replayed, *gaps, *replays, *stalls, *trimmed;
  Gauge *next, *lag;
};

Subscriber::Subscriber(zmq::context_t& context, EventLoop& loop, SubscriberOptions options,
                       MetricsRegistry* metrics)
    : context_(context),
      loop_(loop),
      options_(std::move(options)),
      log_name_(options_.name.empty() ? "subscriber" : options_.name) {
  options_.credit_window = std::max<uint32_t>(options_.credit_window, 1);
  if (metrics != nullptr) {
    metrics_ = std::make_unique<Metrics>();
    metrics_->live = &metrics->AddCounter("picket_subscriber_live_events_total",
                                          "Events applied from the live stream");
    metrics_->replayed = &metrics->AddCounter("picket_subscriber_replayed_events_total",
                                              "Events applied from replay");
    metrics_->gaps = &metrics->AddCounter("picket_subscriber_gaps_total",
                                          "Gaps in the live stream repaired by replay");
    metrics_->replays =
        &metrics->AddCounter("picket_subscriber_replays_total", "Replay sessions requested");
    metrics_->stalls = &metrics->AddCounter("picket_subscriber_stalled_replays_total",
                                            "Replay sessions restarted after a stall");
    metrics_->trimmed = &metrics->AddCounter("picket_subscriber_trimmed_events_total",
                                             "Events skipped: no longer retained by the bus");
    metrics_->next =
        &metrics->AddGauge("picket_subscriber_applied_seq", "The last sequence number applied");
    metrics_->lag = &metrics->AddGauge("picket_subscriber_lag_events",
                                       "Bus head minus the last applied sequence number");
  }
}

Subscriber::~Subscriber() { Stop(); }

bool Subscriber::Start(uint64_t next_seq, Handler handler, std::string* error) {
  if (mode_ != Mode::kStopped) return true;
  handler_ = std::move(handler);
  next_ = std::max<uint64_t>(next_seq, 1);
  try {
    events_.emplace(context_, zmq::socket_type::sub);
    events_->set(zmq::sockopt::linger, 0);
    events_->set(zmq::sockopt::rcvhwm, 100000);
    events_->set(zmq::sockopt::subscribe, "");
    ApplyCurveClient(*events_, options_.curve);
    events_->connect(options_.events_endpoint);
    OpenReplaySocket();
  } catch (const zmq::error_t& e) {
    *error = std::string("subscriber: connecting: ") + e.what();
    events_.reset();
    replay_.reset();
    return false;
  }
  loop_.AddSocket(*events_, [this] { OnEventsReadable(); });
  tick_ = loop_.Every(std::max<Micros>(options_.stall_timeout / 4, kMicrosPerMilli),
                      [this] { OnTick(); });
  if (!options_.name.empty()) {
    progress_ = loop_.Every(options_.progress_interval, [this] {
      capnp::MallocMessageBuilder request;
      auto p = request.initRoot<wire::BusRequest>().initProgress();
      p.setSubscriber(options_.name);
      p.setAppliedSeq(next_ - 1);
      Send(request);
    });
  }
  RequestReplay();
  return true;
}

void Subscriber::Stop() {
  if (mode_ == Mode::kStopped) return;
  CancelSession();
  loop_.CancelTimer(tick_);
  loop_.CancelTimer(progress_);
  loop_.CancelTimer(retry_);
  if (events_) loop_.RemoveSocket(*events_);
  if (replay_) loop_.RemoveSocket(*replay_);
  events_.reset();
  replay_.reset();
  mode_ = Mode::kStopped;
}

void Subscriber::OpenReplaySocket() {
  if (replay_) {
    loop_.RemoveSocket(*replay_);
    // Give a queued cancel a moment to leave; closing does not wait for it.
    replay_->set(zmq::sockopt::linger, 100);
    replay_.reset();
  }
  ++replay_generation_;
  replay_.emplace(context_, zmq::socket_type::dealer);
  replay_->set(zmq::sockopt::linger, 0);
  ApplyCurveClient(*replay_, options_.curve);
  replay_->connect(options_.replay_endpoint);
  loop_.AddSocket(*replay_, [this] { OnReplayReadable(); });
}

void Subscriber::Send(capnp::MessageBuilder& request) {
  // A request that cannot be queued now (bus away for long) is lost like one lost on the
  // wire: the stall timer re-requests a replay; progress is only a report.
  if (replay_) (void)replay_->send(zmq::buffer(Encode(request)), zmq::send_flags::dontwait);
}

void Subscriber::CancelSession() {
  if (!session_open_) return;
  capnp::MallocMessageBuilder request;
  request.initRoot<wire::BusRequest>().setCancel();
  Send(request);
  session_open_ = false;
  // A new socket gets a new routing id: frames still in flight for the old session go to
  // the old identity and are dropped by the bus (ROUTER_MANDATORY) instead of mixing in.
  OpenReplaySocket();
}

void Subscriber::RequestReplay() {
  CancelSession();
  mode_ = Mode::kReplaying;
  uint64_t to = buffer_.empty() ? 0 : buffer_.begin()->first - 1;
  capnp::MallocMessageBuilder request;
  auto r = request.initRoot<wire::BusRequest>().initReplay();
  r.setFromSeq(next_);
  r.setToSeq(to);
  r.setCredit(options_.credit_window);
  r.setMaxBatch(options_.max_batch);
  Send(request);
  session_open_ = true;
  credit_left_ = options_.credit_window;
  consumed_ungranted_ = 0;
  last_replay_activity_ = loop_.clock().Now();
  ++stats_.replays;
  if (metrics_) metrics_->replays->Inc();
  spdlog::debug("{}: replay {}..{}", log_name_, next_, to == 0 ? "head" : std::to_string(to));
}

void Subscriber::ScheduleRetry() {
  CancelSession();
  mode_ = Mode::kWaiting;
  loop_.CancelTimer(retry_);
  Micros delay = options_.retry_delay;
  for (int i = 0; i < failures_in_a_row_ && delay < options_.max_retry_delay; ++i) delay *= 2;
  delay = std::max<Micros>(std::min(delay, options_.max_retry_delay), 0);
  ++failures_in_a_row_;
  retry_ = loop_.After(delay, [this] { Resume(); });
}

void Subscriber::Resume() {
  bool delivered = false;
  if (!DrainBuffer(&delivered)) return ScheduleRetry();
  RequestReplay();
}

void Subscriber::GoLive() {
  bool was_live = mode_ == Mode::kLive;
  mode_ = Mode::kLive;
  if (!was_live) {
    spdlog::info("{}: caught up at seq {}; live", log_name_, next_ - 1);
    if (on_caught_up_) on_caught_up_(next_);
  }
}

Subscriber::Delivery Subscriber::Deliver(wire::Event::Reader event, bool live) {
  uint64_t seq;
  try {
    seq = event.getSeq();
  } catch (const kj::Exception& e) {
    ++stats_.unreadable;
    return Delivery::kSkipped;
  }
  if (seq < next_) {
    ++stats_.duplicates;
    return Delivery::kSkipped;
  }
  if (seq > next_) return Delivery::kAhead;
  bool applied;
  try {
    applied = handler_(event);
  } catch (const kj::Exception& e) {
    // The bus validated it, so this is corruption or a schema mismatch: skipping it is the
    // only way forward; make it loud.
    spdlog::error("{}: event seq {} is unreadable ({}); skipped", log_name_, seq,
                  e.getDescription().cStr());
    ++stats_.unreadable;
    applied = true;
  }
  if (!applied) {
    ++stats_.handler_failures;
    return Delivery::kFailed;
  }
  ++next_;
  failures_in_a_row_ = 0;
  if (live) {
    ++stats_.live;
    if (metrics_) metrics_->live->Inc();
  } else {
    ++stats_.replayed;
    if (metrics_) metrics_->replayed->Inc();
  }
  if (metrics_) {
    metrics_->next->Set(static_cast<double>(next_ - 1));
    metrics_->lag->Set(head_ >= next_ ? static_cast<double>(head_ - next_ + 1) : 0.0);
  }
  return Delivery::kDelivered;
}

bool Subscriber::DrainBuffer(bool* delivered_any) {
  while (!buffer_.empty() && buffer_.begin()->first <= next_) {
    auto node = buffer_.extract(buffer_.begin());
    if (node.key() < next_) continue;
    std::string error;
    auto msg = DecodedMessage::Decode(node.mapped(), &error);
    Delivery d = Delivery::kSkipped;
    bool ok = msg && ReadSafely<wire::Event>(
                         *msg, [&](wire::Event::Reader e) { d = Deliver(e, true); }, &error);
    if (!ok) ++stats_.unreadable;
    if (d == Delivery::kFailed) {
      buffer_.insert(std::move(node));
      return false;
    }
    if (d == Delivery::kDelivered) *delivered_any = true;
  }
  return true;
}

void Subscriber::Buffer(uint64_t seq, std::string frame) {
  if (seq < next_ || buffer_.size() >= options_.max_live_buffer) return;
  buffer_.emplace(seq, std::move(frame));
}

void Subscriber::NoteHead(uint64_t head) {
  head_ = std::max(head_, head);
  if (metrics_) metrics_->lag->Set(head_ >= next_ ? static_cast<double>(head_ - next_ + 1) : 0.0);
}

void Subscriber::OnTick() {
  if (mode_ == Mode::kReplaying && session_open_ &&
      loop_.clock().Now() - last_replay_activity_ >= options_.stall_timeout) {
    spdlog::warn("{}: replay from {} stalled for {} ms; requesting it again", log_name_, next_,
                 options_.stall_timeout / kMicrosPerMilli);
    ++stats_.stalls;
    if (metrics_) metrics_->stalls->Inc();
    RequestReplay();
  }
}

void Subscriber::OnEventsReadable() {
  for (int n = 0; events_ && n < kMaxLiveReadsPerWakeup; ++n) {
    // Messages are [topic][payload]; anything else is ignored. Parts of one message
    // arrive together, so the blocking-free reads below cannot stop half-way.
    zmq::message_t topic, body;
    if (!events_->recv(topic, zmq::recv_flags::dontwait)) return;
    int parts = 1;
    bool more = topic.more();
    while (more) {
      if (!events_->recv(body, zmq::recv_flags::dontwait)) return;
      ++parts;
      more = body.more();
    }
    if (parts != 2) continue;
    last_heard_ = loop_.clock().Now();
    if (topic.to_string_view() == kHeartbeatTopic) {
      OnHeartbeat(body.to_string_view());
    } else {
      OnLiveEvent(body.to_string());
    }
    if (mode_ == Mode::kStopped) return;
  }
}

void Subscriber::OnLiveEvent(std::string frame) {
  std::string error;
  auto msg = DecodedMessage::Decode(frame, &error);
  uint64_t seq = 0;
  if (!msg || !ReadSafely<wire::Event>(
                  *msg, [&](wire::Event::Reader e) { seq = e.getSeq(); }, &error)) {
    ++stats_.unreadable;
    spdlog::warn("{}: unreadable live event: {}", log_name_, error);
    return;
  }
  NoteHead(seq);
  if (seq < next_) {
    ++stats_.duplicates;
    return;
  }
  if (mode_ != Mode::kLive) return Buffer(seq, std::move(frame));
  if (seq > next_) {
    spdlog::info("{}: gap in the live stream: expected seq {}, got {}; replaying it", log_name_,
                 next_, seq);
    ++stats_.gaps;
    if (metrics_) metrics_->gaps->Inc();
    Buffer(seq, std::move(frame));
    return RequestReplay();
  }
  Delivery d = Delivery::kSkipped;
  ReadSafely<wire::Event>(
      *msg, [&](wire::Event::Reader e) { d = Deliver(e, true); }, &error);
  if (d == Delivery::kFailed) {
    Buffer(seq, std::move(frame));
    ScheduleRetry();
  }
}

void Subscriber::OnHeartbeat(std::string_view frame) {
  std::string error;
  auto msg = DecodedMessage::Decode(frame, &error);
  uint64_t head = 0;
  if (!msg || !ReadSafely<wire::Heartbeat>(
                  *msg, [&](wire::Heartbeat::Reader hb) { head = hb.getHeadSeq(); }, &error)) {
    spdlog::warn("{}: unreadable heartbeat: {}", log_name_, error);
    return;
  }
  NoteHead(head);
  // Heartbeats follow the events they count on the same PUB socket, so a head at or past
  // next_ while live means the events in between were dropped (the lost tail).
  if (mode_ == Mode::kLive && head >= next_) {
    spdlog::info("{}: the bus's head is #{} but #{} has not arrived live; replaying the tail",
                 log_name_, head, next_);
    ++stats_.gaps;
    if (metrics_) metrics_->gaps->Inc();
    RequestReplay();
  }
}

void Subscriber::OnReplayReadable() {
  uint64_t generation = replay_generation_;
  for (int n = 0; replay_ && generation == replay_generation_ && n < kMaxReplayReadsPerWakeup;
       ++n) {
    zmq::message_t frame;
    if (!replay_->recv(frame, zmq::recv_flags::dontwait)) return;
    if (frame.more()) continue;  // a reply is one frame
    std::string error;
    auto msg = DecodedMessage::Decode(frame.to_string_view(), &error);
    if (!msg || !ReadSafely<wire::BusReply>(
                    *msg, [&](wire::BusReply::Reader r) { OnReplayReply(r); }, &error)) {
      spdlog::warn("{}: unreadable replay reply: {}", log_name_, error);
    }
    // OnReplayReply may have replaced the socket (a new session): the old one's remaining
    // frames belong to a dead session, so stop reading it.
  }
}

void Subscriber::OnReplayReply(wire::BusReply::Reader reply) {
  if (!session_open_) return;  // a status reply, or the tail of a finished session
  last_replay_activity_ = loop_.clock().Now();
  switch (reply.which()) {
    case wire::BusReply::REPLAY_BATCH:
      return OnBatch(reply.getReplayBatch());
    case wire::BusReply::REPLAY_END:
      return OnReplayEnd(reply.getReplayEnd());
    case wire::BusReply::NACK:
      // Credit sent just as the bus ended the session: expected, harmless.
      if (reply.getNack().getCode() == wire::ErrorCode::UNKNOWN_SESSION) return;
      spdlog::warn("{}: bus refused replay from {}: {}", log_name_, next_,
                   std::string(reply.getNack().getMessage()));
      return ScheduleRetry();
    default:
      return;
  }
}

void Subscriber::OnBatch(wire::ReplayBatch::Reader batch) {
  NoteHead(batch.getHeadSeq());
  auto events = batch.getEvents();
  if (events.size() > credit_left_)
    spdlog::warn("{}: bus sent {} events with {} credit left", log_name_, events.size(),
                 credit_left_);
  credit_left_ -= std::min<uint32_t>(events.size(), credit_left_);
  const uint64_t first = next_;
  const int failures_before = failures_in_a_row_;
  if (batch_hooks_.begin) batch_hooks_.begin();
  enum { kAll, kStopped, kJumped, kFailed } outcome = kAll;
  for (auto e : events) {
    if (mode_ != Mode::kReplaying) {  // the handler stopped us
      outcome = kStopped;
      break;
    }
    Delivery d = Deliver(e, false);
    if (d == Delivery::kAhead) {
      uint64_t seq = e.getSeq();
      if (next_ < batch.getFirstSeq()) {
        spdlog::warn("{}: events {}..{} are no longer retained by the bus; skipped", log_name_,
                     next_, seq - 1);
        stats_.trimmed += seq - next_;
        if (metrics_) metrics_->trimmed->Inc(seq - next_);
        next_ = seq;
        d = Deliver(e, false);
      } else {
        spdlog::warn("{}: replay jumped from {} to {}; replaying again", log_name_, next_, seq);
        outcome = kJumped;
        break;
      }
    }
    if (d == Delivery::kFailed) {
      outcome = kFailed;
      break;
    }
  }
  // What the handler staged is committed before anything else happens.
  if (batch_hooks_.end && !batch_hooks_.end()) {
    ++stats_.handler_failures;
    next_ = first;                         // none of the batch is stored: offer it all again
    failures_in_a_row_ = failures_before;  // nothing was delivered after all
    if (mode_ == Mode::kReplaying || mode_ == Mode::kWaiting) ScheduleRetry();
    return;
  }
  switch (outcome) {
    case kStopped:
      return;
    case kJumped:
      return RequestReplay();
    case kFailed:
      return ScheduleRetry();
    case kAll:
      break;
  }
  GrantConsumed(events.size());
}

void Subscriber::GrantConsumed(uint32_t consumed) {
  // Events are applied as they arrive, so whatever the bus sent is consumed and may be
  // granted back. Batching grants to a quarter window keeps credit messages few while the
  // bus still holds three quarters of the window.
  consumed_ungranted_ += consumed;
  uint32_t step = std::max<uint32_t>(options_.credit_window / 4, 1);
  if (consumed_ungranted_ < step) return;
  capnp::MallocMessageBuilder request;
  request.initRoot<wire::BusRequest>().initCredit().setEvents(consumed_ungranted_);
  Send(request);
  credit_left_ += consumed_ungranted_;
  consumed_ungranted_ = 0;
}

void Subscriber::OnReplayEnd(wire::ReplayEnd::Reader end) {
  session_open_ = false;
  uint64_t head = end.getHeadSeq(), first = end.getFirstSeq();
  NoteHead(head);
  // The head is past us but the oldest retained event is beyond next_ (or none is left):
  // the events in between are gone (retention).
  if (head >= next_ && (first == 0 || first > next_)) {
    uint64_t resume = first == 0 ? head + 1 : first;
    spdlog::warn("{}: events {}..{} are no longer retained by the bus; skipped", log_name_, next_,
                 resume - 1);
    stats_.trimmed += resume - next_;
    if (metrics_) metrics_->trimmed->Inc(resume - next_);
    next_ = resume;
  }
  bool joined = false;
  if (!DrainBuffer(&joined)) return ScheduleRetry();
  if (!buffer_.empty()) return RequestReplay();  // still a hole before the buffered events
  if (next_ > head || joined) return GoLive();
  RequestReplay();  // the head moved on while we replayed
}

}  // namespace picket
