#include "site/preflight.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sstream>

namespace picket {
namespace {

bool Executable(const std::string& path) { return access(path.c_str(), X_OK) == 0; }

// `program` as execvp would find it: a path if it has a '/', else the first match in PATH.
bool Findable(const std::string& program) {
  if (program.find('/') != std::string::npos) return Executable(program);
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':'))
    if (Executable((dir.empty() ? "." : dir) + "/" + program)) return true;
  return false;
}

std::string Trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

int RunCaptured(const std::vector<std::string>& argv, Micros timeout, std::string* output) {
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) {
    *output = std::string("pipe: ") + std::strerror(errno);
    return -1;
  }
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = fork();
  if (pid < 0) {
    *output = std::string("fork: ") + std::strerror(errno);
    close(out[0]);
    close(out[1]);
    return -1;
  }
  if (pid == 0) {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    int null_fd = open("/dev/null", O_RDONLY);
    if (null_fd >= 0) dup2(null_fd, 0);
    dup2(out[1], 1);
    dup2(out[1], 2);
    execvp(args[0], args.data());
    _exit(127);
  }
  close(out[1]);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::microseconds(timeout);
  bool timed_out = false;
  char buf[4096];
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{out[0], POLLIN, 0};
    int n = poll(&p, 1, static_cast<int>(left));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) continue;
    ssize_t got = read(out[0], buf, sizeof buf);
    if (got <= 0) break;  // EOF: the program ended (or closed its output)
    if (output->size() < 65536) output->append(buf, static_cast<size_t>(got));
  }
  close(out[0]);
  if (timed_out) kill(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return timed_out ? -1 : status;
}

std::vector<std::string> Preflight(const std::vector<ChildSpec>& children, Micros timeout) {
  std::vector<std::string> problems;
  for (const ChildSpec& c : children) {
    const std::string& program = c.argv.at(0);
    if (c.is_service && !Executable(program)) {
      problems.push_back("site.services: '" + c.name + "': there is no program " + program +
                         " (a typo in site.services, or the wrong --bin-dir?)");
      continue;
    }
    if (!c.is_service && !Findable(program)) {
      problems.push_back("[run." + c.name + "]: command: program '" + program +
                         "' is not found or not executable");
      continue;
    }
    if (!c.is_service) continue;
    // argv is {binary, --config, file, --data-dir, dir}: check the file, start nothing.
    std::string output;
    int status =
        RunCaptured({program, c.argv.at(1), c.argv.at(2), "--check-config"}, timeout, &output);
    if (status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0) continue;
    std::string why = Trimmed(output);
    if (status < 0) why += (why.empty() ? "" : "\n") + std::string("(no verdict in time)");
    problems.push_back(c.name + ": the configuration is refused:\n" + why);
  }
  return problems;
}

}  // namespace picket
