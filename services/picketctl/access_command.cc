#include "picketctl/access_command.h"

#include "picket/schemas/access.capnp.h"
#include "picketctl/access_format.h"
#include "picketctl/access_json.h"
#include "picketctl/publish_command.h"
#include "picketctl/service_call.h"
#include "wire/codec.h"
#include "wire/event_id.h"

namespace picket {
namespace {

// Texts from the service may hold invalid UTF-8; show it as U+FFFD instead of throwing.
constexpr auto kReplace = nlohmann::ordered_json::error_handler_t::replace;

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
  return CallAndPrint<wire::AccessReply>(
      context,
      {"picket-access", who, options.endpoint, options.timeout, options.attempts, options.curve},
      *request,
      [&](DecodedMessage& sent, wire::AccessReply::Reader r, std::string* text,
          std::string* warning) {
        auto q = sent.Root<wire::AccessRequest>();
        if (options.json)
          *text = AccessReplyToJson(r).dump(-1, ' ', false, kReplace) + "\n";
        else if (IsAccessQuery(args.verb))
          *text = FormatAccessQuery(q, r, clock.Now(), options.csv);
        else
          *text = FormatAccessResult(q, r) + "\n";
        if (r.getUnpublished())
          *warning = "recorded, but not yet on the bus (it is slow or down)\n";
      },
      [](wire::AccessReply::Reader r) { return FormatAccessRefusal(r); }, out, err);
}

}  // namespace picket
