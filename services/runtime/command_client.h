// The client side of every command endpoint (a service's ROUTER, the bus's ingest and
// replay status): one request, its one reply frame, with retries.
//
//   call = 1*attempts( C:request [S:reply] )
//
// Each attempt uses a fresh DEALER (so a late reply to an earlier attempt can never be
// taken for this one) and sends the same request bytes, hence the same commandId: a
// service on the kit applies a command once however many attempts reach it, and answers
// a repeat with the reply it gave the first time (runtime/typed_commands.h). The total
// wait is bounded by `timeout`, split evenly over the attempts.
//
// A reply that `transient` says is transient (a service's `unavailable`: nothing was
// applied, try again with the same commandId) ends its attempt like no answer, after
// waiting out the attempt's share of the timeout (a backoff); if no later attempt gets a
// better reply, the call ends with that reply.
//
// Blocking; for tools and for services' worker threads, never a loop thread.
#pragma once

#include <zmq.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "runtime/curve_keys.h"

namespace picket {

// Sends `request` on a new DEALER connected to `endpoint` and returns the last frame of
// the first reply, or nullopt if none arrives before `deadline` (or the request cannot
// even be queued). Throws zmq::error_t for an invalid endpoint. The socket is closed on
// return.
std::optional<std::string> RequestOnce(zmq::context_t& context, const std::string& endpoint,
                                       const std::string& request,
                                       std::chrono::steady_clock::time_point deadline,
                                       const CurveClientKeys& curve = {});

struct CommandCall {
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

// Blocks for at most about `timeout` (> 0). `attempts` >= 1. `service` names the peer in
// error lines ("picket-escalation"). `transient` may be empty (no reply is transient).
// `curve`: the keys to connect with (plain by default; a CURVE endpoint answers a plain
// or unlisted client never, so such a call ends in kNoAnswer).
CommandCall CallCommand(zmq::context_t& context, const std::string& service,
                        const std::string& endpoint, const std::string& request, Micros timeout,
                        int attempts = 3,
                        const std::function<bool(std::string_view reply)>& transient = {},
                        const CurveClientKeys& curve = {});

}  // namespace picket
