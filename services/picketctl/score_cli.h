// The `picketctl score ...` command line (CLI11): its flags, and running whichever
// sub-command was parsed. Commands (need --as or $PICKET_ACTOR; --actor is the same flag):
//
//   picketctl score inspect POST [--guard G] --pass CATEGORY ... --fault CATEGORY[:note] ...
//   picketctl score commend [--guard G] [--post P] --reason R
//   picketctl score void ENTRY --reason R
//
// Queries:
//
//   picketctl score leaderboard [--period shift|day|week|month] [--at TIME]
//                               [--by guard|post|squad] [--limit N] [--csv]
//   picketctl score explain (--guard G | --post P | --squad S) [--period K] [--at TIME]
//   picketctl score entry ID
//   picketctl score awards [--period K] [--limit N]
//
// Every verb takes --config / --commands (the scoring endpoint, escalation_target.h),
// --timeout, --json and --as. TIME: access_time.h (RFC 3339, now, +8h, -7d); --at defaults
// to now, --period to day (awards: week), --by to guard (score_request.h).
#pragma once

#include <CLI/CLI.hpp>
#include <zmq.hpp>

#include <memory>

#include "runtime/clock.h"

namespace picket {

class ScoreCli {
 public:
  // Adds the `score` sub-command and its own sub-commands to `app`.
  explicit ScoreCli(CLI::App& app);
  ~ScoreCli();
  ScoreCli(const ScoreCli&) = delete;
  ScoreCli& operator=(const ScoreCli&) = delete;

  // Whether `score` was on the command line (after app.parse).
  bool parsed() const;

  // Runs the parsed sub-command; returns the exit code.
  int Run(zmq::context_t& context, const Clock& clock);

  struct State;  // the parsed flags (defined in score_cli.cc)

 private:
  std::unique_ptr<State> state_;
};

}  // namespace picket
