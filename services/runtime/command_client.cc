#include "runtime/command_client.h"

#include <zmq_addon.hpp>

#include <thread>
#include <vector>

#include "runtime/zap_authenticator.h"

namespace picket {

using Steady = std::chrono::steady_clock;

std::optional<std::string> RequestOnce(zmq::context_t& context, const std::string& endpoint,
                                       const std::string& request, Steady::time_point deadline,
                                       const CurveClientKeys& curve) {
  zmq::socket_t socket(context, zmq::socket_type::dealer);
  socket.set(zmq::sockopt::linger, 0);
  ApplyCurveClient(socket, curve);
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

CommandCall CallCommand(zmq::context_t& context, const std::string& service,
                        const std::string& endpoint, const std::string& request, Micros timeout,
                        int attempts, const std::function<bool(std::string_view reply)>& transient,
                        const CurveClientKeys& curve) {
  CommandCall call;
  auto start = Steady::now();
  auto total = std::chrono::microseconds(timeout);
  bool answered = false;  // call.reply holds an answer (maybe a transient one)
  try {
    for (int i = 1; i <= attempts; ++i) {
      auto deadline = start + total * i / attempts;
      ++call.attempts;
      auto reply = RequestOnce(context, endpoint, request, deadline, curve);
      if (!reply) continue;
      answered = true;
      call.reply = std::move(*reply);
      if (!transient || !transient(call.reply)) break;
      if (i < attempts) std::this_thread::sleep_until(deadline);  // back off before retrying
    }
    if (answered) {
      call.outcome = CommandCall::Outcome::kAnswered;
      return call;
    }
  } catch (const zmq::error_t& e) {
    call.outcome = CommandCall::Outcome::kBadEndpoint;
    call.error = service + " endpoint " + endpoint + ": " + e.what();
    return call;
  }
  call.outcome = CommandCall::Outcome::kNoAnswer;
  call.error = "no answer from " + service + " at " + endpoint + " (" +
               std::to_string(call.attempts) + " attempts in " +
               std::to_string(timeout / kMicrosPerMilli) + " ms; is it running?)";
  return call;
}

}  // namespace picket
