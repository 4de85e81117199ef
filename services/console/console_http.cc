#include "console/console_http.h"

#include <spdlog/spdlog.h>

#include "console/assets.h"
#include "console/core/i18n.h"

namespace picket::console {
namespace {

constexpr char kCsp[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "media-src 'self'; connect-src 'self'; font-src 'none'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

void SecurityHeaders(const httplib::Request& req, httplib::Response& res) {
  auto set = [&](const char* k, const char* v) {
    if (!res.has_header(k)) res.set_header(k, v);
  };
  set("Content-Security-Policy", kCsp);
  set("X-Frame-Options", "DENY");
  set("X-Content-Type-Options", "nosniff");
  set("Referrer-Policy", "no-referrer");
  set("Cross-Origin-Opener-Policy", "same-origin");
  if (req.path.rfind("/api/", 0) == 0) set("Cache-Control", "no-store");
}

std::string SessionCookie(const std::string& token, Micros max_age, bool secure) {
  return std::string(kSessionCookie) + "=" + token +
         "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
         std::to_string(max_age / kMicrosPerSecond) + (secure ? "; Secure" : "");
}

nlohmann::json SessionJson(const Session& s, const Accounts& accounts) {
  const Account* a = accounts.Find(s.login);
  return {{"login", s.login}, {"name", a ? a->name : ""}, {"role", RoleName(s.role)},
          {"lang", s.lang},   {"csrf", s.csrf},           {"permissions", PermissionNames(s.role)}};
}

}  // namespace

void ReplyJson(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(DumpJson(body), "application/json; charset=utf-8");
}

void ReplyError(httplib::Response& res, const ApiError& error) {
  ReplyJson(res, error.status, ErrorJson(error));
}

std::string CookieValue(const httplib::Request& req, const std::string& name) {
  std::string cookies = req.get_header_value("Cookie");
  size_t pos = 0;
  while (pos < cookies.size()) {
    size_t end = cookies.find(';', pos);
    if (end == std::string::npos) end = cookies.size();
    std::string part = cookies.substr(pos, end - pos);
    size_t start = part.find_first_not_of(' ');
    if (start != std::string::npos) part = part.substr(start);
    if (part.rfind(name + "=", 0) == 0) return part.substr(name.size() + 1);
    pos = end + 1;
  }
  return "";
}

ConsoleHttp::ConsoleHttp(ConsoleState& state, const ConsoleConfig& config,
                         const EscalationClient& escalation, const AccessClient& access,
                         const ScoringClient& scoring, const PatrolClient& patrol,
                         const Clock& clock)
    : state_(state),
      config_(config),
      escalation_(escalation),
      access_(access),
      scoring_(scoring),
      patrol_(patrol),
      clock_(clock) {
  int threads = config.http_threads;
  server_.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server_.set_payload_max_length(config.max_body_bytes);
  server_.set_keep_alive_timeout(5);
  server_.set_read_timeout(10);
  server_.set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    SecurityHeaders(req, res);
    return httplib::Server::HandlerResponse::Unhandled;
  });
  server_.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    SecurityHeaders(req, res);
    if (!res.body.empty()) return;
    if (res.status == 413)
      ReplyError(res, {413, "too_large", "the request body is over the limit (console.max_body)"});
    else if (res.status == 404)
      ReplyError(res, {404, "not_found", "no such route: " + req.method + " " + req.path});
    else if (res.status >= 400 && res.status < 500)
      ReplyError(res, {res.status, "bad_request", "the request could not be read"});
  });
  server_.set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown";
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        spdlog::error("console: {} {} failed: {}", req.method, req.path, what);
        SecurityHeaders(req, res);
        ReplyError(res, {500, "internal", "the console failed on this request (logged)"});
      });
  RouteStatic();
  RouteSession();
  RouteIncidents();
  RouteStream();
  RouteGates();
  RouteScores();
  RoutePatrols();
  RouteReports();
}

ConsoleHttp::~ConsoleHttp() { Stop(); }

bool ConsoleHttp::Start(std::string* error) {
  auto colon = config_.listen.rfind(':');
  std::string host = config_.listen.substr(0, colon);
  int port = std::stoi(config_.listen.substr(colon + 1));
  if (port == 0) {
    port = server_.bind_to_any_port(host);
  } else if (!server_.bind_to_port(host, port)) {
    port = -1;
  }
  if (port <= 0) {
    *error = "picket-console cannot listen on " + config_.listen;
    return false;
  }
  bound_ = host + ":" + std::to_string(port);
  thread_ = std::thread([this] { server_.listen_after_bind(); });
  // Stop() can only interrupt a server that runs: wait (bounded) until it does, so a
  // stop right after the start cannot leave the thread blocked in accept.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!server_.is_running() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return true;
}

void ConsoleHttp::Stop() {
  if (stopped_) return;
  stopped_ = true;
  state_.stream().Close();
  server_.stop();
  if (thread_.joinable()) thread_.join();
}

void ConsoleHttp::RouteStatic() {
  for (const Asset& asset : EmbeddedAssets()) {
    server_.Get(std::string(asset.path), [asset](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string(asset.bytes), std::string(asset.content_type));
      res.set_header("Cache-Control", "no-cache");
    });
  }
}

