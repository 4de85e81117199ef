// ConsoleHttp: the officers' HTTP server (cpp-httplib) on its own threads: the embedded
// pages, the JSON API and the live stream (docs/console.md has every route).
//
// Every response carries the security headers (a CSP without inline script or style,
// X-Frame-Options DENY, nosniff, no referrer); every /api/ response is Cache-Control:
// no-store. A state-changing request (POST) needs, in this order: a live session (else
// 401 no_session), its CSRF token in X-CSRF-Token (else 403 csrf), a role that may do it
// (else 403 forbidden), Content-Type application/json (else 415), a body within
// max_body (else 413) that reads as the route expects (else 400). Login is the one POST
// without a session; it is rate-limited (429).
//
// Threads: handlers run on the server's pool and touch only ConsoleState (its own locks)
// and the service clients (blocking calls to picket-escalation and picket-access); never the
// host or its loop.
#pragma once

#include <httplib.h>

#include <atomic>
#include <optional>
#include <string>
#include <thread>

#include "base/clock.h"
#include "console/access_client.h"
#include "console/console_config.h"
#include "console/console_state.h"
#include "console/core/api_json.h"
#include "console/escalation_client.h"
#include "console/patrol_client.h"
#include "console/scoring_client.h"

namespace picket::console {

inline constexpr char kSessionCookie[] = "picket_session";

class ConsoleHttp {
 public:
  ConsoleHttp(ConsoleState& state, const ConsoleConfig& config, const EscalationClient& escalation,
              const AccessClient& access, const ScoringClient& scoring, const PatrolClient& patrol,
              const Clock& clock);
  ~ConsoleHttp();
  ConsoleHttp(const ConsoleHttp&) = delete;
  ConsoleHttp& operator=(const ConsoleHttp&) = delete;

  // Binds config.listen and serves on its own thread. False + *error if it cannot bind.
  bool Start(std::string* error);
  // Ends the live streams, stops the server and joins its thread. Idempotent.
  void Stop();
  // "host:port" actually bound (port 0 in the config picks one).
  const std::string& bound() const { return bound_; }

 private:
  struct Caller {
    std::string token;
    Session session;
  };
  void RouteStatic();
  void RouteSession();
  void RouteIncidents();
  void RouteStream();
  void RouteGates();
  void RouteScores();
  void RoutePatrols();
  void RouteReports();
  // The caller's session, checked for a request needing `permission` (mutating: CSRF,
  // JSON content type and the body's size too). Nullopt with the error response written.
  std::optional<Caller> Admit(const httplib::Request& req, httplib::Response& res,
                              Permission permission, bool mutating);
  void Act(const httplib::Request& req, httplib::Response& res, IncidentAction action);

  ConsoleState& state_;
  const ConsoleConfig& config_;
  const EscalationClient& escalation_;
  const AccessClient& access_;
  const ScoringClient& scoring_;
  const PatrolClient& patrol_;
  const Clock& clock_;
  httplib::Server server_;
  std::thread thread_;
  std::string bound_;
  std::atomic<int> streams_{0};
  bool stopped_ = false;
};

// Writes `body` as JSON with `status`.
void ReplyJson(httplib::Response& res, int status, const nlohmann::json& body);
void ReplyError(httplib::Response& res, const ApiError& error);
// The value of cookie `name` in the request, or "".
std::string CookieValue(const httplib::Request& req, const std::string& name);

}  // namespace picket::console
