#include "picketctl/patrol_command.h"

#include "picket/schemas/patrol.capnp.h"
#include "picketctl/access_json.h"
#include "picketctl/patrol_format.h"
#include "picketctl/publish_command.h"
#include "picketctl/service_call.h"
#include "wire/codec.h"
#include "wire/event_id.h"

namespace picket {
namespace {

// Texts from the service may hold invalid UTF-8; show it as U+FFFD instead of throwing.
constexpr auto kReplace = nlohmann::ordered_json::error_handler_t::replace;

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
  return CallAndPrint<wire::PatrolReply>(
      context,
      {"picket-patrol", who, options.endpoint, options.timeout, options.attempts, options.curve},
      *request,
      [&](DecodedMessage& sent, wire::PatrolReply::Reader r, std::string* text,
          std::string* warning) {
        auto q = sent.Root<wire::PatrolRequest>();
        if (options.json)
          *text =
              StructToJson(capnp::DynamicStruct::Reader(r)).dump(-1, ' ', false, kReplace) + "\n";
        else if (IsPatrolQuery(args.verb))
          *text = FormatPatrolQuery(q, r, options.csv);
        else
          *text = FormatPatrolResult(q, r) + "\n";
        if (r.getUnpublished())
          *warning = "recorded, but not yet on the bus (it is slow or down)\n";
        if (r.getTruncated())
          *warning = "more rounds matched than the 2000 sent: narrow --from/--to or filter\n";
      },
      [](wire::PatrolReply::Reader r) { return FormatPatrolRefusal(r); }, out, err);
}

}  // namespace picket
