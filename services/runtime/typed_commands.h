// Typed commands: the kit's command endpoint for one Cap'n Proto request struct.
//
//   call = C:Request ( S:reply )        one reply frame per request frame, always
//
// ServeCommands sets the host's command handler to do what is the same for every service:
//   1. decode the frame as a `Request` (aligned or not) and read it safely: a frame that
//      is not one, is over the host's max_command_bytes, or has a Text field anywhere
//      that is not valid UTF-8 or holds a NUL byte (wire/text_check.h, the bus's rule)
//      gets failure(kMalformed) with a message naming the field;
//   2. parse: the service turns the reader into its own command value (readers never
//      reach the core), or answers with an error reply; nothing is recorded;
//   3. a query (is_query) runs on a read-only view of the committed state: never
//      recorded, a write in it is a bug;
//   4. a mutation runs inside ServiceHost::ApplyCommand with the request's commandId (16
//      bytes; empty = no protection): its writes, events, timer rows and reply are one
//      synced write, and a retry of the same id is answered from the record, never
//      applied again;
//   5. a mutation that could not be stored (a storage fault) gets failure(kUnavailable):
//      nothing was applied, retry with the same commandId;
//   6. if the service asks (publish_wait), a mutation's reply (a repeat's too) is held
//      until its events and every event the service emitted before them are on the bus,
//      or until the wait has passed; published(reply, on_bus) makes the frame sent then
//      (CommandReply, runtime/held_replies.h). A repeat waits for every row in the outbox
//      at the time, since which rows the first run wrote is not recorded.
// The kit counts what it refuses (malformed, unavailable); the service counts what its
// parse and its core refuse.
//
// `Request` must have `getCommandId()` (Data). The handlers run on the loop thread.
#pragma once

#include <capnp/message.h>
#include <kj/exception.h>
#include <spdlog/spdlog.h>

#include <functional>
#include <optional>
#include <string>
#include <variant>

#include "runtime/command_access.h"
#include "runtime/metrics.h"
#include "runtime/service_host.h"
#include "wire/codec.h"
#include "wire/text_check.h"

