#include "bus/replay_endpoint.h"

#include <spdlog/spdlog.h>

#include <set>

#include "bus/bus_replies.h"
#include "wire/codec.h"
#include "wire/event_rules.h"

namespace picket {

ReplayEndpoint::ReplayEndpoint(zmq::socket_ref router, LogStore& store, ReplaySessions& sessions,
                               SubscriberReports& reports, const Clock& clock, BusMetrics& metrics,
                               Options options)
    : router_(router),
      store_(store),
      sessions_(sessions),
      reports_(reports),
      clock_(clock),
      metrics_(metrics),
      options_(std::move(options)) {}

void ReplayEndpoint::OnReadable() {
  for (size_t i = 0; i < options_.max_requests_per_read; ++i) {
    auto req = ReceiveRequest(router_);
    if (!req) break;
    Handle(*req);
  }
  metrics_.replay_sessions.Set(static_cast<double>(sessions_.size()));
}

void ReplayEndpoint::Handle(RouterRequest& req) {
  using wire::ErrorCode;
  if (req.bad_frames)
    return Refuse(req, ErrorCode::BAD_FRAMES, "too many or too long frames before the request");
  if (req.body.size() > options_.max_message_bytes)
    return Refuse(req, ErrorCode::TOO_LARGE,
                  "request of " + std::to_string(req.body.size()) + " bytes is over the limit");
  std::string error;
  auto msg = DecodedMessage::Decode(req.body.to_string_view(), &error);
  if (!msg) return Refuse(req, ErrorCode::MALFORMED, "not a BusRequest: " + error);

  const Micros now = clock_.Now();
  std::optional<Rejection> rejection;
  bool reply_status = false;
  bool read_ok = ReadSafely<wire::BusRequest>(
      *msg,
      [&](wire::BusRequest::Reader request) {
        switch (request.which()) {
          case wire::BusRequest::REPLAY: {
            auto r = request.getReplay();
            ReplayParams params{r.getFromSeq(), r.getToSeq(), r.getCredit(), r.getMaxBatch()};
            rejection = ReplaySessions::Check(params);
            if (!rejection) rejection = sessions_.Start(req.routing_id, params, now);
            if (!rejection) envelopes_[req.routing_id] = req.envelope;
            return;
          }
          case wire::BusRequest::CREDIT:
            rejection = sessions_.AddCredit(req.routing_id, request.getCredit().getEvents(), now);
            return;
          case wire::BusRequest::CANCEL:
            rejection = sessions_.Cancel(req.routing_id);
            if (!rejection) envelopes_.erase(req.routing_id);
            return;
          case wire::BusRequest::PROGRESS: {
            auto p = request.getProgress();
            std::string name(p.getSubscriber().cStr(), p.getSubscriber().size());
            rejection = SubscriberReports::Check(name);
            if (!rejection) reports_.Record(name, p.getAppliedSeq(), now);
            return;
          }
          case wire::BusRequest::STATUS:
            reply_status = true;
            return;
          default:
            rejection = Rejection{ErrorCode::WRONG_TYPE,
                                  "the replay endpoint takes replay, credit, cancel, progress "
                                  "and status requests"};
        }
      },
      &error);
  if (!read_ok) return Refuse(req, ErrorCode::MALFORMED, "cannot read the request: " + error);
  if (rejection) return Refuse(req, rejection->code, rejection->message);
  if (reply_status) {
    if (SendReply(router_, req.routing_id, req.envelope,
                  EncodeStatus(options_.site, Range(), reports_.All(), now)) != SendOutcome::kSent)
      metrics_.unroutable_replies.Inc();
  }
}

ReplayEndpoint::SliceResult ReplayEndpoint::ServeSlice() {
  size_t sent = 0;
  std::set<std::string> blocked;
  std::vector<StoredEvent> events;
  std::string frame, error;
  while (sent < options_.slice_events) {
    auto step = sessions_.NextStep(Range());
    if (!step) return SliceResult::kIdle;
    if (blocked.count(step->peer)) return SliceResult::kBlocked;  // everyone left is full
    if (step->kind == ReplaySessions::Step::Kind::kEnd) {
      auto outcome = SendTo(step->peer, EncodeReplayEnd(step->last_seq, Range()));
      if (outcome == SendOutcome::kWouldBlock) {
        blocked.insert(step->peer);
      } else {
        RemoveSession(step->peer);
      }
      continue;
    }
    if (!store_.Read(step->from_seq, step->max_events, options_.max_batch_bytes, &events, &error) ||
        events.empty() || !EncodeReplayBatch(events, Range(), &frame, &error)) {
      if (error.empty()) error = "event " + std::to_string(step->from_seq) + " is missing";
      metrics_.storage_failures.Inc();
      spdlog::error("replay: cannot read the log at seq {}: {}", step->from_seq, error);
      SendTo(step->peer, EncodeNack({}, wire::ErrorCode::UNAVAILABLE,
                                    "the bus could not read its log: " + error));
      metrics_.Rejected(wire::ErrorCode::UNAVAILABLE);
      RemoveSession(step->peer);
      error.clear();
      continue;
    }
    auto outcome = SendTo(step->peer, frame);
    if (outcome == SendOutcome::kWouldBlock) {
      blocked.insert(step->peer);
    } else if (outcome == SendOutcome::kUnroutable) {
      RemoveSession(step->peer);
    } else {
      auto n = static_cast<uint32_t>(events.size());
      sessions_.BatchSent(step->peer, events.back().seq, n);
      metrics_.replay_events.Inc(n);
      sent += n;
    }
  }
  return SliceResult::kMoreWork;
}

size_t ReplayEndpoint::ExpireIdle() {
  auto expired = sessions_.ExpireIdle(clock_.Now());
  for (const auto& peer : expired) {
    envelopes_.erase(peer);
    spdlog::info("replay: dropped a session idle without credit");
  }
  metrics_.replay_sessions.Set(static_cast<double>(sessions_.size()));
  return expired.size();
}

void ReplayEndpoint::Refuse(const RouterRequest& to, wire::ErrorCode code,
                            const std::string& message) {
  metrics_.Rejected(code);
  uint64_t suppressed = 0;
  if (refusal_log_.Allow(clock_.Now(), &suppressed)) {
    LogUnloggedRefusals(suppressed);
    spdlog::info("replay: refused a request ({}): {}", ErrorCodeName(code), message);
  }
  if (SendReply(router_, to.routing_id, to.envelope, EncodeNack({}, code, message)) !=
      SendOutcome::kSent)
    metrics_.unroutable_replies.Inc();
}

void ReplayEndpoint::ReportUnloggedRefusals() {
  LogUnloggedRefusals(refusal_log_.TakeSuppressed(clock_.Now()));
}

void ReplayEndpoint::LogUnloggedRefusals(uint64_t count) {
  if (count == 0) return;
  spdlog::info(
      "replay: {} more refusals were not logged (at most {} per {} s are; "
      "picket_bus_rejected_total counts every one)",
      count, kLoggedRefusalsPerWindow, kRefusalLogWindow / kMicrosPerSecond);
}

SendOutcome ReplayEndpoint::SendTo(const std::string& peer, std::string_view frame) {
  auto it = envelopes_.find(peer);
  auto outcome =
      SendReply(router_, peer, it == envelopes_.end() ? no_envelope_ : it->second, frame);
  if (outcome == SendOutcome::kUnroutable) metrics_.unroutable_replies.Inc();
  return outcome;
}

void ReplayEndpoint::RemoveSession(const std::string& peer) {
  sessions_.Remove(peer);
  envelopes_.erase(peer);
  metrics_.replay_sessions.Set(static_cast<double>(sessions_.size()));
}

}  // namespace picket
