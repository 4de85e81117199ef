// ConsoleState: everything the HTTP threads and the loop thread share, each part behind
// its own mutex (docs/console.md, "Threads"):
//   - the sessions (core/sessions.h) and the login limiter (core/login_limiter.h);
//   - the incident board (core/incident_board.h) and the recent gate decisions, copies of
//     the read model that the loop updates after each committed apply, with the seq they
//     reflect;
//   - the stream ring (event_stream.h) for SSE.
// HTTP threads never touch the loop's store or host; the loop never waits for HTTP.
// The accounts are read-only after construction.
#pragma once

#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "console/console_config.h"
#include "console/core/gate_feed.h"
#include "console/core/incident_board.h"
#include "console/event_stream.h"

namespace picket::console {

struct LoginOutcome {
  int status = 200;  // 200, 401 bad_credentials, 429 locked / rate_limited
  std::string code;
  Micros retry_after = 0;
  NewSession session;
};

struct GateSnapshot {
  uint64_t seq = 0;
  std::vector<GateEvent> decisions;  // newest first
};

struct BoardSnapshot {
  uint64_t seq = 0;  // every event up to this seq is reflected (resume the stream from it)
  std::vector<IncidentView> open, closed;
};

class ConsoleState {
 public:
  // `floor`: the service's applied seq when the board was loaded.
  ConsoleState(const ConsoleConfig& config, uint64_t floor);

  // Checks the limits, then the password (slow: argon2id, done outside every lock).
  LoginOutcome Login(const std::string& client, const std::string& login,
                     const std::string& password, Micros now);
  std::optional<Session> Touch(const std::string& token, Micros now);
  std::optional<Session> Peek(const std::string& token, Micros now);  // without marking it used
  bool Logout(const std::string& token);
  size_t LogoutEverywhere(const std::string& login);
  bool SetLang(const std::string& token, const std::string& lang);
  const Accounts& accounts() const { return config_.accounts; }

  // Loop thread, after an apply committed: the board and the stream take the change.
  void Loaded(IncidentBoard board);
  void Changed(const IncidentChange& change);
  void LoadedGates(std::vector<GateEvent> decisions);  // oldest first
  void GateChanged(const GateEvent& event);

  BoardSnapshot Board() const;
  GateSnapshot Gates() const;
  // The incident with its history, if the board holds it.
  std::optional<std::pair<IncidentView, std::vector<HistoryLine>>> Incident(uint64_t id) const;

  StreamRing& stream() { return stream_; }

 private:
  const ConsoleConfig& config_;
  std::mutex sessions_mu_;
  SessionTable sessions_;  // guarded by sessions_mu_
  std::mutex limiter_mu_;
  LoginLimiter limiter_;  // guarded by limiter_mu_
  mutable std::mutex board_mu_;
  IncidentBoard board_;          // guarded by board_mu_
  std::deque<GateEvent> gates_;  // guarded by board_mu_, oldest first
  uint64_t board_seq_;           // guarded by board_mu_: the last event shown anywhere
  StreamRing stream_;
};

}  // namespace picket::console
