#include "site/site_supervisor.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>

#include "runtime/site_layout.h"

namespace picket {
namespace {

std::string Millis(Micros us) { return std::to_string(us / kMicrosPerMilli) + "ms"; }

std::string Seconds(Micros us) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1fs", static_cast<double>(us) / kMicrosPerSecond);
  return buf;
}

// The last `lines` lines of the file at `path` (for the error that stops the site).
std::string LogTail(const std::string& path, size_t lines) {
  std::ifstream in(path);
  std::deque<std::string> tail;
  for (std::string line; std::getline(in, line);) {
    tail.push_back(line);
    if (tail.size() > lines) tail.pop_front();
  }
  std::string out;
  for (const auto& l : tail) out += "  " + l + "\n";
  return out.empty() ? "  (empty)\n" : out;
}

std::string JoinArgs(const std::vector<std::string>& argv) {
  std::string s;
  for (const auto& a : argv) s += (s.empty() ? "" : " ") + a;
  return s;
}

// In the forked child, before exec: only async-signal-safe calls. Never returns.
[[noreturn]] void ExecChild(const std::vector<char*>& argv, const char* log_path, int err_fd,
                            pid_t parent) {
  setpgid(0, 0);
  // Dies with picket-site, even by SIGKILL: nothing of a site outlives its supervisor
  // (a second picket-site would find the bus log locked by an orphan). If the parent is
  // already gone, the death signal will never come: end now.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(1);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int sig : {SIGTERM, SIGINT, SIGCHLD, SIGPIPE, SIGHUP, SIGQUIT}) signal(sig, SIG_DFL);
  int null_fd = open("/dev/null", O_RDONLY);
  int log_fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND, 0644);
  if (null_fd >= 0) dup2(null_fd, 0);
  if (log_fd >= 0) {
    dup2(log_fd, 1);
    dup2(log_fd, 2);
  }
  execvp(argv[0], argv.data());
  int e = errno;
  (void)!write(err_fd, &e, sizeof e);  // the parent reads it through the CLOEXEC pipe
  _exit(127);
}

}  // namespace

std::string DescribeWaitStatus(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    const char* name = strsignal(sig);
    return "killed by signal " + std::to_string(sig) + " (" + (name ? name : "?") + ")";
  }
  return "ended with wait status " + std::to_string(status);
}

SiteSupervisor::SiteSupervisor(EventLoop& loop, std::vector<ChildSpec> children,
                               SupervisorOptions options)
    : loop_(loop), options_(options) {
  for (auto& spec : children) children_.emplace_back(std::move(spec), options.restart);
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGCHLD);
  if (pthread_sigmask(SIG_BLOCK, &mask, nullptr) != 0) std::abort();
  sigchld_fd_ = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
  if (sigchld_fd_ < 0) std::abort();
  loop_.AddFd(sigchld_fd_, [this] { OnChildSignal(); });
}

SiteSupervisor::~SiteSupervisor() {
  // Nothing may outlive picket-site unnoticed: kill and reap whatever still runs.
  for (auto& c : children_) {
    if (c.pid <= 0) continue;
    kill(-c.pid, SIGKILL);
    waitpid(c.pid, nullptr, 0);
  }
  if (sigchld_fd_ >= 0) close(sigchld_fd_);
}

bool SiteSupervisor::Start(std::string* error) {
  for (const auto& c : children_) {
    std::error_code ec;
    for (const auto& dir :
         {c.spec.data_dir, std::filesystem::path(c.spec.log_path).parent_path().string()}) {
      std::filesystem::create_directories(dir, ec);
      if (ec) {
        *error = "cannot create " + dir + ": " + ec.message();
        return false;
      }
    }
  }
  for (auto& c : children_) {
    if (c.spec.is_bus) {
      Launch(c);
      WatchBusReady(c);
      return true;
    }
  }
  StartTheRest();
  return true;
}

void SiteSupervisor::WatchBusReady(Child& bus) {
  // State lives in members: EventLoop runs a copy of a periodic handler each time, so a
  // mutable lambda's captures would not remember anything between runs.
  ready_since_ = ready_warned_ = loop_.clock().Now();
  ready_timer_ = loop_.Every(options_.ready_poll, [this, &bus] {
    std::string error;
    auto ready = bus.pid > 0 ? ReadBusReady(bus.spec.data_dir, &error) : std::nullopt;
    if (ready && ready->pid == bus.pid) {
      spdlog::info("bus ready (pid {}): ingest {}, events {}, replay {}, http {}", bus.pid,
                   ready->ingest, ready->events, ready->replay, ready->http);
      loop_.CancelTimer(*ready_timer_);
      ready_timer_.reset();
      StartTheRest();
      return;
    }
    Micros now = loop_.clock().Now();
    if (now - ready_warned_ >= options_.ready_warn_every) {
      ready_warned_ = now;
      spdlog::warn("still waiting for the bus's ready file {}/ready after {}", bus.spec.data_dir,
                   Seconds(now - ready_since_));
    }
  });
}

void SiteSupervisor::StartTheRest() {
  if (rest_started_ || stopping_) return;
  rest_started_ = true;
  for (auto& c : children_)
    if (!c.spec.is_bus) Launch(c);
}

