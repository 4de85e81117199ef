// Frame-level I/O on the bus's sockets: whole ROUTER requests in, replies out (with the
// client's envelope echoed), events and heartbeats out on PUB. Never waits.
//
// ROUTER sockets passed here must have ZMQ_ROUTER_MANDATORY set, so a reply to a peer that
// is gone (EHOSTUNREACH) or whose queue is full (EAGAIN) is reported instead of silently
// dropped.
#pragma once

#include <zmq.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace picket {

// Frames a client may put before its request (a REQ socket's empty delimiter, proxy
// routing ids). More, or longer ones, make the request badFrames.
inline constexpr size_t kMaxEnvelopeFrames = 8;
inline constexpr size_t kMaxEnvelopeFrameBytes = 255;

// One request received on a ROUTER: [routing id][envelope...][body].
struct RouterRequest {
  std::string routing_id;
  std::vector<std::string> envelope;  // echoed back before the reply
  zmq::message_t body;                // the last frame
  std::string peer;  // the sender's identity (ZAP User-Id) on a CURVE socket, else ""
  // The envelope broke the limits above; `envelope` is then empty and the reply goes to
  // the routing id alone.
  bool bad_frames = false;
};

// Receives one whole message without waiting; nullopt if none is waiting.
std::optional<RouterRequest> ReceiveRequest(zmq::socket_ref router);

enum class SendOutcome {
  kSent,
  kUnroutable,  // the peer is gone (EHOSTUNREACH)
  kWouldBlock,  // the peer's queue is at the high-water mark (EAGAIN); nothing was sent
};

// Sends [routing id][envelope...][reply] without waiting.
SendOutcome SendReply(zmq::socket_ref router, std::string_view routing_id,
                      const std::vector<std::string>& envelope, std::string_view reply);

// Sends [topic][payload] on a PUB socket (which drops rather than blocks at its HWM).
void PublishFrames(zmq::socket_ref pub, std::string_view topic, std::string_view payload);

}  // namespace picket
