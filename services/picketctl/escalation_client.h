// One request to picket-escalation's command endpoint (ROUTER) and its one reply frame,
// with retries:
//
//   call = 1*attempts( C:EscalationRequest [S:EscalationReply] )
//
// Each attempt uses a fresh DEALER (so a late reply to an earlier attempt can never be
// taken for this one) and sends the same request bytes, hence the same commandId: the
// service applies a command once however many attempts reach it, and answers a repeat
// with the reply it gave the first time. The total wait is bounded by `timeout`, split
// evenly over the attempts.
//
// A reply that `retry` says is transient (picket-escalation's `unavailable`: nothing was
// applied, try again with the same commandId) ends its attempt like no answer, after
// waiting out the attempt's share of the timeout (a backoff); if no later attempt gets a
// better reply, the call ends with that reply.
#pragma once

#include <zmq.hpp>

#include <functional>
#include <string>
#include <string_view>

#include "runtime/clock.h"

namespace picket {

struct EscalationCall {
  enum class Outcome {
    kAnswered,     // `reply` holds the last frame of the answer
    kNoAnswer,     // no attempt was answered within its share of the timeout
    kBadEndpoint,  // the endpoint could not be used at all (malformed address)
  };
  Outcome outcome = Outcome::kNoAnswer;
  std::string reply;
  int attempts = 0;   // attempts made (requests sent)
  std::string error;  // for kNoAnswer / kBadEndpoint: one line for people
};

// Blocks for at most about `timeout` (> 0). `attempts` >= 1. Sockets are closed with
// linger 0, so nothing is left behind. `context` is used only during the call.
// `retry` may be empty (no reply is transient).
EscalationCall CallEscalation(zmq::context_t& context, const std::string& endpoint,
                              const std::string& request, Micros timeout, int attempts = 3,
                              const std::function<bool(std::string_view reply)>& retry = {});

}  // namespace picket