void SiteSupervisor::Launch(Child& c) {
  c.restart_timer.reset();
  if (stopping_) return;
  std::vector<char*> argv;
  for (auto& a : c.spec.argv) argv.push_back(a.data());
  argv.push_back(nullptr);
  const std::string& log_path = c.spec.log_path;

  int err_pipe[2];
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    spdlog::error("{}: cannot start: pipe: {}", c.spec.name, std::strerror(errno));
    return;
  }
  Micros now = loop_.clock().Now();
  const pid_t parent = getpid();
  pid_t pid = fork();
  if (pid == 0) ExecChild(argv, log_path.c_str(), err_pipe[1], parent);
  close(err_pipe[1]);
  if (pid < 0) {
    close(err_pipe[0]);
    spdlog::error("{}: cannot start: fork: {}", c.spec.name, std::strerror(errno));
    c.restart_timer = loop_.After(c.policy.OnExited(now), [this, &c] { Launch(c); });
    return;
  }
  setpgid(pid, pid);  // also in the child: whichever runs first, the group exists
  int exec_errno = 0;
  ssize_t n;
  do {
    n = read(err_pipe[0], &exec_errno, sizeof exec_errno);  // EOF once exec succeeded
  } while (n < 0 && errno == EINTR);
  close(err_pipe[0]);

  c.pid = pid;
  c.policy.OnStarted(now);
  if (n == static_cast<ssize_t>(sizeof exec_errno)) {
    spdlog::error("{}: cannot run {}: {} (see {})", c.spec.name, c.spec.argv[0],
                  std::strerror(exec_errno), log_path);
  } else {
    spdlog::info("{}: started, pid {}: {} (output in {})", c.spec.name, pid, JoinArgs(c.spec.argv),
                 log_path);
  }
}

void SiteSupervisor::OnChildSignal() {
  signalfd_siginfo info;
  while (read(sigchld_fd_, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
  }
  // SIGCHLDs coalesce: reap every child that has exited, not one per signal.
  for (;;) {
    int status = 0;
    pid_t pid = waitpid(-1, &status, WNOHANG);
    if (pid <= 0) break;
    for (auto& c : children_) {
      if (c.pid == pid) {
        OnExited(c, status);
        break;
      }
    }
  }
  if (stopping_ && AllReaped()) {
    spdlog::info("every child has exited");
    if (kill_timer_) loop_.CancelTimer(*kill_timer_);
    loop_.Stop();
  }
}

void SiteSupervisor::OnExited(Child& c, int status) {
  pid_t pid = c.pid;
  c.pid = 0;
  kill(-pid, SIGKILL);  // whatever it left behind in its group goes with it
  Micros now = loop_.clock().Now();
  Micros wait = c.policy.OnExited(now);
  if (stopping_) {
    spdlog::info("{} (pid {}) {}", c.spec.name, pid, DescribeWaitStatus(status));
    return;
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == kBadConfigStatus) {
    // A bad configuration does not heal by restarting: stop the site and say why.
    spdlog::error(
        "{} (pid {}) exited with status 2: it refuses its command line or "
        "configuration; stopping the site. The end of {}:\n{}",
        c.spec.name, pid, c.spec.log_path, LogTail(c.spec.log_path, 10));
    exit_code_ = kBadConfigStatus;
    Stop();
    return;
  }
  spdlog::warn("{} (pid {}) {} after {}; restarting in {} (failure {} in a row)", c.spec.name, pid,
               DescribeWaitStatus(status), Seconds(c.policy.last_uptime()), Millis(wait),
               c.policy.consecutive_failures());
  c.restart_timer = loop_.After(wait, [this, &c] { Launch(c); });
}

void SiteSupervisor::Stop() {
  if (stopping_) {
    // Not an escalation: a terminal's Ctrl-C and a script's trap often both arrive, and
    // the grace period already bounds the stop.
    spdlog::info("already stopping; SIGKILL follows the grace period");
    return;
  }
  stopping_ = true;
  if (ready_timer_) loop_.CancelTimer(*ready_timer_);
  for (auto& c : children_) {
    if (c.restart_timer) loop_.CancelTimer(*c.restart_timer);
    c.restart_timer.reset();
  }
  if (AllReaped()) {
    loop_.Stop();
    return;
  }
  spdlog::info("stopping: SIGTERM to every child, SIGKILL after {}", Seconds(options_.stop_grace));
  KillAll(SIGTERM);
  kill_timer_ = loop_.After(options_.stop_grace, [this] {
    kill_timer_.reset();
    spdlog::warn("grace period over: SIGKILL to what is left");
    KillAll(SIGKILL);
  });
}

void SiteSupervisor::KillAll(int sig) {
  for (auto& c : children_)
    if (c.pid > 0) kill(-c.pid, sig);
}

bool SiteSupervisor::AllReaped() const {
  for (const auto& c : children_)
    if (c.pid > 0) return false;
  return true;
}

std::vector<pid_t> SiteSupervisor::RunningPids() const {
  std::vector<pid_t> pids;
  for (const auto& c : children_)
    if (c.pid > 0) pids.push_back(c.pid);
  return pids;
}

}  // namespace picket
