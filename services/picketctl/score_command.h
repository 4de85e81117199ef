// `picketctl score <verb>`: build the request, call picket-scoring (with retries,
// runtime/command_client.h), print the answer. The same conversation and outputs as
// `picketctl patrol` (patrol_command.h):
//
//   stdout  the one-line result of a command; a query's leaderboard, entries, entry or
//           awards (text, or CSV for the leaderboard); or (--json) the whole ScoringReply
//           as one JSON object (access_json.h's StructToJson)
//   stderr  "picketctl score <verb>: <why>" for a refusal (the error's schema name and the
//           service's message), a usage problem, or no answer; after the result line of a
//           change picket-scoring stored but could not yet confirm on the bus
//           (`unpublished`), a warning; after a list cut short (`truncated`), a warning
//
// Exit codes (publish_command.h): 0 done; 1 refused by the service; 2 bad arguments
// (nothing sent); 3 no (readable) answer from picket-scoring within the timeout, or only
// `unavailable` answers (nothing applied; retried like a timeout, with the same command id).
#pragma once

#include <zmq.hpp>

#include <ostream>
#include <string>

#include "picketctl/escalation_target.h"
#include "picketctl/score_request.h"
#include "runtime/clock.h"
#include "runtime/curve_keys.h"

namespace picket {

// picket-scoring's command endpoint: `[scoring] commands` (escalation_target.h resolves it).
inline constexpr std::string_view kDefaultScoringCommands = "tcp://127.0.0.1:7414";
inline constexpr CommandService kScoringService{"picket-scoring", "scoring",
                                                kDefaultScoringCommands};

struct ScoreRunOptions {
  std::string endpoint;                   // the scoring commands endpoint
  CurveClientKeys curve = {};             // its keys (tool_keys.h); plain by default
  Micros timeout = 5 * kMicrosPerSecond;  // total, across attempts
  int attempts = 3;
  bool json = false;
  bool csv = false;  // leaderboard only
};

// "picketctl score <verb>: ", the prefix of everything it prints on stderr.
std::string ScoreWho(ScoreVerb verb);

// `args.actor` must already be resolved. A fresh random command id is drawn for each call
// of this function (one invocation of picketctl) and reused by its retries; relative times
// are relative to clock.Now() at the start.
int RunScoreCommand(zmq::context_t& context, const Clock& clock, const ScoreArgs& args,
                    const ScoreRunOptions& options, std::ostream& out, std::ostream& err);

}  // namespace picket
