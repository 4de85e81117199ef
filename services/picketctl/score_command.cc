#include "picketctl/score_command.h"

#include "picket/schemas/scoring.capnp.h"
#include "picketctl/access_json.h"
#include "picketctl/publish_command.h"
#include "picketctl/score_format.h"
#include "picketctl/service_call.h"
#include "wire/codec.h"
#include "wire/event_id.h"

namespace picket {
namespace {

// Texts from the service may hold invalid UTF-8; show it as U+FFFD instead of throwing.
constexpr auto kReplace = nlohmann::ordered_json::error_handler_t::replace;

// The warning after a list the service cut short, by what was asked.
std::string TruncatedWarning(wire::ScoringRequest::Reader q) {
  switch (q.which()) {
    case wire::ScoringRequest::LEADERBOARD:
      return "more subjects than the ones sent: raise --limit (at most 1000) to see more\n";
    case wire::ScoringRequest::AWARDS:
      return "more awards than the ones sent: raise --limit (at most 1000) to see more\n";
    default:
      return "more rows than the ones sent\n";
  }
}

}  // namespace

std::string ScoreWho(ScoreVerb verb) {
  return "picketctl score " + std::string(ScoreVerbName(verb)) + ": ";
}

int RunScoreCommand(zmq::context_t& context, const Clock& clock, const ScoreArgs& args,
                    const ScoreRunOptions& options, std::ostream& out, std::ostream& err) {
  const std::string who = ScoreWho(args.verb);
  std::string error;
  EventId command_id = EventId::Random();
  auto request = BuildScoreRequest(args, command_id.Bytes(), clock.Now(), &error);
  if (!request) {
    err << who << error << "\n";
    return kExitUsage;
  }
  return CallAndPrint<wire::ScoringReply>(
      context,
      {"picket-scoring", who, options.endpoint, options.timeout, options.attempts, options.curve},
      *request,
      [&](DecodedMessage& sent, wire::ScoringReply::Reader r, std::string* text,
          std::string* warning) {
        auto q = sent.Root<wire::ScoringRequest>();
        if (options.json)
          *text =
              StructToJson(capnp::DynamicStruct::Reader(r)).dump(-1, ' ', false, kReplace) + "\n";
        else if (IsScoreQuery(args.verb))
          *text = FormatScoreQuery(q, r, options.csv);
        else
          *text = FormatScoreResult(q, r) + "\n";
        if (r.getUnpublished())
          *warning = "recorded, but not yet on the bus (it is slow or down)\n";
        if (r.getTruncated()) *warning = TruncatedWarning(q);
      },
      [](wire::ScoringReply::Reader r) { return FormatScoreRefusal(r); }, out, err);
}

}  // namespace picket
