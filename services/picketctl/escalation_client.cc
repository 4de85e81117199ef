#include "picketctl/escalation_client.h"

#include <chrono>
#include <thread>

#include "picketctl/request_once.h"

namespace picket {
namespace {

using Steady = std::chrono::steady_clock;

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
      auto reply = RequestOnce(context, endpoint, request, deadline);
      if (!reply) continue;
      answered = true;
      call.reply = std::move(*reply);
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
