// `picketctl incident <verb>` for every verb but watch: build the request, call
// picket-escalation (with retries, runtime/command_client.h), print the answer.
//
//   stdout  the one-line result of a command, the open-incident table, one incident in
//           full, or (--json, list and show) one JSON object
//   stderr  "picketctl incident <verb>: <why>" for a refusal (error name and message, and
//           the missing steps), a usage problem, or no answer; and, after the result line
//           of a change escalation stored but could not yet confirm on the bus
//           (`unpublished`), a warning that a page raised before it may still go out
//
// Exit codes (publish_command.h): 0 done; 1 refused by the service; 2 bad arguments;
// 3 no (readable) answer from picket-escalation within the timeout, or only `unavailable`
// answers (the service could not store the command; nothing was applied; retried like a
// timeout, with the same command id).
#pragma once

#include <zmq.hpp>

#include <ostream>
#include <string>

#include "escalation/core/commands.h"
#include "picketctl/incident_request.h"
#include "runtime/clock.h"
#include "runtime/curve_keys.h"

namespace picket {

struct IncidentRunOptions {
  std::string endpoint;                   // the escalation commands endpoint
  CurveClientKeys curve = {};             // its keys (tool_keys.h); plain by default
  Micros timeout = 5 * kMicrosPerSecond;  // total, across attempts
  int attempts = 3;
  bool json = false;  // list and show only
};

// Sends one EscalationRequest frame (with retries of the same frame while there is no
// answer or only `unavailable`) and decodes the answer. Returns kExitOk with *reply set
// when picket-escalation did it; otherwise prints "<who><why>" to `err` and returns the
// exit code (1 refused, 2 bad endpoint, 3 no readable answer or unavailable).
int CallEscalation(zmq::context_t& context, const std::string& request,
                   const IncidentRunOptions& options, const std::string& who, std::ostream& err,
                   escalation::Reply* reply);

// `args.actor` must already be resolved. A fresh random command id is drawn for each call
// of this function (one invocation of picketctl) and reused by its retries.
int RunIncidentCommand(zmq::context_t& context, const Clock& clock, const IncidentArgs& args,
                       const IncidentRunOptions& options, std::ostream& out, std::ostream& err);

}  // namespace picket