std::optional<ConsoleHttp::Caller> ConsoleHttp::Admit(const httplib::Request& req,
                                                      httplib::Response& res, Permission permission,
                                                      bool mutating) {
  Caller caller;
  caller.token = CookieValue(req, kSessionCookie);
  auto session = caller.token.empty() ? std::nullopt : state_.Touch(caller.token, clock_.Now());
  if (!session) {
    ReplyError(res, {401, "no_session", "sign in first (no live session cookie)"});
    return std::nullopt;
  }
  caller.session = *session;
  if (mutating && !SessionTable::CsrfMatches(*session, req.get_header_value("X-CSRF-Token"))) {
    ReplyError(res, {403, "csrf", "the X-CSRF-Token header is missing or wrong"});
    return std::nullopt;
  }
  if (!Allows(session->role, permission)) {
    ReplyError(res, {403, "forbidden",
                     "role '" + std::string(RoleName(session->role)) + "' may not " +
                         std::string(PermissionName(permission))});
    return std::nullopt;
  }
  if (mutating && !req.body.empty() &&
      req.get_header_value("Content-Type").rfind("application/json", 0) != 0) {
    ReplyError(res, {415, "unsupported_media_type", "send Content-Type: application/json"});
    return std::nullopt;
  }
  if (req.body.size() > config_.max_body_bytes) {
    ReplyError(res, {413, "too_large", "the request body is over the limit (console.max_body)"});
    return std::nullopt;
  }
  return caller;
}

void ConsoleHttp::RouteSession() {
  server_.Get("/api/i18n", [](const httplib::Request& req, httplib::Response& res) {
    std::string tag = req.has_param("lang") ? req.get_param_value("lang") : "en";
    auto lang = ParseLang(tag);
    if (!lang) return ReplyError(res, {400, "bad_request", "lang must be en or zh-CN"});
    nlohmann::json messages = nlohmann::json::object();
    for (const auto& [k, v] : Messages(*lang)) messages[std::string(k)] = std::string(v);
    ReplyJson(res, 200, {{"lang", LangTag(*lang)}, {"messages", messages}});
  });

  server_.Post("/api/login", [this](const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("Content-Type").rfind("application/json", 0) != 0)
      return ReplyError(res,
                        {415, "unsupported_media_type", "send Content-Type: application/json"});
    ApiError error;
    auto body = ParseObject(req.body, &error);
    std::optional<std::string> login, password;
    if (body) login = StringMember(*body, "login", true, 64, &error);
    if (login) password = StringMember(*body, "password", true, 1024, &error);
    if (!password) return ReplyError(res, error);
    LoginOutcome out = state_.Login(req.remote_addr, *login, *password, clock_.Now());
    if (out.status == 429) {
      int64_t secs = (out.retry_after + kMicrosPerSecond - 1) / kMicrosPerSecond;
      res.set_header("Retry-After", std::to_string(secs));
      nlohmann::json j =
          ErrorJson({429, out.code,
                     (out.code == "locked" ? "too many failed sign-ins for this account"
                                           : "too many sign-in attempts from this address") +
                         std::string(": retry in ") + std::to_string(secs) + " s"});
      j["error"]["retry_after"] = secs;
      ReplyJson(res, 429, j);
      return;
    }
    if (out.status != 200) return ReplyError(res, {401, out.code, "wrong login or password"});
    spdlog::info("console: {} signed in from {}", out.session.session.login, req.remote_addr);
    res.set_header("Set-Cookie", SessionCookie(out.session.token, config_.sessions.lifetime,
                                               config_.secure_cookies));
    ReplyJson(res, 200, SessionJson(out.session.session, state_.accounts()));
  });

  server_.Get("/api/session", [this](const httplib::Request& req, httplib::Response& res) {
    auto caller = Admit(req, res, Permission::kView, false);
    if (caller) ReplyJson(res, 200, SessionJson(caller->session, state_.accounts()));
  });

  server_.Post("/api/session/lang", [this](const httplib::Request& req, httplib::Response& res) {
    auto caller = Admit(req, res, Permission::kView, true);
    if (!caller) return;
    ApiError error;
    auto body = ParseObject(req.body, &error);
    std::optional<std::string> tag;
    if (body) tag = StringMember(*body, "lang", true, 16, &error);
    if (!tag) return ReplyError(res, error);
    auto lang = ParseLang(*tag);
    if (!lang) return ReplyError(res, {400, "bad_request", "lang must be en or zh-CN"});
    state_.SetLang(caller->token, std::string(LangTag(*lang)));
    caller->session.lang = std::string(LangTag(*lang));
    ReplyJson(res, 200, SessionJson(caller->session, state_.accounts()));
  });

  server_.Post("/api/logout", [this](const httplib::Request& req, httplib::Response& res) {
    auto caller = Admit(req, res, Permission::kView, true);
    if (!caller) return;
    state_.Logout(caller->token);
    res.set_header("Set-Cookie", SessionCookie("", 0, config_.secure_cookies));
    ReplyJson(res, 200, {{"ended", 1}});
  });

  server_.Post(
      "/api/logout-everywhere", [this](const httplib::Request& req, httplib::Response& res) {
        auto caller = Admit(req, res, Permission::kView, true);
        if (!caller) return;
        size_t n = state_.LogoutEverywhere(caller->session.login);
        spdlog::info("console: {} ended all {} of their sessions", caller->session.login, n);
        res.set_header("Set-Cookie", SessionCookie("", 0, config_.secure_cookies));
        ReplyJson(res, 200, {{"ended", n}});
      });
}

}  // namespace picket::console
