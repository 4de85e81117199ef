#include "picketctl/patrol_command.h"

#include "picket/schemas/patrol.capnp.h"
#include "picketctl/access_json.h"
#include "picketctl/patrol_format.h"
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
    ReadSafely<wire::PatrolReply>(
        *msg,
        [&](wire::PatrolReply::Reader r) {
          unavailable = r.getError() == wire::PatrolError::UNAVAILABLE;
        },
        &why);
  }
  return unavailable;
}

enum class Answer { kDone, kRefused, kUnavailable };

}  // namespace

std::string PatrolWho(PatrolVerb verb) {
  return "picketctl patrol " + std::string(PatrolVerbName(verb)) + ": ";
}

int RunPatrolCommand(zmq::context_t& context, const Clock& clock, const PatrolArgs& args,
                     const PatrolRunOptions& options, std::ostream& out, std::ostream& err) {
  const std::string who = PatrolWho(args.verb);
  std::string error;
  EventId command_id = EventId::Random();
  auto request = BuildPatrolRequest(args, command_id.Bytes(), clock.Now(), &error);
  if (!request) {
    err << who << error << "\n";
    return kExitUsage;
  }
  auto call = CallCommand(context, "picket-patrol", options.endpoint, *request, options.timeout,
                          options.attempts, IsUnavailable);
  if (call.outcome != CommandCall::Outcome::kAnswered) {
    err << who << call.error << "\n";
    return call.outcome == CommandCall::Outcome::kBadEndpoint ? kExitUsage : kExitNoAnswer;
  }
  auto sent = DecodedMessage::Decode(*request, &error);
  auto reply = DecodedMessage::Decode(call.reply, &error);
  if (!sent || !reply) {
    err << who << "picket-patrol at " << options.endpoint << " sent an unreadable reply (" << error
        << ")\n";
    return kExitNoAnswer;
  }
  // Everything is read into strings first: a reply that turns out malformed halfway
  // prints nothing but the error.
  std::string text, warning;
  Answer answer = Answer::kDone;
  bool read = ReadSafely<wire::PatrolReply>(
      *reply,
      [&](wire::PatrolReply::Reader r) {
        auto q = sent->Root<wire::PatrolRequest>();
        if (r.getError() != wire::PatrolError::NONE) {
          answer = r.getError() == wire::PatrolError::UNAVAILABLE ? Answer::kUnavailable
                                                                  : Answer::kRefused;
          text = FormatPatrolRefusal(r);
          return;
        }
        if (options.json) {
          text =
              StructToJson(capnp::DynamicStruct::Reader(r)).dump(-1, ' ', false, kReplace) + "\n";
        } else if (IsPatrolQuery(args.verb)) {
          text = FormatPatrolQuery(q, r, options.csv);
        } else {
          text = FormatPatrolResult(q, r) + "\n";
        }
        if (r.getUnpublished()) warning = "recorded, but not yet on the bus (it is slow or down)\n";
        if (r.getTruncated())
          warning = "more rounds matched than the 2000 sent: narrow --from/--to or filter\n";
      },
      &error);
  if (!read) {
    err << who << "picket-patrol at " << options.endpoint << " sent an unreadable reply (" << error
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
