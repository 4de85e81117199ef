// The Gates page's API (ConsoleHttp, console_http.h): the recent gate decisions, the roll
// call of everyone on site (picket-access's listOnSite), and the walk-ups waiting for
// approval (listPendingWalkUps) with the officers' approve and deny (approveWalkUp,
// denyWalkUp, the officer's login as actor and as `by`).
#include <spdlog/spdlog.h>

#include "console/console_http.h"

namespace picket::console {
namespace {

constexpr size_t kMaxReason = 500;  // picket-access's limit for a text

// Who may approve or deny a walk-up here: an officer or above (core/roles.h). picket-access
// itself then checks that the login is the visitor's host or one of its `officers` (403
// not_authorized otherwise).
constexpr Permission kDecideWalkUp = Permission::kApproveWalkUp;

// A person id as picket-access takes it: 1..64 of [A-Za-z0-9._@-].
bool IsPersonId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
          c == '_' || c == '@' || c == '-'))
      return false;
  return true;
}

}  // namespace

void ConsoleHttp::RouteGates() {
  server_.Get("/api/gates/decisions", [this](const httplib::Request& req, httplib::Response& res) {
    if (!Admit(req, res, Permission::kView, false)) return;
    GateSnapshot gates = state_.Gates();
    nlohmann::json list = nlohmann::json::array();
    for (const GateEvent& e : gates.decisions) list.push_back(GateEventJson(e));
    ReplyJson(res, 200, {{"seq", gates.seq}, {"decisions", list}});
  });

  server_.Get("/api/gates/on-site", [this](const httplib::Request& req, httplib::Response& res) {
    if (!Admit(req, res, Permission::kView, false)) return;
    ApiResult result = access_.OnSite();
    ReplyJson(res, result.status, result.body);
  });

  server_.Get("/api/gates/walkups", [this](const httplib::Request& req, httplib::Response& res) {
    if (!Admit(req, res, Permission::kView, false)) return;
    ApiResult result = access_.PendingWalkUps();
    ReplyJson(res, result.status, result.body);
  });

  auto decide = [this](const httplib::Request& req, httplib::Response& res, bool approve) {
    auto caller = Admit(req, res, kDecideWalkUp, true);
    if (!caller) return;
    const std::string person = req.matches[1].str();
    if (!IsPersonId(person))
      return ReplyError(res, {400, "bad_request", "'" + person + "' is not a person id"});
    ApiError error;
    auto body = ParseObject(req.body, &error);
    if (!body) return ReplyError(res, error);
    std::string reason;
    if (!approve) {
      auto r = StringMember(*body, "reason", true, kMaxReason, &error);
      if (!r) return ReplyError(res, error);
      reason = *r;
    }
    ApiResult result = access_.DecideWalkUp(caller->session.login, person, approve, reason);
    spdlog::info("console: {} {} walk-up {}: {}", caller->session.login,
                 approve ? "approved" : "denied", person,
                 result.status == 200 ? "done" : DumpJson(result.body));
    ReplyJson(res, result.status, result.body);
  };
  server_.Post(
      R"(/api/gates/walkups/([^/]+)/approve)",
      [decide](const httplib::Request& req, httplib::Response& res) { decide(req, res, true); });
  server_.Post(
      R"(/api/gates/walkups/([^/]+)/deny)",
      [decide](const httplib::Request& req, httplib::Response& res) { decide(req, res, false); });
}

}  // namespace picket::console
