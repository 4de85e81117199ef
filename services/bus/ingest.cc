#include "bus/ingest.h"

#include <capnp/message.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <limits>

#include "bus/bus_replies.h"
#include "bus/offered_event_id.h"
#include "bus/publish_access.h"
#include "picket/schemas/bus.capnp.h"
#include "runtime/refusal_record.h"
#include "wire/chain_checkpoint.h"
#include "wire/codec.h"
#include "wire/event_names.h"
#include "wire/event_rules.h"

namespace picket {

struct IngestEndpoint::Pending {
  std::string routing_id;
  std::vector<std::string> envelope;
  EventId id;
  std::string type;
  std::string producer;
  std::unique_ptr<capnp::MallocMessageBuilder> event;  // a copy of the offered Event
};

IngestEndpoint::IngestEndpoint(zmq::socket_ref router, zmq::socket_ref pub, LogStore& store,
                               const SubscriberReports& reports, const Clock& clock,
                               BusMetrics& metrics, Options options)
    : router_(router),
      pub_(pub),
      store_(store),
      reports_(reports),
      clock_(clock),
      metrics_(metrics),
      options_(std::move(options)) {}

IngestEndpoint::~IngestEndpoint() = default;

size_t IngestEndpoint::OnReadable() {
  std::vector<Pending> batch;
  for (size_t handled = 0; handled < options_.max_batch; ++handled) {
    auto req = ReceiveRequest(router_);
    if (!req) break;
    Handle(*req, batch);
  }
  size_t before = store_.Head().seq;
  if (!batch.empty()) Commit(batch);
  return store_.Head().seq - before;
}

void IngestEndpoint::Handle(RouterRequest& req, std::vector<Pending>& batch) {
  using wire::ErrorCode;
  if (req.bad_frames)
    return Refuse(req, ErrorCode::BAD_FRAMES,
                  "too many or too long frames before the request (at most " +
                      std::to_string(kMaxEnvelopeFrames) + " of " +
                      std::to_string(kMaxEnvelopeFrameBytes) + " bytes)");
  // Size first: an oversized frame is not decoded (Refuse reads only its event id).
  if (req.body.size() > options_.max_message_bytes)
    return Refuse(req, ErrorCode::TOO_LARGE,
                  "request of " + std::to_string(req.body.size()) +
                      " bytes is over bus.max_message_bytes (" +
                      std::to_string(options_.max_message_bytes) + ")");
  std::string error;
  auto msg = DecodedMessage::Decode(req.body.to_string_view(), &error);
  if (!msg) return Refuse(req, ErrorCode::MALFORMED, "not a BusRequest: " + error);

  enum class Kind { kPublish, kStatus, kOther } kind = Kind::kOther;
  std::optional<Rejection> rejection;
  Pending pending;
  bool read_ok = ReadSafely<wire::BusRequest>(
      *msg,
      [&](wire::BusRequest::Reader request) {
        switch (request.which()) {
          case wire::BusRequest::PUBLISH:
            kind = Kind::kPublish;
            if (!request.hasPublish()) {
              rejection = Rejection{ErrorCode::MISSING_FIELD, "the publish holds no event"};
              break;
            }
            rejection = ReadPublish(request.getPublish(), req.body.size(), req.peer, pending);
            break;
          case wire::BusRequest::STATUS:
            kind = Kind::kStatus;
            break;
          default:
            kind = Kind::kOther;
        }
      },
      &error);
  if (!read_ok) return Refuse(req, ErrorCode::MALFORMED, "cannot read the request: " + error);
  switch (kind) {
    case Kind::kOther:
      return Refuse(req, ErrorCode::WRONG_TYPE,
                    "the ingest endpoint takes publish and status requests only");
    case Kind::kStatus: {
      LogRange log{store_.FirstSeq(), store_.Head().seq};
      return Reply(req, EncodeStatus(options_.site, log, reports_.All(), clock_.Now()));
    }
    case Kind::kPublish:
      if (rejection) {
        if (rejection->code == ErrorCode::UNAUTHORIZED && options_.security)
          RecordRefusal(req.peer, pending, rejection->message);
        return Refuse(req, rejection->code, rejection->message);
      }
      pending.routing_id = std::move(req.routing_id);
      pending.envelope = std::move(req.envelope);
      batch.push_back(std::move(pending));
      return;
  }
}

std::optional<Rejection> IngestEndpoint::ReadPublish(wire::Event::Reader event, size_t frame_bytes,
                                                     const std::string& peer, Pending& pending) {
  // The type and the producer: what was tried, as whom (RecordRefusal's record, if refused).
  pending.type.assign(event.getType().cStr(), event.getType().size());
  pending.producer.assign(event.getProducer().cStr(), event.getProducer().size());
  if (auto rejection = CheckPublishable(event, options_.site)) return rejection;
  if (options_.security) {
    const Identity* who = options_.security->Find(peer);
    std::optional<std::string> why =
        who ? WhyPublishRefused(*who, event)
            : "the key is not listed in [security.identities]";  // ZAP admits listed keys only
    if (why) return Rejection{wire::ErrorCode::UNAUTHORIZED, *why};
  }
  auto id = event.getId();
  pending.id =
      *EventId::FromBytes(std::string_view(reinterpret_cast<const char*>(id.begin()), id.size()));
  // Copying walks the whole body too, so a bad pointer anywhere throws here (the caller
  // runs this inside ReadSafely).
  pending.event = std::make_unique<capnp::MallocMessageBuilder>(
      static_cast<unsigned>(frame_bytes / sizeof(capnp::word) + 8));
  pending.event->setRoot(event);
  return std::nullopt;
}

void IngestEndpoint::Commit(std::vector<Pending>& batch) {
  std::vector<EventId> ids;
  ids.reserve(batch.size());
  for (const auto& p : batch) ids.push_back(p.id);
  std::vector<std::optional<RecordedAt>> stored;
  std::string error;
  if (!store_.Lookup(ids, &stored, &error)) return FailBatch(batch, error);

  std::vector<OfferedEvent> offered;
  offered.reserve(batch.size());
  for (size_t i = 0; i < batch.size(); ++i) offered.push_back({ids[i], stored[i]});
  BatchPlan plan = PlanBatch(store_.Head(), clock_.Now(), offered);

  std::optional<ChainHash> tip = plan.recorded > 0 ? ChainTip(&error) : tip_;
  if (plan.recorded > 0 && !tip)
    return FailBatch(batch, "reading the head event for the hash chain: " + error);
  std::vector<NewEvent> events;
  std::vector<size_t> event_index;  // batch index of each new event
  events.reserve(plan.recorded);
  for (size_t i = 0; i < batch.size(); ++i) {
    const Assignment& a = plan.assignments[i];
    if (a.duplicate) continue;
    auto root = batch[i].event->getRoot<wire::Event>();
    root.setSeq(a.at.seq);
    root.setRecordedAt(a.at.recorded_at);
    root.setPrevHash(capnp::Data::Reader(tip->data(), tip->size()));
    CanonicalEvent recorded = Canonical(root.asReader());  // stored as it is hashed
    tip = recorded.hash;
    events.push_back(NewEvent{a.at.seq, a.at.recorded_at, batch[i].id, std::move(recorded.bytes)});
    event_index.push_back(i);
  }

  auto started = std::chrono::steady_clock::now();
  bool written = store_.Append(events, options_.sync, &error);
  if (!events.empty())
    metrics_.write_seconds.Observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  if (!written) {
    // Nothing was recorded: only answers that do not depend on this write may be acks.
    metrics_.storage_failures.Inc();
    metrics_.storage_ok = false;
    // The store logs each change of its state once (a full disk is not a line per batch).
    spdlog::debug("group commit of {} events not written: {}", events.size(), error);
    for (size_t i = 0; i < batch.size(); ++i) {
      const Assignment& a = plan.assignments[i];
      if (a.duplicate && !a.original_in_batch) {
        metrics_.duplicates.Inc();
        Reply(batch[i].routing_id, batch[i].envelope, EncodeAck(batch[i].id, a.at, true));
      } else {
        metrics_.Rejected(wire::ErrorCode::UNAVAILABLE);
        Reply(
            batch[i].routing_id, batch[i].envelope,
            EncodeNack(batch[i].id.Bytes(), wire::ErrorCode::UNAVAILABLE, error + "; retry later"));
      }
    }
    return;
  }
  tip_ = tip;  // the chain goes on from the last event written
  metrics_.storage_ok = true;
  metrics_.batch_size.Observe(static_cast<double>(batch.size()));
  metrics_.events_recorded.Inc(events.size());
  metrics_.head_seq.Set(static_cast<double>(store_.Head().seq));
  // Durable: acknowledge every producer, then fan the events out in seq order.
  for (size_t i = 0; i < batch.size(); ++i) {
    const Assignment& a = plan.assignments[i];
    if (a.duplicate) metrics_.duplicates.Inc();
    Reply(batch[i].routing_id, batch[i].envelope, EncodeAck(batch[i].id, a.at, a.duplicate));
  }
  for (size_t k = 0; k < events.size(); ++k)
    PublishFrames(pub_, batch[event_index[k]].type, events[k].bytes);
  if (options_.checkpoint_key && !events.empty()) {
    if (uncovered_ == 0) first_uncovered_at_ = clock_.Now();
    uncovered_ += events.size();
    if (uncovered_ >= options_.checkpoint_every) WriteCheckpoint();
  }
}

void IngestEndpoint::CheckpointIfDue() {
  if (!options_.checkpoint_key) return;
  if (!head_checked_) {
    // A log whose newest event is not a checkpoint (the bus stopped before writing one)
    // gets one an interval after this start.
    head_checked_ = true;
    const LogHead head = store_.Head();
    std::vector<StoredEvent> stored;
    std::string error;
    if (head.seq > 0 && uncovered_ == 0 &&
        store_.Read(head.seq, 1, std::numeric_limits<size_t>::max(), &stored, &error) &&
        !stored.empty()) {
      auto msg = DecodedMessage::Decode(stored[0].bytes, &error);
      std::string type;
      if (msg)
        ReadSafely<wire::Event>(
            *msg, [&](wire::Event::Reader e) { type = e.getType().cStr(); }, &error);
      if (type != event_names::kBusCheckpoint) {
        uncovered_ = 1;
        first_uncovered_at_ = clock_.Now();
      }
    }
  }
  if (uncovered_ > 0 && clock_.Now() - first_uncovered_at_ >= options_.checkpoint_interval)
    WriteCheckpoint();
}

bool IngestEndpoint::WriteCheckpoint() {
  if (store_.Head().seq == 0) return false;  // nothing to sign
  const SigningKeyPair& key = *options_.checkpoint_key;
  bool written = RecordOwnEvent([&](wire::Event::Builder e, uint64_t head, const ChainHash& tip) {
    const CheckpointSignature sig = SignCheckpoint(*key.secret_key, options_.site, head, tip);
    e.setType(std::string(event_names::kBusCheckpoint));
    auto body = e.getBody().initAs<wire::ChainCheckpoint>();
    body.setUpTo(head);
    body.setTipHash(capnp::Data::Reader(tip.data(), tip.size()));
    body.setSignature(capnp::Data::Reader(sig.data(), sig.size()));
    body.setKey(capnp::Data::Reader(key.public_key.data(), key.public_key.size()));
  });
  if (written) uncovered_ = 0;
  return written;
}

void IngestEndpoint::RecordRefusal(const std::string& peer, const Pending& pending,
                                   const std::string& reason) {
  uint64_t unrecorded = 0;
  if (!refusal_records_.Allow(clock_.Now(), &unrecorded)) return;
  const Identity* who = options_.security->Find(peer);
  bool written = RecordOwnEvent([&](wire::Event::Builder e, uint64_t, const ChainHash&) {
    e.setType(std::string(event_names::kPublishRefused));
    FillRefusal(e, {who, peer, pending.type, pending.producer, reason, unrecorded});
  });
  if (written && options_.checkpoint_key) {
    if (uncovered_ == 0) first_uncovered_at_ = clock_.Now();
    ++uncovered_;
  }
}

bool IngestEndpoint::RecordOwnEvent(
    const std::function<void(wire::Event::Builder, uint64_t head, const ChainHash& tip)>& fill) {
  std::string error;
  std::optional<ChainHash> tip = ChainTip(&error);
  const LogHead head = store_.Head();
  if (!tip) {
    spdlog::warn("the bus's own event not written: {}", error);
    return false;
  }
  const EventId id = EventId::Random();
  const Micros now = clock_.Now();
  BatchPlan plan = PlanBatch(head, now, {OfferedEvent{id, std::nullopt}});
  const RecordedAt at = plan.assignments[0].at;

  capnp::MallocMessageBuilder message;
  auto e = message.initRoot<wire::Event>();
  e.setId(capnp::Data::Reader(reinterpret_cast<const uint8_t*>(id.Bytes().data()), EventId::kSize));
  e.setSite(options_.site);
  e.setProducer("bus");
  e.setObservedAt(now);
  e.setSeq(at.seq);
  e.setRecordedAt(at.recorded_at);
  e.setPrevHash(capnp::Data::Reader(tip->data(), tip->size()));
  fill(e, head.seq, *tip);
  CanonicalEvent recorded = Canonical(e.asReader());
  std::vector<NewEvent> events{NewEvent{at.seq, at.recorded_at, id, recorded.bytes}};
  if (!store_.Append(events, options_.sync, &error)) {
    metrics_.storage_failures.Inc();
    spdlog::warn("the bus's own event {} not written: {}", e.getType().cStr(), error);
    return false;
  }
  tip_ = recorded.hash;
  metrics_.events_recorded.Inc(1);
  metrics_.head_seq.Set(static_cast<double>(store_.Head().seq));
  PublishFrames(pub_, e.getType().cStr(), recorded.bytes);
  return true;
}

std::optional<ChainHash> IngestEndpoint::ChainTip(std::string* error) {
  if (tip_) return tip_;
  const LogHead head = store_.Head();
  if (head.seq == 0) return tip_ = kChainGenesis;
  if (store_.FirstSeq() > head.seq) {
    spdlog::warn("no event is stored (all past retention): the hash chain starts again at #{}",
                 head.seq + 1);
    return tip_ = kChainGenesis;
  }
  std::vector<StoredEvent> stored;
  if (!store_.Read(head.seq, 1, std::numeric_limits<size_t>::max(), &stored, error))
    return std::nullopt;
  if (stored.empty()) {
    *error = "event #" + std::to_string(head.seq) + " is not stored";
    return std::nullopt;
  }
  auto msg = DecodedMessage::Decode(stored[0].bytes, error);
  ChainHash hash{};
  if (!msg || !ReadSafely<wire::Event>(
                  *msg, [&](wire::Event::Reader e) { hash = ChainHashOf(e); }, error))
    return std::nullopt;
  return tip_ = hash;
}

void IngestEndpoint::FailBatch(std::vector<Pending>& batch, const std::string& why) {
  metrics_.storage_failures.Inc();
  metrics_.storage_ok = false;
  spdlog::error("dedup lookup for {} events failed: {}", batch.size(), why);
  for (const auto& p : batch) {
    metrics_.Rejected(wire::ErrorCode::UNAVAILABLE);
    Reply(p.routing_id, p.envelope,
          EncodeNack(p.id.Bytes(), wire::ErrorCode::UNAVAILABLE,
                     "the bus could not read its log; retry later"));
  }
}

void IngestEndpoint::Reply(const RouterRequest& to, std::string_view frame) {
  Reply(to.routing_id, to.envelope, frame);
}

void IngestEndpoint::Reply(const std::string& routing_id, const std::vector<std::string>& envelope,
                           std::string_view frame) {
  if (SendReply(router_, routing_id, envelope, frame) != SendOutcome::kSent)
    metrics_.unroutable_replies.Inc();
}

void IngestEndpoint::Refuse(const RouterRequest& to, wire::ErrorCode code,
                            const std::string& message) {
  metrics_.Rejected(code);
  uint64_t suppressed = 0;
  if (refusal_log_.Allow(clock_.Now(), &suppressed)) {
    LogUnloggedRefusals(suppressed);
    spdlog::info("ingest: refused a request ({}): {}", ErrorCodeName(code), message);
  }
  Reply(to, EncodeNack(OfferedEventId(to.body.to_string_view()), code, message));
}

void IngestEndpoint::ReportUnloggedRefusals() {
  LogUnloggedRefusals(refusal_log_.TakeSuppressed(clock_.Now()));
}

void IngestEndpoint::LogUnloggedRefusals(uint64_t count) {
  if (count == 0) return;
  spdlog::info(
      "ingest: {} more refusals were not logged (at most {} per {} s are; "
      "picket_bus_rejected_total counts every one)",
      count, kLoggedRefusalsPerWindow, kRefusalLogWindow / kMicrosPerSecond);
}

}  // namespace picket
