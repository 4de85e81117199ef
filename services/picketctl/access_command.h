// `picketctl access <verb>`: build the request, call picket-access (with retries,
// runtime/command_client.h), print the answer.
//
//   stdout  the one-line result of a command; a query's page, table or CSV; or (--json)
//           the whole AccessReply as one JSON object (access_json.h)
//   stderr  "picketctl access <verb>: <why>" for a refusal (the error's schema name and
//           the service's message), a usage problem, or no answer; and, after the result
//           line of a change picket-access stored but could not yet confirm on the bus
//           (`unpublished`), a warning
//
// Exit codes (publish_command.h), as `picketctl incident`: 0 done; 1 refused by the
// service; 2 bad arguments (nothing sent); 3 no (readable) answer from picket-access
// within the timeout, or only `unavailable` answers (nothing applied; retried like a
// timeout, with the same command id).
#pragma once

#include <zmq.hpp>

#include <ostream>
#include <string>

#include "picketctl/access_request.h"
#include "runtime/clock.h"
#include "runtime/curve_keys.h"

namespace picket {

struct AccessRunOptions {
  std::string endpoint;                   // the access commands endpoint
  CurveClientKeys curve = {};             // its keys (tool_keys.h); plain by default
  Micros timeout = 5 * kMicrosPerSecond;  // total, across attempts
  int attempts = 3;
  bool json = false;
  bool csv = false;  // on-site only
};

// "picketctl access <verb>: ", the prefix of everything it prints on stderr.
std::string AccessWho(AccessVerb verb);

// `args.actor` must already be resolved. A fresh random command id is drawn for each call
// of this function (one invocation of picketctl) and reused by its retries; relative
// times ("+8h") are relative to clock.Now() at the start.
int RunAccessCommand(zmq::context_t& context, const Clock& clock, const AccessArgs& args,
                     const AccessRunOptions& options, std::ostream& out, std::ostream& err);

}  // namespace picket
