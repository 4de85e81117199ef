// One request and its reply over a fresh DEALER: what picketctl's status query and its
// escalation commands share.
#pragma once

#include <zmq.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace picket {

// Sends `request` on a new DEALER connected to `endpoint` and returns the last frame of
// the first reply, or nullopt if none arrives before `deadline` (or the request cannot
// even be queued). Throws zmq::error_t for an invalid endpoint. The socket is closed on
// return, so a late reply can never be mistaken for the answer to a later request.
std::optional<std::string> RequestOnce(zmq::context_t& context, const std::string& endpoint,
                                       const std::string& request,
                                       std::chrono::steady_clock::time_point deadline);

}  // namespace picket
