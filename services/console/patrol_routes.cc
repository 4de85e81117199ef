// The Patrols page's API (ConsoleHttp, console_http.h): the rounds of a time range (the
// page asks for today, in the officer's local time) and the rounds in progress, from
// picket-patrol's queries.
#include <charconv>

#include "console/console_http.h"

namespace picket::console {
namespace {

constexpr Micros kMaxRange = 31LL * 86400 * kMicrosPerSecond;

std::optional<Micros> TimeParam(const httplib::Request& req, const char* name) {
  if (!req.has_param(name)) return std::nullopt;
  std::string text = req.get_param_value(name);
  Micros v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || v < 0)
    return std::nullopt;
  return v;
}

}  // namespace

void ConsoleHttp::RoutePatrols() {
  server_.Get("/api/patrols/rounds", [this](const httplib::Request& req, httplib::Response& res) {
    if (!Admit(req, res, Permission::kView, false)) return;
    auto from = TimeParam(req, "from");
    auto to = TimeParam(req, "to");
    if (!from || !to || *to <= *from || *to - *from > kMaxRange)
      return ReplyError(res, {400, "bad_request",
                              "from and to must be times (µs since 1970) with from < to, at "
                              "most 31 days apart"});
    std::string post = req.get_param_value("post");
    if (post.size() > 64) return ReplyError(res, {400, "bad_request", "post is too long"});
    ApiResult r = patrol_.Rounds(*from, *to, post);
    ReplyJson(res, r.status, r.body);
  });

  server_.Get("/api/patrols/current", [this](const httplib::Request& req, httplib::Response& res) {
    if (!Admit(req, res, Permission::kView, false)) return;
    std::string post = req.get_param_value("post");
    if (post.size() > 64) return ReplyError(res, {400, "bad_request", "post is too long"});
    ApiResult r = patrol_.Current(post);
    ReplyJson(res, r.status, r.body);
  });
}

}  // namespace picket::console
