// A service process on the runtime's ServiceHost (picket-escalation, picket-notify, ...)
// over a data dir that outlives restarts, for multi-process tests.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "support/process.h"

namespace picket::testing {

class ServiceUnderTest {
 public:
  // `binary` e.g. "picket-escalation"; runs with --config `config` --data-dir `data_dir`.
  ServiceUnderTest(std::string binary, std::string config, std::string data_dir);

  // Starts the process and REQUIREs (Catch2) that it writes DATA_DIR/ready, with its own
  // pid, within 20 s (it has then caught up with the bus). Returns the ready file's JSON
  // ({"name", "pid", "applied_seq", "commands", "http"}).
  nlohmann::json Start();
  void Kill() { process_->Kill(); }
  ChildProcess& process() { return *process_; }
  const std::string& data_dir() const { return data_dir_; }
  std::string log_path() const { return data_dir_ + ".log"; }

 private:
  std::string binary_, config_, data_dir_;
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
