// A service process on the runtime's ServiceHost (picket-escalation, picket-notify, ...)
// over a data dir that outlives restarts, for multi-process tests.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/process.h"

namespace picket::testing {

class ServiceUnderTest {
 public:
  // `binary` e.g. "picket-escalation"; runs with --config `config` --data-dir `data_dir`
  // and `extra_args` after them.
  ServiceUnderTest(std::string binary, std::string config, std::string data_dir,
                   std::vector<std::string> extra_args = {});

  // Starts the process and REQUIREs (Catch2) that it writes DATA_DIR/ready, with its own
  // pid, within 20 s (it has then caught up with the bus). Returns the ready file's JSON
  // ({"name", "pid", "applied_seq", "commands", "http"}).
  nlohmann::json Start();
  // Starts the process without waiting for anything (e.g. a terminal while the bus is
  // down: it runs, but is not caught up, so it writes no ready file).
  void Launch();
  void Kill() { process_->Kill(); }
  ChildProcess& process() { return *process_; }
  const std::string& data_dir() const { return data_dir_; }
  std::string log_path() const { return data_dir_ + ".log"; }

 private:
  std::string binary_, config_, data_dir_;
  std::vector<std::string> extra_args_;
  std::unique_ptr<ChildProcess> process_;
};

// Runs a command to completion (20 s at most, REQUIREd) and returns its exit code and
// everything it printed (stdout and stderr).
struct CommandResult {
  int exit_code = -1;
  std::string output;
};
CommandResult RunCommand(const std::vector<std::string>& argv, const std::string& log_path);

}  // namespace picket::testing
