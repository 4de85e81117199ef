// The `picketctl incident ...` command line (CLI11): its flags, and running whichever
// sub-command was parsed.
//
//   picketctl incident list    [--json]
//   picketctl incident show    ID [--json]
//   picketctl incident ack     ID --as PERSON          unack ID, cancel ID likewise
//   picketctl incident step    ID STEP --as PERSON
//   picketctl incident note    ID TEXT --as PERSON
//   picketctl incident resolve ID --as PERSON [--override REASON]
//   picketctl incident reassign ID --to PERSON --as PERSON [--reason R]
//   picketctl incident silence ID --for 15m --reason R --as PERSON
//   picketctl incident watch   [--person P] [--from SEQ] [--json]
//
// Every verb but watch takes --config / --commands (the escalation endpoint,
// escalation_target.h) and --timeout; watch takes --config / --events / --replay (the
// bus, bus_target.h); all take --key (tool_keys.h). --as defaults to the person whose
// key it is, else $PICKET_ACTOR; without any, a command that changes an incident is
// refused (picketctl never makes up an actor).
#pragma once

#include <CLI/CLI.hpp>
#include <zmq.hpp>

#include <memory>

#include "runtime/clock.h"
#include "runtime/event_loop.h"

namespace picket {

class IncidentCli {
 public:
  // Adds the `incident` sub-command and its own sub-commands to `app`.
  explicit IncidentCli(CLI::App& app);
  ~IncidentCli();
  IncidentCli(const IncidentCli&) = delete;
  IncidentCli& operator=(const IncidentCli&) = delete;

  // Whether `incident` was on the command line (after app.parse).
  bool parsed() const;

  // Runs the parsed sub-command; returns the exit code. `loop` is run only by watch (and
  // stopped by the caller's signal handler).
  int Run(zmq::context_t& context, EventLoop& loop, const Clock& clock);

  struct State;  // the parsed flags (defined in incident_cli.cc)

 private:
  std::unique_ptr<State> state_;
};

}  // namespace picket
