#include "runtime/publisher.h"

#include <capnp/message.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "runtime/zap_authenticator.h"
#include "wire/codec.h"
#include "wire/event_rules.h"

namespace picket {
namespace {

std::optional<EventId> IdOf(capnp::Data::Reader data) {
  return EventId::FromBytes(
      std::string_view(reinterpret_cast<const char*>(data.begin()), data.size()));
}

}  // namespace

struct Publisher::Metrics {
  Counter *sent, *resent, *acked, *duplicates, *nacked, *dead_lettered;
  Gauge* pending;
};

Publisher::Publisher(zmq::context_t& context, EventLoop& loop, PublisherOptions options,
                     Outbox* outbox, MetricsRegistry* metrics)
    : context_(context),
      loop_(loop),
      options_(std::move(options)),
      outbox_(outbox),
      rng_(options_.jitter_seed != 0 ? options_.jitter_seed : std::random_device()()) {
  options_.window = std::max<size_t>(options_.window, 1);
  if (metrics != nullptr) {
    std::string label = "publisher=\"" + options_.name + "\"";
    metrics_ = std::make_unique<Metrics>();
    metrics_->sent = &metrics->AddCounter("picket_publisher_sent_total",
                                          "Publishes sent to the bus (first attempts)", label);
    metrics_->resent = &metrics->AddCounter("picket_publisher_resent_total",
                                            "Publishes re-sent after an ack timeout", label);
    metrics_->acked = &metrics->AddCounter("picket_publisher_acked_total",
                                           "Events the bus recorded (new)", label);
    metrics_->duplicates = &metrics->AddCounter("picket_publisher_duplicates_total",
                                                "Acks saying the id was already recorded", label);
    metrics_->nacked = &metrics->AddCounter("picket_publisher_nacked_total",
                                            "Events the bus refused for good", label);
    metrics_->dead_lettered =
        &metrics->AddCounter("picket_publisher_dead_lettered_total",
                             "Outbox rows the bus refused, moved to dead_letter (a bug)", label);
    metrics_->pending =
        &metrics->AddGauge("picket_publisher_pending", "Events awaiting an ack", label);
  }
}

Publisher::~Publisher() { Stop(); }

bool Publisher::Start(std::string* error) {
  if (socket_) return true;
  try {
    socket_.emplace(context_, zmq::socket_type::dealer);
    socket_->set(zmq::sockopt::linger, 0);
    // Room for every in-flight frame plus re-sends while the bus is away.
    socket_->set(zmq::sockopt::sndhwm, static_cast<int>(options_.window * 4));
    socket_->set(zmq::sockopt::rcvhwm, static_cast<int>(options_.window * 4));
    ApplyCurveClient(*socket_, options_.curve);
    socket_->connect(options_.endpoint);
  } catch (const zmq::error_t& e) {
    *error = "publisher: connecting to '" + options_.endpoint + "': " + e.what();
    socket_.reset();
    return false;
  }
  loop_.AddSocket(*socket_, [this] { OnReadable(); });
  Micros tick =
      std::clamp<Micros>(options_.ack_timeout / 8, 2 * kMicrosPerMilli, 250 * kMicrosPerMilli);
  tick_ = loop_.Every(tick, [this] { OnTick(); });
  if (outbox_ != nullptr) {
    std::vector<OutboxRow> rows;
    if (!outbox_->LoadPending(&rows, error)) return false;
    if (!rows.empty())
      spdlog::info("{}: re-sending {} pending outbox rows", options_.name, rows.size());
    PublishStored(rows);
  }
  FillWindow();
  return true;
}

void Publisher::Stop() {
  if (!socket_) return;
  loop_.CancelTimer(tick_);
  loop_.RemoveSocket(*socket_);
  socket_.reset();
}

std::optional<EventId> Publisher::Publish(std::string_view event, std::string* error) {
  auto id = Enqueue(event, std::nullopt, error);
  if (id) FillWindow();
  return id;
}

void Publisher::PublishStored(const std::vector<OutboxRow>& rows) {
  if (outbox_ == nullptr) std::abort();  // a bug: durable rows without an outbox
  for (const auto& row : rows) {
    std::string error;
    if (!Enqueue(row.event, row.row_id, &error)) {
      spdlog::error("{}: outbox row {} is unreadable ({}); dead-lettering it", options_.name,
                    row.row_id, error);
      DeadLetter(EventId(), row.row_id, row.event,
                 static_cast<uint16_t>(wire::ErrorCode::MALFORMED), error);
    }
  }
  FillWindow();
}

std::optional<EventId> Publisher::Enqueue(std::string_view event, std::optional<uint64_t> row_id,
                                          std::string* error) {
  auto msg = DecodedMessage::Decode(event, error);
  if (!msg) return std::nullopt;
  std::optional<EventId> id;
  capnp::MallocMessageBuilder request;
  bool ok = ReadSafely<wire::Event>(
      *msg,
      [&](wire::Event::Reader e) {
        id = IdOf(e.getId());
        if (id) request.initRoot<wire::BusRequest>().setPublish(e);
      },
      error);
  if (!ok) return std::nullopt;
  if (!id) {
    *error = "the event's id is not 16 bytes";
    return std::nullopt;
  }
  std::string frame = Encode(request);
  if (frame.size() > kMaxBusFrameBytes) {
    // No bus takes it, and over 4x the bus's limit ZeroMQ would drop the connection
    // without a nack: refused here, as the bus would (tooLarge).
    *error = "tooLarge: the publish is " + std::to_string(frame.size()) +
             " bytes; no bus records more than " + std::to_string(kMaxBusFrameBytes);
    return std::nullopt;
  }
  auto [it, added] = entries_.try_emplace(*id);
  if (!added) return id;  // already pending: one copy in flight is enough
  it->second.frame = std::move(frame);
  it->second.row_id = row_id;
  if (row_id) {
    it->second.event = std::string(event);
    pending_rows_.insert(*row_id);
  }
  queue_.push_back(*id);
  if (metrics_) metrics_->pending->Set(static_cast<double>(entries_.size()));
  return id;
}

void Publisher::FillWindow() {
  if (!socket_) return;
  while (in_flight_ < options_.window && !queue_.empty()) {
    EventId id = queue_.front();
    queue_.pop_front();
    auto it = entries_.find(id);
    if (it == entries_.end() || it->second.in_flight) continue;
    it->second.in_flight = true;
    ++in_flight_;
    Send(id, it->second);
  }
}

Micros Publisher::Backoff(int attempts) {
  // attempts >= 1. The first wait is the plain ack timeout; later ones double, capped, with
  // "equal jitter" (half fixed, half random) so many clients re-sending after one bus
  // restart spread out instead of arriving together.
  if (attempts <= 1) return options_.ack_timeout;
  Micros delay = options_.ack_timeout;
  for (int i = 1; i < attempts && delay < options_.max_backoff; ++i) delay *= 2;
  delay = std::min(delay, options_.max_backoff);
  std::uniform_int_distribution<Micros> half(0, delay / 2);
  return delay - delay / 2 + half(rng_);
}

void Publisher::Send(const EventId& id, Entry& entry) {
  ++entry.attempts;
  if (entry.attempts == 1) {
    ++stats_.sent;
    if (metrics_) metrics_->sent->Inc();
  } else {
    ++stats_.resent;
    if (metrics_) metrics_->resent->Inc();
  }
  // dontwait: at the HWM (bus away for long) the frame is simply not sent this time; the
  // deadline below re-sends it, exactly as if it had been lost on the wire.
  auto sent = socket_->send(zmq::buffer(entry.frame), zmq::send_flags::dontwait);
  (void)sent;
  entry.deadline = loop_.clock().Now() + Backoff(entry.attempts);
  deadlines_.emplace(entry.deadline, id);
}

void Publisher::OnTick() {
  if (removal_failing_) RemoveAcked();
  Micros now = loop_.clock().Now();
  while (!deadlines_.empty() && deadlines_.begin()->first <= now) {
    auto [due, id] = *deadlines_.begin();
    deadlines_.erase(deadlines_.begin());
    auto it = entries_.find(id);
    if (it == entries_.end() || !it->second.in_flight || it->second.deadline != due) continue;
    if (it->second.attempts == 1)
      spdlog::debug("{}: no ack for {} within the timeout; re-sending", options_.name, id.ToHex());
    Send(id, it->second);
  }
}

void Publisher::OnReadable() {
  // Read what is there, boundedly so a flood cannot starve the loop (the poll is
  // level-triggered: the rest is read on the next iteration).
  for (int n = 0; socket_ && n < 1024; ++n) {
    zmq::message_t frame;
    auto got = socket_->recv(frame, zmq::recv_flags::dontwait);
    if (!got) break;
    bool last = !frame.more();
    // A reply is one frame; skip anything in front of it (never sent by a correct bus).
    while (!last && socket_->recv(frame, zmq::recv_flags::dontwait)) last = !frame.more();
    if (!last) break;
    OnReply(frame.to_string_view());
  }
  RemoveAcked();
}

void Publisher::RemoveAcked() {
  // The rows of every ack read leave the outbox in one write. If that fails (a full disk)
  // they stay here and are removed by a later call; a crash before that only means they
  // are re-sent at the next start and deduplicated by the bus.
  if (acked_rows_.empty() || outbox_ == nullptr) {
    acked_rows_.clear();
    return;
  }
  std::string error;
  if (!outbox_->Remove(acked_rows_, &error)) {
    if (!removal_failing_) spdlog::warn("{}: {}; will retry", options_.name, error);
    removal_failing_ = true;
    return;
  }
  if (removal_failing_) spdlog::info("{}: acked rows removed from the outbox again", options_.name);
  removal_failing_ = false;
  acked_rows_.clear();
}

void Publisher::OnReply(std::string_view frame) {
  std::string error;
  auto msg = DecodedMessage::Decode(frame, &error);
  bool ok = msg && ReadSafely<wire::BusReply>(
                       *msg,
                       [&](wire::BusReply::Reader reply) {
                         if (reply.isAck()) {
                           OnAck(reply.getAck());
                         } else if (reply.isNack()) {
                           OnNack(reply.getNack());
                         } else {
                           ++stats_.unmatched_replies;
                         }
                       },
                       &error);
  if (!ok) spdlog::warn("{}: unreadable reply from the bus: {}", options_.name, error);
}

void Publisher::OnAck(wire::Ack::Reader ack) {
  auto id = IdOf(ack.getEventId());
  auto it = id ? entries_.find(*id) : entries_.end();
  if (it == entries_.end()) {
    ++stats_.unmatched_replies;  // the answer to an earlier attempt of an acked event
    return;
  }
  PublishOutcome outcome;
  outcome.kind =
      ack.getDuplicate() ? PublishOutcome::Kind::kDuplicate : PublishOutcome::Kind::kAcked;
  outcome.seq = ack.getSeq();
  outcome.recorded_at = ack.getRecordedAt();
  if (ack.getDuplicate()) {
    ++stats_.duplicates;
    if (metrics_) metrics_->duplicates->Inc();
  } else {
    ++stats_.acked;
    if (metrics_) metrics_->acked->Inc();
  }
  if (it->second.row_id) acked_rows_.push_back(*it->second.row_id);  // removed by OnReadable
  Finish(it, std::move(outcome));
}

void Publisher::OnNack(wire::Nack::Reader nack) {
  auto id = IdOf(nack.getEventId());
  auto it = id ? entries_.find(*id) : entries_.end();
  std::string message = nack.getMessage();
  if (it == entries_.end()) {
    ++stats_.unmatched_replies;
    spdlog::warn("{}: nack {} for no pending event: {}", options_.name,
                 ErrorCodeName(nack.getCode()), message);
    return;
  }
  if (nack.getCode() == wire::ErrorCode::UNAVAILABLE) {
    // "Not now" (shutting down, storage trouble): keep it in flight, its deadline re-sends.
    return;
  }
  ++stats_.nacked;
  if (metrics_) metrics_->nacked->Inc();
  PublishOutcome outcome;
  outcome.kind = PublishOutcome::Kind::kNacked;
  outcome.code = nack.getCode();
  outcome.message = message;
  if (it->second.row_id && outbox_ != nullptr)
    DeadLetter(it->first, *it->second.row_id, it->second.event,
               static_cast<uint16_t>(nack.getCode()), message);
  Finish(it, std::move(outcome));
}

void Publisher::Finish(std::map<EventId, Entry>::iterator it, PublishOutcome outcome) {
  outcome.id = it->first;
  outcome.row_id = it->second.row_id;
  outcome.attempts = it->second.attempts;
  if (it->second.in_flight) --in_flight_;
  if (it->second.row_id) pending_rows_.erase(*it->second.row_id);
  entries_.erase(it);  // its deadline and queue slots are skipped as stale
  if (metrics_) metrics_->pending->Set(static_cast<double>(entries_.size()));
  FillWindow();
  if (on_outcome_) on_outcome_(outcome);
}

void Publisher::DeadLetter(const EventId& id, uint64_t row_id, std::string_view event,
                           uint16_t code, const std::string& why) {
  // A service's own derived event refused by its own bus: a bug in the service, never an
  // expected outcome. Park it so the rows behind it keep flowing, and make it loud.
  spdlog::error(
      "{}: bus refused derived event {} (outbox row {}), code {}: {}; moved to "
      "dead_letter",
      options_.name, id.ToHex(), row_id, code, why);
  ++stats_.dead_lettered;
  if (metrics_) metrics_->dead_lettered->Inc();
  std::string error;
  if (!outbox_->MoveToDeadLetter(row_id, event, code, why, &error))
    spdlog::error("{}: {}", options_.name, error);
}

}  // namespace picket
