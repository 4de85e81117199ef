#include "picketctl/incident_command.h"

#include "escalation/wire_convert.h"
#include "picketctl/incident_format.h"
#include "picketctl/publish_command.h"
#include "runtime/command_client.h"
#include "wire/event_id.h"

namespace picket {
namespace {

// Texts from the service may hold invalid UTF-8; show it as U+FFFD instead of throwing.
constexpr auto kReplace = nlohmann::ordered_json::error_handler_t::replace;

}  // namespace

int CallEscalation(zmq::context_t& context, const std::string& request,
                   const IncidentRunOptions& options, const std::string& who, std::ostream& err,
                   escalation::Reply* reply) {
  // `unavailable`: nothing was applied; the same request (same command id) may be retried.
  auto transient = [](std::string_view frame) {
    std::string why;
    auto a = escalation::DecodeReply(frame, &why);
    return a && a->error == escalation::kErrorUnavailable;
  };
  auto call = CallCommand(context, "picket-escalation", options.endpoint, request, options.timeout,
                          options.attempts, transient, options.curve);
  if (call.outcome == CommandCall::Outcome::kBadEndpoint) {
    err << who << call.error << "\n";
    return kExitUsage;
  }
  if (call.outcome == CommandCall::Outcome::kNoAnswer) {
    err << who << call.error << "\n";
    return kExitNoAnswer;
  }
  std::string error;
  auto answer = escalation::DecodeReply(call.reply, &error);
  if (!answer) {
    err << who << "picket-escalation at " << options.endpoint << " sent an " << error << "\n";
    return kExitNoAnswer;
  }
  if (answer->error == escalation::kErrorUnavailable) {
    err << who << FormatRefusal(*answer) << "nothing was applied; try again\n";
    return kExitNoAnswer;
  }
  if (!answer->ok()) {
    err << who << FormatRefusal(*answer);
    return kExitFailed;
  }
  *reply = std::move(*answer);
  return kExitOk;
}

int RunIncidentCommand(zmq::context_t& context, const Clock& clock, const IncidentArgs& args,
                       const IncidentRunOptions& options, std::ostream& out, std::ostream& err) {
  const std::string who = "picketctl incident " + std::string(IncidentVerbName(args.verb)) + ": ";
  std::string error;
  EventId command_id = EventId::Random();
  auto request = BuildIncidentRequest(args, command_id.Bytes(), &error);
  if (!request) {
    err << who << error << "\n";
    return kExitUsage;
  }
  escalation::Reply reply;
  if (int code = CallEscalation(context, *request, options, who, err, &reply); code != kExitOk)
    return code;
  const escalation::Reply* answer = &reply;
  Micros now = clock.Now();
  switch (args.verb) {
    case IncidentVerb::kList:
      if (options.json) {
        out << IncidentListToJson(answer->incidents).dump(-1, ' ', false, kReplace) << "\n";
      } else {
        if (answer->incidents.empty() && !args.opened_from.empty())
          out << "no incidents were first opened in that range\n";
        else
          out << FormatIncidentTable(answer->incidents, now);
      }
      if (answer->truncated)
        err << who << "more incidents were opened in the range than listed (the oldest "
            << answer->incidents.size() << " are): ask for a shorter range\n";
      break;
    case IncidentVerb::kShow:
      if (!answer->detail) {
        err << who << "picket-escalation at " << options.endpoint
            << " answered without the incident's detail\n";
        return kExitNoAnswer;
      }
      if (options.json) {
        out << IncidentDetailsToJson(*answer->detail).dump(-1, ' ', false, kReplace) << "\n";
      } else {
        out << FormatIncidentDetails(*answer->detail, now);
      }
      break;
    default:
      out << FormatCommandResult(args, *answer) << "\n";
      if (answer->unpublished)
        err << who
            << "recorded, but not yet on the bus (it is slow or down): a page raised "
               "before this may still go out\n";
      break;
  }
  out.flush();
  return kExitOk;
}

}  // namespace picket
