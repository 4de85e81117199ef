#include "picketctl/access_command.h"

#include "picket/schemas/access.capnp.h"
#include "picketctl/access_format.h"
#include "picketctl/access_json.h"
#include "picketctl/publish_command.h"
#include "runtime/command_client.h"
#include "wire/codec.h"
#include "wire/event_id.h"

namespace picket {
namespace {

// Texts from the service may hold invalid UTF-8; show it as U+FFFD instead of throwing.
constexpr auto kReplace = nlohmann::ordered_json::error_handler_t::replace;

// `unavailable`: nothing was applied; the same request (same command id) may be retried.
bool IsUnavailable(std::string_view frame) {
  std::string why;
  auto msg = DecodedMessage::Decode(frame, &why);
  bool unavailable = false;
  if (msg) {
    ReadSafely<wire::AccessReply>(
        *msg,
        [&](wire::AccessReply::Reader r) {
          unavailable = r.getError() == wire::AccessError::UNAVAILABLE;
        },
        &why);
  }
  return unavailable;
}

enum class Answer { kDone, kRefused, kUnavailable };

}  // namespace

std::string AccessWho(AccessVerb verb) {
  return "picketctl access " + std::string(AccessVerbName(verb)) + ": ";
}

int RunAccessCommand(zmq::context_t& context, const Clock& clock, const AccessArgs& args,
                     const AccessRunOptions& options, std::ostream& out, std::ostream& err) {
  const std::string who = AccessWho(args.verb);
  std::string error;
  EventId command_id = EventId::Random();
  auto request = BuildAccessRequest(args, command_id.Bytes(), clock.Now(), &error);
  if (!request) {
    err << who << error << "\n";
    return kExitUsage;
  }
  auto call = CallCommand(context, "picket-access", options.endpoint, *request, options.timeout,
                          options.attempts, IsUnavailable);
  if (call.outcome != CommandCall::Outcome::kAnswered) {
    err << who << call.error << "\n";
    return call.outcome == CommandCall::Outcome::kBadEndpoint ? kExitUsage : kExitNoAnswer;
  }
  auto sent = DecodedMessage::Decode(*request, &error);
  auto reply = DecodedMessage::Decode(call.reply, &error);
  if (!sent || !reply) {
    err << who << "picket-access at " << options.endpoint << " sent an unreadable reply (" << error
        << ")\n";
    return kExitNoAnswer;
  }
  // Everything is read into strings first: a reply that turns out malformed halfway
  // prints nothing but the error.
  std::string text, warning;
  Answer answer = Answer::kDone;
  bool read = ReadSafely<wire::AccessReply>(
      *reply,
      [&](wire::AccessReply::Reader r) {
        auto q = sent->Root<wire::AccessRequest>();
        if (r.getError() != wire::AccessError::NONE) {
          answer = r.getError() == wire::AccessError::UNAVAILABLE ? Answer::kUnavailable
                                                                  : Answer::kRefused;
          text = FormatAccessRefusal(r);
        } else if (options.json) {
          text = AccessReplyToJson(r).dump(-1, ' ', false, kReplace) + "\n";
        } else if (IsAccessQuery(args.verb)) {
          text = FormatAccessQuery(q, r, clock.Now(), options.csv);
        } else {
          text = FormatAccessResult(q, r) + "\n";
        }
        if (r.getError() == wire::AccessError::NONE && r.getUnpublished())
          warning = "recorded, but not yet on the bus (it is slow or down)\n";
      },
      &error);
  if (!read) {
    err << who << "picket-access at " << options.endpoint << " sent an unreadable reply (" << error
        << ")\n";
    return kExitNoAnswer;
  }
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

}  // namespace picket
