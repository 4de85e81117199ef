// The `picketctl shift ...` command line: who is on duty.
//
//   picketctl shift start PERSON --post POST --role ROLE --as PERSON   publishes shift.started
//   picketctl shift end   PERSON --as PERSON                           publishes shift.ended
//   picketctl shift list  [--json]          asks picket-escalation who is on duty now
//
// start and end take the bus's --config / --ingest / --timeout (bus_target.h) and print
// "<person> is on duty at <post> as <role> (seq N)" or "<person> is off duty (seq N)";
// list takes --config / --commands / --timeout (escalation_target.h) and prints the duty
// table (incident_format.h). Exit codes as publish and incident (publish_command.h).
#pragma once

#include <CLI/CLI.hpp>
#include <zmq.hpp>

#include <memory>

#include "runtime/clock.h"
#include "runtime/event_loop.h"

namespace picket {

class ShiftCli {
 public:
  // Adds the `shift` sub-command and its sub-commands to `app`.
  explicit ShiftCli(CLI::App& app);
  ~ShiftCli();
  ShiftCli(const ShiftCli&) = delete;
  ShiftCli& operator=(const ShiftCli&) = delete;

  // Whether `shift` was on the command line (after app.parse).
  bool parsed() const;
  // Runs the parsed sub-command; returns the exit code. `loop` runs start/end's publish.
  int Run(zmq::context_t& context, EventLoop& loop, const Clock& clock);

  struct State;  // the parsed flags (defined in shift_cli.cc)

 private:
  std::unique_ptr<State> state_;
};

}  // namespace picket
