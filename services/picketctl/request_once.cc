#include "picketctl/request_once.h"

#include <zmq_addon.hpp>

#include <vector>

namespace picket {

std::optional<std::string> RequestOnce(zmq::context_t& context, const std::string& endpoint,
                                       const std::string& request,
                                       std::chrono::steady_clock::time_point deadline) {
  using Steady = std::chrono::steady_clock;
  zmq::socket_t socket(context, zmq::socket_type::dealer);
  socket.set(zmq::sockopt::linger, 0);
  socket.connect(endpoint);
  // A DEALER queues the request until the connection is up; dontwait only fails if it
  // cannot even queue it.
  if (!socket.send(zmq::buffer(request), zmq::send_flags::dontwait)) return std::nullopt;
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Steady::now());
    if (left.count() <= 0) return std::nullopt;
    zmq::pollitem_t item{socket.handle(), 0, ZMQ_POLLIN, 0};
    zmq::poll(&item, 1, left);
    if (!(item.revents & ZMQ_POLLIN)) continue;
    std::vector<zmq::message_t> frames;
    if (!zmq::recv_multipart(socket, std::back_inserter(frames), zmq::recv_flags::dontwait))
      continue;
    if (!frames.empty()) return frames.back().to_string();
  }
}

}  // namespace picket
