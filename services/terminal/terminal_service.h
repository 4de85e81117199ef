// TerminalService: picket-terminal on the service kit, the agent at a post (the core's
// Session does the deciding, terminal/core/session.h).
//
//   a line typed (a scanner or a keyboard; OnLine, from any thread)
//     -> Session::HandleLine -> its events, applied as one local input (ApplyLocal): kept
//        in the store's outbox and sent when the bus is there, in order, exactly once by
//        id (the bus drops a repeat) -> each event's id bound to the session
//   this terminal's own events, back from the bus -> their seq, for what refers to them
//   access.granted / access.denied of one of its scans -> Session::OnDecision
//   escalation.incident_opened / step_done / incident_resolved / incident_cancelled
//     -> the session (it keeps those of its post)
//   patrol.round_completed at its post -> Session::OnRoundClosed (the round is over)
//   every second, and after each input: the connection (the bus's live stream heard
//     within three heartbeat intervals) and the outbox depth -> OnConnection when either
//     changed; the session's next deadline -> OnTimer
//   every notice -> `print` (line mode), the screen -> `draw` when it changed.
//
// A storage fault that keeps a typed line's events out of the outbox is told to the guard
// (an ERR line): nothing else loses them. Runs on the host's loop thread; the session and
// the config must outlive nothing here (both owned or referenced for the host's life).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "runtime/service_host.h"
#include "terminal/core/session.h"

namespace picket::terminal {

class TerminalService {
 public:
  using Print = std::function<void(const std::vector<std::string>& lines)>;
  using Draw = std::function<void(const ScreenModel& screen)>;

  // `config` must be valid (ValidateTerminalConfig) and outlive the service; the host's
  // name is the terminal's (its events' producer).
  TerminalService(ServiceHost& host, const TerminalConfig& config, Print print, Draw draw);

  // A line the guard or the scanner typed. Thread-safe.
  void OnLine(std::string line);

  const Session& session() const { return session_; }

 private:
  void OnEvent(ApplyContext& ctx, wire::Event::Reader event);
  // Publishes `fx`'s events as one local input (or, inside an apply, through `ctx`),
  // binds their ids, prints and draws, and re-arms the deadline timer.
  void Take(const Effects& fx, ApplyContext* ctx = nullptr);
  void CheckConnection();
  void ArmDeadline();
  std::string OwnId(uint64_t seq) const;

  ServiceHost& host_;
  const TerminalConfig& config_;
  Session session_;
  Print print_;
  Draw draw_;
  uint64_t inputs_ = 0;
  // This terminal's events seen on the bus, seq -> id (hex); the latest kMaxOwn.
  std::map<uint64_t, std::string> own_;
  bool connected_ = false;
  size_t depth_ = 0;
  bool reported_ = false;  // OnConnection called at least once
  EventLoop::TimerId deadline_timer_ = 0;
};

}  // namespace picket::terminal
