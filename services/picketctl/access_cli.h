// The `picketctl access ...` command line (CLI11): its flags, and running whichever
// sub-command was parsed. Commands (need --as or $PICKET_ACTOR):
//
//   picketctl access register-person ID --name N [--alias A]... --kind staff|contractor
//                                       [--company C]
//   picketctl access preregister ID --name N --host H --expected TIME [--alias A]...
//                                   [--company C]
//   picketctl access walk-up     ID --name N --host H [--approved-by P] [--alias A]...
//                                [--company C] [--gate G] [--post P]
//                                (without --approved-by where the site requires approval:
//                                the request waits for approve / deny)
//   picketctl access issue-pass  CODE --person ID --from TIME --until TIME [--gate G]...
//                                [--hours HH:MM-HH:MM]
//   picketctl access revoke      CODE --reason R
//   picketctl access extend      CODE --until TIME
//   picketctl access check-out   PERSON [--gate G]
//   picketctl access watch-add   (--name N | --person ID) --reason R
//                                --action deny|supervisor|notify
//   picketctl access watch-remove ENTRY --reason R
//   picketctl access approve     ID --by P         (a pending walk-up: P the host or an officer)
//   picketctl access deny        ID --by P --reason R
//
// Queries: pass CODE, person ID, visits --from TIME --to TIME, on-site [--csv],
// compliance [--post P] --from TIME --to TIME, watchlist, pending (walk-ups waiting).
//
// Every verb takes --config / --commands (the access endpoint, escalation_target.h),
// --key (tool_keys.h: a person's key is also the default --as and approve/deny --by),
// --timeout, --json and --as. TIME: access_time.h (RFC 3339, now, +8h, -7d).
#pragma once

#include <CLI/CLI.hpp>
#include <zmq.hpp>

#include <memory>

#include "runtime/clock.h"

namespace picket {

class AccessCli {
 public:
  // Adds the `access` sub-command and its own sub-commands to `app`.
  explicit AccessCli(CLI::App& app);
  ~AccessCli();
  AccessCli(const AccessCli&) = delete;
  AccessCli& operator=(const AccessCli&) = delete;

  // Whether `access` was on the command line (after app.parse).
  bool parsed() const;

  // Runs the parsed sub-command; returns the exit code.
  int Run(zmq::context_t& context, const Clock& clock);

  struct State;  // the parsed flags (defined in access_cli.cc)

 private:
  std::unique_ptr<State> state_;
};

}  // namespace picket
