// The `picketctl patrol ...` command line (CLI11): its flags, and running whichever
// sub-command was parsed. Commands (need --as or $PICKET_ACTOR; --actor is the same flag):
//
//   picketctl patrol extend ROUND --by DURATION --reason R
//   picketctl patrol excuse ROUND CHECKPOINT --reason R
//   picketctl patrol cancel ROUND --reason R
//
// Queries:
//
//   picketctl patrol rounds [--from TIME] [--to TIME] [--post P] [--guard G] [--route R] [--csv]
//   picketctl patrol round ROUND
//   picketctl patrol current [--post P]
//   picketctl patrol completion [--by guard|post] [--from TIME] [--to TIME] [--csv]
//
// Every verb takes --config / --commands (the patrol endpoint, escalation_target.h),
// --timeout, --json and --as. TIME: access_time.h (RFC 3339, now, +8h, -7d); --from and
// --to default to the 24 hours up to now (patrol_request.h).
#pragma once

#include <CLI/CLI.hpp>
#include <zmq.hpp>

#include <memory>

#include "runtime/clock.h"

namespace picket {

class PatrolCli {
 public:
  // Adds the `patrol` sub-command and its own sub-commands to `app`.
  explicit PatrolCli(CLI::App& app);
  ~PatrolCli();
  PatrolCli(const PatrolCli&) = delete;
  PatrolCli& operator=(const PatrolCli&) = delete;

  // Whether `patrol` was on the command line (after app.parse).
  bool parsed() const;

  // Runs the parsed sub-command; returns the exit code.
  int Run(zmq::context_t& context, const Clock& clock);

  struct State;  // the parsed flags (defined in patrol_cli.cc)

 private:
  std::unique_ptr<State> state_;
};

}  // namespace picket
