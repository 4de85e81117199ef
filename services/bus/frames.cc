#include "bus/frames.h"

#include "runtime/zap_authenticator.h"

namespace picket {

std::optional<RouterRequest> ReceiveRequest(zmq::socket_ref router) {
  zmq::message_t frame;
  if (!router.recv(frame, zmq::recv_flags::dontwait)) return std::nullopt;
  RouterRequest req;
  req.routing_id = frame.to_string();
  // The rest of a multipart message is already here: receive it all, keeping the last
  // frame as the body and the ones before it as the envelope.
  std::vector<zmq::message_t> rest;
  while (router.get(zmq::sockopt::rcvmore)) {
    zmq::message_t next;
    if (!router.recv(next, zmq::recv_flags::dontwait)) break;
    if (rest.size() > kMaxEnvelopeFrames) {
      req.bad_frames = true;
      rest.back() = std::move(next);  // keep the last frame as the body
    } else {
      rest.push_back(std::move(next));
    }
  }
  if (rest.empty()) {
    req.bad_frames = true;  // a ROUTER always gets a frame after the id; be safe anyway
    return req;
  }
  req.body = std::move(rest.back());
  rest.pop_back();
  req.peer = PeerName(req.body);
  for (auto& f : rest) {
    if (f.size() > kMaxEnvelopeFrameBytes) req.bad_frames = true;
  }
  if (!req.bad_frames) {
    for (auto& f : rest) req.envelope.push_back(f.to_string());
  }
  return req;
}

SendOutcome SendReply(zmq::socket_ref router, std::string_view routing_id,
                      const std::vector<std::string>& envelope, std::string_view reply) {
  try {
    auto more = zmq::send_flags::sndmore | zmq::send_flags::dontwait;
    // ROUTER decides routability (and HWM) on the first frame; once it is accepted, the
    // remaining frames of the message are queued with it.
    if (!router.send(zmq::buffer(routing_id), more)) return SendOutcome::kWouldBlock;
    for (const auto& f : envelope) router.send(zmq::buffer(f), more);
    router.send(zmq::buffer(reply), zmq::send_flags::dontwait);
    return SendOutcome::kSent;
  } catch (const zmq::error_t& e) {
    if (e.num() == EHOSTUNREACH) return SendOutcome::kUnroutable;
    throw;
  }
}

void PublishFrames(zmq::socket_ref pub, std::string_view topic, std::string_view payload) {
  pub.send(zmq::buffer(topic), zmq::send_flags::sndmore | zmq::send_flags::dontwait);
  pub.send(zmq::buffer(payload), zmq::send_flags::dontwait);
}

}  // namespace picket
