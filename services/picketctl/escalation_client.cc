#include "picketctl/escalation_client.h"

#include <zmq_addon.hpp>

#include <chrono>
#include <thread>
#include <vector>

namespace picket {
namespace {

using Steady = std::chrono::steady_clock;

// One attempt: true with *reply set if an answer came before `deadline`.
bool Attempt(zmq::context_t& context, const std::string& endpoint, const std::string& request,
             Steady::time_point deadline, std::string* reply) {
  zmq::socket_t socket(context, zmq::socket_type::dealer);
  socket.set(zmq::sockopt::linger, 0);
  socket.connect(endpoint);
  // A DEALER queues the request until the connection is up; dontwait only fails if it
  // cannot even queue it.
  if (!socket.send(zmq::buffer(request), zmq::send_flags::dontwait)) return false;
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Steady::now());
    if (left.count() <= 0) return false;
    zmq::pollitem_t item{socket.handle(), 0, ZMQ_POLLIN, 0};
    zmq::poll(&item, 1, left);
    if (!(item.revents & ZMQ_POLLIN)) continue;
    std::vector<zmq::message_t> frames;
    if (!zmq::recv_multipart(socket, std::back_inserter(frames), zmq::recv_flags::dontwait))
      continue;
    if (frames.empty()) continue;
    *reply = frames.back().to_string();
    return true;
  }
}

}  // namespace

EscalationCall CallEscalation(zmq::context_t& context, const std::string& endpoint,
                              const std::string& request, Micros timeout, int attempts,
                              const std::function<bool(std::string_view reply)>& retry) {
  EscalationCall call;
  auto start = Steady::now();
  auto total = std::chrono::microseconds(timeout);
  bool answered = false;  // call.reply holds an answer (maybe a transient one)
  try {
    for (int i = 1; i <= attempts; ++i) {
      auto deadline = start + total * i / attempts;
      ++call.attempts;
      std::string reply;
      if (!Attempt(context, endpoint, request, deadline, &reply)) continue;
      answered = true;
      call.reply = std::move(reply);
      if (!retry || !retry(call.reply)) break;
      if (i < attempts) std::this_thread::sleep_until(deadline);  // back off before retrying
    }
    if (answered) {
      call.outcome = EscalationCall::Outcome::kAnswered;
      return call;
    }
  } catch (const zmq::error_t& e) {
    call.outcome = EscalationCall::Outcome::kBadEndpoint;
    call.error = "escalation endpoint " + endpoint + ": " + e.what();
    return call;
  }
  call.outcome = EscalationCall::Outcome::kNoAnswer;
  call.error = "no answer from picket-escalation at " + endpoint + " (" +
               std::to_string(call.attempts) + " attempts in " +
               std::to_string(timeout / kMicrosPerMilli) + " ms; is it running?)";
  return call;
}

}  // namespace picket
