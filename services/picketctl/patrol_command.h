// `picketctl patrol <verb>`: build the request, call picket-patrol (with retries,
// runtime/command_client.h), print the answer. The same conversation and outputs as
// `picketctl access` (access_command.h):
//
//   stdout  the one-line result of a command; a query's page, table or CSV; or (--json)
//           the whole PatrolReply as one JSON object (access_json.h's StructToJson)
//   stderr  "picketctl patrol <verb>: <why>" for a refusal (the error's schema name and
//           the service's message), a usage problem, or no answer; after the result line
//           of a change picket-patrol stored but could not yet confirm on the bus
//           (`unpublished`), a warning; after a list cut at the service's limit
//           (`truncated`), a warning
//
// Exit codes (publish_command.h): 0 done; 1 refused by the service; 2 bad arguments
// (nothing sent); 3 no (readable) answer from picket-patrol within the timeout, or only
// `unavailable` answers (nothing applied; retried like a timeout, with the same command id).
#pragma once

#include <zmq.hpp>

#include <ostream>
#include <string>

#include "picketctl/patrol_request.h"
#include "runtime/clock.h"
#include "runtime/curve_keys.h"

namespace picket {

struct PatrolRunOptions {
  std::string endpoint;                   // the patrol commands endpoint
  CurveClientKeys curve = {};             // its keys (tool_keys.h); plain by default
  Micros timeout = 5 * kMicrosPerSecond;  // total, across attempts
  int attempts = 3;
  bool json = false;
  bool csv = false;  // rounds and completion only
};

// "picketctl patrol <verb>: ", the prefix of everything it prints on stderr.
std::string PatrolWho(PatrolVerb verb);

// `args.actor` must already be resolved. A fresh random command id is drawn for each call
// of this function (one invocation of picketctl) and reused by its retries; relative and
// default times are relative to clock.Now() at the start.
int RunPatrolCommand(zmq::context_t& context, const Clock& clock, const PatrolArgs& args,
                     const PatrolRunOptions& options, std::ostream& out, std::ostream& err);

}  // namespace picket
