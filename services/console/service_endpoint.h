// Calling another service's command endpoint from an HTTP thread. Where it takes commands: the
// configured endpoint, or, when it has a wildcard port ("tcp://127.0.0.1:*"), the one the running
// service wrote in its ready file (<data_root>/<section>/ready, {"commands": ...}). Read at each
// call, so a restarted service's new port is found.
#pragma once

#include <zmq.hpp>

#include <nlohmann/json.hpp>

#include <functional>
#include <string>

#include "base/clock.h"
#include "runtime/command_client.h"
#include "runtime/curve_keys.h"
#include "wire/codec.h"

namespace picket::console {

// A result for the console's API: the HTTP status and the JSON body (docs/console.md).
struct ApiResult {
  int status = 200;
  nlohmann::json body;
};

// The endpoint to call, or "" and *error ("picket-access is not running ...").
std::string ResolveServiceEndpoint(const std::string& configured, const std::string& data_root,
                                   const std::string& section, std::string* error);

// One service's command endpoint, as the console calls it.
struct ServiceTarget {
  zmq::context_t* context = nullptr;
  std::string section;   // "patrol": picket-patrol, <data_root>/patrol/ready
  std::string endpoint;  // as configured
  std::string data_root;
  Micros timeout = 0;          // the whole call, retries included
  CurveClientKeys curve = {};  // the console's key and the service's (a site with [security])
};

// Sends `request`, retrying a reply `unavailable` says is transient, and turns the reply
// into an ApiResult with `convert`. No answer, or `unavailable` to the end: 503
// unavailable; a reply that does not decode: 502 bad_gateway. Blocking.
template <typename Reply>
ApiResult CallService(const ServiceTarget& target, const std::string& request, int attempts,
                      const std::function<bool(typename Reply::Reader)>& unavailable,
                      const std::function<ApiResult(typename Reply::Reader)>& convert) {
  auto fail = [](int status, const std::string& code, const std::string& message) {
    return ApiResult{status, {{"error", {{"code", code}, {"message", message}}}}};
  };
  std::string error;
  std::string endpoint =
      ResolveServiceEndpoint(target.endpoint, target.data_root, target.section, &error);
  if (endpoint.empty()) return fail(503, "unavailable", error);
  auto transient = [&unavailable](std::string_view frame) {
    std::string why;
    auto msg = DecodedMessage::Decode(frame, &why);
    bool yes = false;
    if (msg)
      ReadSafely<Reply>(
          *msg, [&](typename Reply::Reader r) { yes = unavailable(r); }, &why);
    return yes;
  };
  CommandCall call = CallCommand(*target.context, "picket-" + target.section, endpoint, request,
                                 target.timeout, attempts, transient, target.curve);
  if (call.outcome != CommandCall::Outcome::kAnswered) return fail(503, "unavailable", call.error);
  auto msg = DecodedMessage::Decode(call.reply, &error);
  ApiResult out;
  if (!msg || !ReadSafely<Reply>(
                  *msg, [&](typename Reply::Reader r) { out = convert(r); }, &error))
    return fail(502, "bad_gateway",
                "picket-" + target.section + "'s reply is unreadable: " + error);
  return out;
}

}  // namespace picket::console
