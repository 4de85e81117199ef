// CallAndPrint: the conversation `picketctl access` and `picketctl patrol` have with their
// service, once the request frame is built: send it (with retries,
// runtime/command_client.h), read the reply, and print it.
//
//   stdout  what `describe` makes of a successful reply
//   stderr  `who` + the refusal `refusal` makes of an error reply (then exit 1; for
//           `unavailable`, "nothing was applied; try again" and exit 3), or why there was
//           no readable answer (exit 3), or, after the result, `describe`'s warning
//
// `Reply` is a schema reply struct with an `error` enum holding NONE and UNAVAILABLE
// (AccessReply, PatrolReply). Everything is read into strings first: a reply that turns
// out malformed halfway prints nothing but the error. Exit codes: publish_command.h.
#pragma once

#include <zmq.hpp>

#include <capnp/message.h>

#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "picketctl/publish_command.h"
#include "runtime/command_client.h"
#include "wire/codec.h"

namespace picket {

struct ServiceCallTarget {
  std::string service;   // "picket-access", for messages
  std::string who;       // "picketctl access on-site: ", the prefix of stderr lines
  std::string endpoint;  // its command endpoint
  Micros timeout = 5 * kMicrosPerSecond;  // total, across attempts
  int attempts = 3;
  CurveClientKeys curve = {};  // plain unless the site has [security] (tool_keys.h)
};

// Describe: void(DecodedMessage& request, typename Reply::Reader reply,
//                std::string* text, std::string* warning) for a reply without error.
// Refusal: std::string(typename Reply::Reader reply) for one with an error.
template <typename Reply, typename Describe, typename Refusal>
int CallAndPrint(zmq::context_t& context, const ServiceCallTarget& target,
                 const std::string& request, Describe describe, Refusal refusal, std::ostream& out,
                 std::ostream& err) {
  using Error = decltype(std::declval<typename Reply::Reader>().getError());
  auto is_unavailable = [](std::string_view frame) {
    std::string why;
    auto msg = DecodedMessage::Decode(frame, &why);
    bool unavailable = false;
    if (msg)
      ReadSafely<Reply>(
          *msg, [&](typename Reply::Reader r) { unavailable = r.getError() == Error::UNAVAILABLE; },
          &why);
    return unavailable;
  };
  const std::string& who = target.who;
  auto call = CallCommand(context, target.service, target.endpoint, request, target.timeout,
                          target.attempts, is_unavailable, target.curve);
  if (call.outcome != CommandCall::Outcome::kAnswered) {
    err << who << call.error << "\n";
    return call.outcome == CommandCall::Outcome::kBadEndpoint ? kExitUsage : kExitNoAnswer;
  }
  std::string error;
  auto sent = DecodedMessage::Decode(request, &error);
  auto reply = DecodedMessage::Decode(call.reply, &error);
  auto unreadable = [&] {
    err << who << target.service << " at " << target.endpoint << " sent an unreadable reply ("
        << error << ")\n";
    return kExitNoAnswer;
  };
  if (!sent || !reply) return unreadable();
  enum class Answer { kDone, kRefused, kUnavailable } answer = Answer::kDone;
  std::string text, warning;
  bool read = ReadSafely<Reply>(
      *reply,
      [&](typename Reply::Reader r) {
        if (r.getError() == Error::NONE) return describe(*sent, r, &text, &warning);
        answer = r.getError() == Error::UNAVAILABLE ? Answer::kUnavailable : Answer::kRefused;
        text = refusal(r);
      },
      &error);
  if (!read) return unreadable();
  switch (answer) {
    case Answer::kUnavailable:
      err << who << text << "nothing was applied; try again\n";
      return kExitNoAnswer;
    case Answer::kRefused:
      err << who << text;
      return kExitFailed;
    case Answer::kDone:
      break;
  }
  out << text;
  out.flush();
  if (!warning.empty()) err << who << warning;
  return kExitOk;
}

// The frame of one request to `picketctl access` / `patrol`'s service: `actor`, the body
// `fill(request)` writes (false: it set *error), and for a command (not `query`) the
// 16-byte `command_id` its retries reuse. A command needs an actor. Nullopt and *error
// otherwise.
template <typename Request, typename Fill>
std::optional<std::string> BuildServiceRequest(const std::string& actor, bool query,
                                               std::string_view command_id, Fill fill,
                                               std::string* error) {
  error->clear();
  if (!query && actor.empty()) {
    *error = "who is acting? give --as PERSON (or set $PICKET_ACTOR)";
    return std::nullopt;
  }
  if (!query && command_id.size() != 16) {
    *error = "internal: a command id must be 16 bytes";
    return std::nullopt;
  }
  capnp::MallocMessageBuilder message;
  auto req = message.initRoot<Request>();
  if (!actor.empty()) req.setActor(actor);
  if (!fill(req)) return std::nullopt;
  if (!query)
    req.setCommandId(
        capnp::Data::Reader(reinterpret_cast<const capnp::byte*>(command_id.data()), 16));
  return Encode(message);
}

}  // namespace picket
