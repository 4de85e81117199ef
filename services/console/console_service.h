// ConsoleService: picket-console on the service kit (runtime/service_host.h).
//
//   bus ── escalation.*, access.* ──► typed handlers (wire_convert.h) ──► the read model
//          (core/incident_model.h, core/gate_feed.h) in the console's own tables, in the
//          kit's exactly-once apply ──► after the commit: board, gate feed and stream ring
//          (ConsoleState)
//   browser ── HTTP/SSE ──► ConsoleHttp threads ──► ConsoleState (reads, sessions)
//                                                └─► the service clients: escalation
//                                                    (officers' actions), access, patrol,
//                                                    scoring (queries, supervisors' commands)
//
// Why the read model is stored rather than rebuilt in memory at each start: the kit
// subscribes from the store's applied_seq, so a stored model is what makes a restart
// cheap and correct (exactly once, like every service); the board is then a copy loaded at
// start and kept current after each commit, so HTTP threads never touch the loop or the
// store. The stream ring and the sessions are in memory only: after a restart a page
// reloads its state (the ring's floor is the applied seq at start) and officers sign in
// again.
//
// Lives on the loop thread; its HTTP server has its own threads. Stop (or destroy) before
// the host is destroyed.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "console/access_client.h"
#include "console/console_config.h"
#include "console/console_http.h"
#include "console/console_state.h"
#include "console/escalation_client.h"
#include "console/patrol_client.h"
#include "console/scoring_client.h"
#include "runtime/service_host.h"

namespace picket::console {

class ConsoleService {
 public:
  // Registers the handlers and loads the board from the host's (open) store.
  ConsoleService(ServiceHost& host, const ConsoleConfig& config);
  ~ConsoleService();
  ConsoleService(const ConsoleService&) = delete;
  ConsoleService& operator=(const ConsoleService&) = delete;

  // Starts the HTTP server and writes DATA_DIR/console.json ({"url": "http://host:port/"}).
  bool Start(std::string* error);
  void Stop();
  const std::string& http_bound() const { return http_->bound(); }
  ConsoleState& state() { return *state_; }

  static std::vector<std::string> Tables() {
    auto tables = ReadModelTables();
    tables.push_back(kGateTable);
    return tables;
  }

 private:
  ServiceHost& host_;
  const ConsoleConfig& config_;
  std::unique_ptr<ConsoleState> state_;
  EscalationClient escalation_;
  AccessClient access_;
  ScoringClient scoring_;
  PatrolClient patrol_;
  std::unique_ptr<ConsoleHttp> http_;
};

}  // namespace picket::console
