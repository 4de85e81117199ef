// The adapter of picket-site: runs a site's children as real processes (fork/exec/waitpid)
// on the service loop, restarts each one that exits (RestartPolicy), and stops them all
// on request.
//
// Each child:
//   - runs in its own process group, so a signal reaches everything it started (a shell
//     command's own children too), and a terminal's Ctrl-C reaches only picket-site;
//   - gets the default signal mask and dispositions (picket-site blocks SIGTERM, SIGINT
//     and SIGCHLD for its signalfds; blocked masks survive exec);
//   - has stdin from /dev/null and stdout+stderr appended to spec.log_path
//     (<data_root>/logs/<name>.log), so a restarted child's output continues the same
//     file and the terminal stays readable;
//   - runs in picket-site's working directory;
//   - dies with picket-site (PR_SET_PDEATHSIG), even when picket-site is SIGKILLed.
//
// A child that exits with status 2 (it refuses its configuration) is not restarted: the
// supervisor logs the end of its log, stops every child, and exit_code() is 2.
//
// Start order: if there is a bus child it starts alone, and the others start once the
// bus's ready file names the bus's current pid (later restarts of the bus do not hold the
// others back: they reconnect by themselves).
//
// Single-threaded: every call and callback runs on the loop's thread.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "runtime/event_loop.h"
#include "site/child_plan.h"
#include "site/restart_policy.h"

namespace picket {

struct SupervisorOptions {
  RestartPolicyOptions restart;
  Micros stop_grace = 10 * kMicrosPerSecond;  // SIGTERM to SIGKILL
  Micros ready_poll = 50 * kMicrosPerMilli;   // how often to look for the bus's ready file
  Micros ready_warn_every = 10 * kMicrosPerSecond;
};

class SiteSupervisor {
 public:
  // `loop` must outlive this. Blocks SIGCHLD in the calling thread (call from main()
  // before any thread starts) and watches it through a signalfd on `loop`.
  SiteSupervisor(EventLoop& loop, std::vector<ChildSpec> children, SupervisorOptions options);
  ~SiteSupervisor();
  SiteSupervisor(const SiteSupervisor&) = delete;
  SiteSupervisor& operator=(const SiteSupervisor&) = delete;

  // Creates every child's data directory and starts the first children. Returns false and
  // sets *error if a directory cannot be created (nothing is started then).
  bool Start(std::string* error);

  // Sends SIGTERM to every running child's process group and cancels pending restarts;
  // after stop_grace, SIGKILLs what is left. Calls loop.Stop() once every child has been
  // reaped. Later calls change nothing (the grace period bounds the stop).
  void Stop();

  // The pids of the children running now (for logs and tests).
  std::vector<pid_t> RunningPids() const;

  // picket-site's exit status once the loop has stopped: 0, or 2 if a child exited with
  // status 2 (a bad configuration: fatal, never restarted; the site was stopped).
  int exit_code() const { return exit_code_; }
  static constexpr int kBadConfigStatus = 2;

 private:
  // Children live in a vector that never changes size after construction, so timers may
  // hold references to them.
  struct Child {
    Child(ChildSpec s, RestartPolicyOptions o) : spec(std::move(s)), policy(o) {}
    ChildSpec spec;
    RestartPolicy policy;
    pid_t pid = 0;  // 0 = not running
    std::optional<EventLoop::TimerId> restart_timer;
  };

  void Launch(Child& child);
  void OnChildSignal();
  void OnExited(Child& child, int status);
  void WatchBusReady(Child& bus);
  void StartTheRest();
  void KillAll(int sig);
  bool AllReaped() const;

  EventLoop& loop_;
  std::vector<Child> children_;
  SupervisorOptions options_;
  int sigchld_fd_ = -1;
  bool rest_started_ = false;
  bool stopping_ = false;
  int exit_code_ = 0;
  std::optional<EventLoop::TimerId> ready_timer_;
  Micros ready_since_ = 0, ready_warned_ = 0;  // waiting for the bus: since, last warning
  std::optional<EventLoop::TimerId> kill_timer_;
};

// "exited with status 3", "killed by signal 9 (Killed)": a waitpid status for logs.
std::string DescribeWaitStatus(int status);

}  // namespace picket
