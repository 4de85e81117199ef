// Real child processes for multi-process tests: start a binary, SIGKILL or SIGTERM it,
// wait for it with a deadline. Also temp directories and waiting for conditions.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace picket::testing {

// A directory under $TMPDIR (or /tmp) that is removed, with everything in it, on
// destruction unless PICKET_KEEP_TEST_DIRS is set.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A started child process. The destructor SIGKILLs and reaps it if it still runs.
class ChildProcess {
 public:
  // Starts `argv[0]` (a path) with `argv`; stdout and stderr are appended to `log_path`.
  // The child gets the default signal mask and dispositions.
  ChildProcess(std::vector<std::string> argv, const std::string& log_path);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  void Signal(int sig);
  // Waits until the process exits; returns its raw wait status, or nullopt on timeout.
  std::optional<int> Wait(std::chrono::milliseconds timeout);
  bool Running();
  // SIGKILL and reap.
  void Kill();
  const std::string& log_path() const { return log_path_; }

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  int status_ = 0;
  std::string log_path_;
};

// Polls `condition` every few milliseconds until it is true or `timeout` passes.
// Returns whether it became true.
bool WaitUntil(const std::function<bool()>& condition, std::chrono::milliseconds timeout);

// The path of a built binary, e.g. BinaryPath("picket-bus"). Tests are built into the same
// bin/ directory as the services.
std::string BinaryPath(const std::string& name);

// The whole content of a file, or "" if it cannot be read.
std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& content);

}  // namespace picket::testing
