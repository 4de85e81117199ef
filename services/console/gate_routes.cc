// The Gates page's API (ConsoleHttp, console_http.h): the recent gate decisions and the
// roll call of everyone on site (picket-access's listOnSite).
#include "console/console_http.h"

namespace picket::console {

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
}

}  // namespace picket::console