namespace picket {

enum class CommandFailure {
  kMalformed,     // not a readable request of the endpoint's type, too large, or bad text
  kUnavailable,   // could not be stored: nothing applied; retry with the same id
  kUnauthorized,  // the caller's key may not send it (runtime/command_access.h)
};

template <typename Request, typename Command>
struct CommandHandlers {
  using Reader = typename Request::Reader;
  // The command value, or the reply frame for a request that is not valid.
  std::function<std::variant<Command, std::string>(Reader)> parse = nullptr;
  // True for a request that only reads.
  std::function<bool(Reader)> is_query = nullptr;
  // Who may send it on a site with [security] (runtime/command_access.h): the role it
  // needs and the actor it names. Checked before `parse`; a refusal gets
  // failure(kUnauthorized), changes nothing, and is recorded (ServiceHost::RecordRefusal).
  // Unset: every command needs an officer and names no actor.
  std::function<CommandAccess(Reader)> access = nullptr;
  // Runs a command and returns its reply frame. For a query `ctx` is null and `state` is
  // read-only; for a mutation `ctx` is the apply's context and `state` is ctx->state().
  std::function<std::string(const Command&, Txn& state, ApplyContext* ctx)> run = nullptr;
  // The service's reply frame for a failure the kit detects (the kit counts those in
  // picket_service_commands_refused_total{reason}). Also called once at registration, for
  // the reply to frames too large to read: encode only, count nothing here.
  std::function<std::string(CommandFailure, const std::string& message)> failure = nullptr;
  // Optional, for mutations: how long the reply (`run`'s, or the recorded one for a
  // repeat) may be held until the events are on the bus; 0 = send it at once (e.g. a
  // refusal, which emitted nothing).
  std::function<Micros(std::string_view reply)> publish_wait = nullptr;
  // With publish_wait: the frame sent when the wait ends; `on_bus` false when it ran out
  // (or the bus refused one of the events) first.
  std::function<std::string(const std::string& reply, bool on_bus)> published = nullptr;
};

namespace typed_commands_internal {

template <typename Request>
std::string CommandIdOf(typename Request::Reader request) {
  if (!request.hasCommandId() || request.getCommandId().size() != 16) return "";
  auto id = request.getCommandId();
  return std::string(reinterpret_cast<const char*>(id.begin()), id.size());
}

// The name of the request's union member ("acknowledge"), or "a request".
template <typename Reader>
std::string CommandName(Reader request) {
  auto dynamic = capnp::toDynamic(request);
  KJ_IF_MAYBE (field, dynamic.which()) {
    return field->getProto().getName().cStr();
  }
  return "a request";
}

}  // namespace typed_commands_internal

template <typename Request, typename Command>
void ServeCommands(ServiceHost& host, CommandHandlers<Request, Command> handlers) {
  auto h = std::make_shared<CommandHandlers<Request, Command>>(std::move(handlers));
  auto handle = [&host, h](std::string_view frame, const Caller& caller) -> CommandReply {
    std::string error;
    auto msg = DecodedMessage::Decode(frame, &error);
    if (!msg) {
      host.CountMalformedCommand();
      return h->failure(CommandFailure::kMalformed, "not a Cap'n Proto message: " + error);
    }
    std::string reply;
    Micros wait = 0;
    bool read = ReadSafely<Request>(
        *msg,
        [&](typename Request::Reader request) {
          if (auto bad = FindBadText(capnp::toDynamic(request), "request")) {
            host.CountMalformedCommand();
            reply = h->failure(CommandFailure::kMalformed, bad->field + " " + bad->problem);
            return;
          }
          if (caller.identity) {
            const CommandAccess access = h->access ? h->access(request) : CommandAccess{};
            const std::string what = typed_commands_internal::CommandName(request);
            if (auto why = WhyRefused(caller, access, what)) {
              host.RecordRefusal(caller, what, access.actor, *why);
              reply = h->failure(CommandFailure::kUnauthorized, *why);
              return;
            }
          }
          auto parsed = h->parse(request);
          if (auto* refusal = std::get_if<std::string>(&parsed)) {
            reply = std::move(*refusal);
            return;
          }
          const Command& command = std::get<Command>(parsed);
          if (h->is_query(request)) {
            ReadOnlyTxn view(host.store());
            reply = h->run(command, view, nullptr);
            return;
          }
          std::string apply_error;
          auto result = host.ApplyCommand(
              typed_commands_internal::CommandIdOf<Request>(request),
              [&](ApplyContext& ctx) { return h->run(command, ctx.state(), &ctx); }, &reply,
              &apply_error);
          if (result == ApplyResult::kFailed) {
            spdlog::error("a command could not be stored: {}", apply_error);
            host.CountUnavailableCommand();
            reply = h->failure(CommandFailure::kUnavailable,
                               "the command could not be stored; retry: " + apply_error);
          } else if (h->publish_wait && h->published) {
            wait = h->publish_wait(reply);
          }
        },
        &error);
    if (!read) {
      host.CountMalformedCommand();
      return h->failure(CommandFailure::kMalformed, "the request is not valid: " + error);
    }
    CommandReply out(std::move(reply));
    if (wait > 0) {
      out.publish_wait = wait;
      out.finish = h->published;
    }
    return out;
  };
  host.SetCommandHandler(handle, h->failure(CommandFailure::kMalformed,
                                            "the request is not readable or is too large"));
}

// For `published`: `frame` (an encoded `Reply`, a struct with an `unpublished` Bool) with
// `unpublished` set, or the frame as it is if it does not read as one (a service's own
// encoding: cannot happen).
template <typename Reply>
std::string MarkReplyUnpublished(const std::string& frame) {
  std::string why;
  auto msg = DecodedMessage::Decode(frame, &why);
  if (!msg) return frame;
  capnp::MallocMessageBuilder b;
  bool ok = ReadSafely<Reply>(
      *msg, [&](typename Reply::Reader r) { b.setRoot(r); }, &why);
  if (!ok) return frame;
  b.getRoot<Reply>().setUnpublished(true);
  return Encode(b);
}

// The usual `publish_wait` and `published` of a service whose `Reply` has an `error` enum
// with NONE and an `unpublished` Bool (AccessReply, PatrolReply): a reply without error
// waits up to `wait` for its events to be on the bus (a refusal changed nothing: it goes
// at once), and one sent when the wait ran out is marked unpublished.
template <typename Reply>
std::function<Micros(std::string_view)> WaitForBusIfAccepted(Micros wait) {
  return [wait](std::string_view reply) -> Micros {
    using Error = decltype(std::declval<typename Reply::Reader>().getError());
    std::string why;
    auto msg = DecodedMessage::Decode(reply, &why);
    bool ok = false;
    if (msg)
      ReadSafely<Reply>(
          *msg, [&](typename Reply::Reader r) { ok = r.getError() == Error::NONE; }, &why);
    return ok ? wait : 0;
  };
}
template <typename Reply>
std::string MarkIfUnpublished(const std::string& reply, bool on_bus) {
  return on_bus ? reply : MarkReplyUnpublished<Reply>(reply);
}

// The usual `parse` of a service whose wire decoder is
//   std::optional<Command> ToCommand(Request::Reader, Error* code, std::string* message)
// and whose refusals are EncodeError(code, message): the command, or the refusal's reply
// frame, counted in `refused` (which must outlive the endpoint).
template <typename Request, typename Command, typename Error>
std::function<std::variant<Command, std::string>(typename Request::Reader)> ParseOrRefuse(
    std::optional<Command> (*to_command)(typename Request::Reader, Error*, std::string*),
    std::string (*encode_error)(Error, std::string_view), Counter* refused) {
  return [=](typename Request::Reader request) -> std::variant<Command, std::string> {
    Error code = Error::NONE;
    std::string message;
    if (auto command = to_command(request, &code, &message)) return *std::move(command);
    refused->Inc();
    return encode_error(code, message);
  };
}

// The usual `failure`: the service's Error MALFORMED, UNAUTHORIZED or UNAVAILABLE, with the
// message.
template <typename Error>
std::function<std::string(CommandFailure, const std::string&)> FailureReply(
    std::string (*encode_error)(Error, std::string_view)) {
  return [=](CommandFailure failure, const std::string& message) {
    switch (failure) {
      case CommandFailure::kMalformed:
        return encode_error(Error::MALFORMED, message);
      case CommandFailure::kUnauthorized:
        return encode_error(Error::UNAUTHORIZED, message);
      default:
        return encode_error(Error::UNAVAILABLE, message);
    }
  };
}

}  // namespace picket
