// HTTP-level tests of every API route: a real console (ServiceHarness: real host, real
// RocksDB, a scripted bus on real sockets) with its real HTTP server, a real httplib
// client, and a scripted picket-escalation endpoint on a real socket.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "console/console_test_support.h"

namespace picket::console::test {
namespace {

nlohmann::json Json(const httplib::Result& r) { return nlohmann::json::parse(r->body); }

}  // namespace

TEST_CASE("console: http: the page and its assets are served with the security headers") {
  ConsoleFixture f;
  auto cli = f.Client();
  auto index = cli.Get("/");
  REQUIRE(index);
  REQUIRE(index->status == 200);
  REQUIRE(index->get_header_value("Content-Type") == "text/html; charset=utf-8");
  std::string csp = index->get_header_value("Content-Security-Policy");
  REQUIRE(csp.find("script-src 'self'") != std::string::npos);
  REQUIRE(csp.find("unsafe-inline") == std::string::npos);
  REQUIRE(index->get_header_value("X-Frame-Options") == "DENY");
  REQUIRE(index->get_header_value("X-Content-Type-Options") == "nosniff");
  // No inline script, handler or style: the CSP would block them.
  REQUIRE(index->body.find("<script>") == std::string::npos);
  REQUIRE(index->body.find(" onclick=") == std::string::npos);
  REQUIRE(index->body.find("style=") == std::string::npos);
  REQUIRE(index->body.find("<script src=\"/app.js\"") != std::string::npos);
  for (const char* path : {"/app.js", "/app.css", "/alert.wav"}) {
    auto r = cli.Get(path);
    REQUIRE(r);
    REQUIRE(r->status == 200);
    REQUIRE_FALSE(r->body.empty());
  }
  auto wav = cli.Get("/alert.wav");
  REQUIRE(wav->get_header_value("Content-Type") == "audio/wav");
  REQUIRE(wav->body.substr(0, 4) == "RIFF");
  REQUIRE(wav->body.substr(8, 4) == "WAVE");
  auto missing = cli.Get("/api/nothing-here");
  REQUIRE(missing->status == 404);
  REQUIRE(ErrorCode(missing) == "not_found");
  REQUIRE(missing->get_header_value("Cache-Control") == "no-store");
}

TEST_CASE("console: http: i18n tables in both languages, unknown language refused") {
  ConsoleFixture f;
  auto cli = f.Client();
  auto zh = cli.Get("/api/i18n?lang=zh-CN");
  REQUIRE(zh->status == 200);
  REQUIRE(Json(zh)["messages"]["nav.incidents"] == "事件");
  auto en = cli.Get("/api/i18n?lang=en");
  REQUIRE(Json(en)["messages"].size() == Json(zh)["messages"].size());
  auto bad = cli.Get("/api/i18n?lang=fr");
  REQUIRE(bad->status == 400);
  REQUIRE(ErrorCode(bad) == "bad_request");
}

TEST_CASE("console: http: login gives an HttpOnly SameSite cookie and a CSRF token") {
  ConsoleFixture f;
  auto cli = f.Client();
  auto r = cli.Post("/api/login", R"({"login":"ann","password":"pw-ann"})", "application/json");
  REQUIRE(r->status == 200);
  std::string cookie = r->get_header_value("Set-Cookie");
  REQUIRE(cookie.find("picket_session=") == 0);
  REQUIRE(cookie.find("HttpOnly") != std::string::npos);
  REQUIRE(cookie.find("SameSite=Strict") != std::string::npos);
  auto j = Json(r);
  REQUIRE(j["login"] == "ann");
  REQUIRE(j["role"] == "officer");
  REQUIRE(j["csrf"].get<std::string>().size() == 64);
  REQUIRE(r->get_header_value("Cache-Control") == "no-store");

  auto officer = Login(cli, "ann", "pw-ann");
  REQUIRE(officer);
  auto session = cli.Get("/api/session", officer->Headers(false));
  REQUIRE(session->status == 200);
  REQUIRE(Json(session)["permissions"] ==
          nlohmann::json::array({"view", "act_on_incident", "approve_walk_up"}));
}

TEST_CASE("console: http: bad logins get clear 4xx errors") {
  ConsoleFixture f;
  auto cli = f.Client();
  auto post = [&](const std::string& body, const char* type = "application/json") {
    return cli.Post("/api/login", body, type);
  };
  auto wrong = post(R"({"login":"ann","password":"nope"})");
  REQUIRE(wrong->status == 401);
  REQUIRE(ErrorCode(wrong) == "bad_credentials");
  REQUIRE(ErrorCode(post(R"({"login":"nobody","password":"x"})")) == "bad_credentials");
  auto malformed = post("{\"login\": ");
  REQUIRE(malformed->status == 400);
  REQUIRE(ErrorCode(malformed) == "bad_json");
  REQUIRE(ErrorCode(post("[1]")) == "bad_request");
  REQUIRE(ErrorCode(post(R"({"login":"ann"})")) == "bad_request");
  REQUIRE(ErrorCode(post(R"({"login":5,"password":"x"})")) == "bad_request");
  auto form = post("login=ann&password=pw-ann", "application/x-www-form-urlencoded");
  REQUIRE(form->status == 415);
  auto huge = post(std::string(64 * 1024, ' ') + "{}");
  REQUIRE(huge);
  REQUIRE(huge->status == 413);
  REQUIRE(ErrorCode(huge) == "too_large");
}

TEST_CASE(
    "console: http: repeated failed logins lock the account, many attempts limit the client") {
  ConsoleFixture f([](ConsoleConfig& c) {
    c.login.max_failures = 3;
    c.login.max_attempts = 5;
  });
  auto cli = f.Client();
  for (int i = 0; i < 3; ++i)
    REQUIRE(
        cli.Post("/api/login", R"({"login":"ann","password":"bad"})", "application/json")->status ==
        401);
  auto locked =
      cli.Post("/api/login", R"({"login":"ann","password":"pw-ann"})", "application/json");
  REQUIRE(locked->status == 429);
  REQUIRE(ErrorCode(locked) == "locked");
  REQUIRE(locked->get_header_value("Retry-After") == "900");
  REQUIRE(Json(locked)["error"]["retry_after"] == 900);
  // Another account is not locked, but this address has now used its attempts.
  REQUIRE(Login(cli, "sue", "pw-sue"));
  REQUIRE(cli.Post("/api/login", R"({"login":"val","password":"x"})", "application/json")->status ==
          401);
  auto limited =
      cli.Post("/api/login", R"({"login":"val","password":"pw-val"})", "application/json");
  REQUIRE(limited->status == 429);
  REQUIRE(ErrorCode(limited) == "rate_limited");
  // The lock ends with its time.
  f.harness().clock().Advance(16 * 60 * kMicrosPerSecond);
  REQUIRE(Login(cli, "ann", "pw-ann"));
}

TEST_CASE("console: http: without a live session every API route answers 401") {
  ConsoleFixture f;
  auto cli = f.Client();
  httplib::Headers bogus{{"Cookie", "picket_session=0123456789abcdef"}, {"X-CSRF-Token", "x"}};
  for (const char* path : {"/api/session", "/api/incidents", "/api/incidents/1", "/api/stream"}) {
    INFO(path);
    REQUIRE(cli.Get(path)->status == 401);
    auto r = cli.Get(path, bogus);
    REQUIRE(r->status == 401);
    REQUIRE(ErrorCode(r) == "no_session");
  }
  for (const char* path : {"/api/logout", "/api/logout-everywhere", "/api/session/lang",
                           "/api/incidents/1/acknowledge", "/api/incidents/1/note",
                           "/api/incidents/1/steps/log/done", "/api/incidents/1/resolve"}) {
    INFO(path);
    auto r = cli.Post(path, bogus, "{}", "application/json");
    REQUIRE(r->status == 401);
    REQUIRE(ErrorCode(r) == "no_session");
  }
  REQUIRE(f.escalation().Received().empty());
}

TEST_CASE("console: http: state changes need the CSRF token and a role that may act") {
  ConsoleFixture f;
  auto cli = f.Client();
  auto ann = Login(cli, "ann", "pw-ann");
  auto val = Login(cli, "val", "pw-val");
  REQUIRE(ann);
  REQUIRE(val);
  auto no_csrf =
      cli.Post("/api/incidents/1/acknowledge", ann->Headers(false), "{}", "application/json");
  REQUIRE(no_csrf->status == 403);
  REQUIRE(ErrorCode(no_csrf) == "csrf");
  Officer wrong = *ann;
  wrong.csrf = val->csrf;  // another session's token
  REQUIRE(ErrorCode(PostJson(cli, "/api/incidents/1/acknowledge", "{}", wrong)) == "csrf");
  auto viewer = PostJson(cli, "/api/incidents/1/acknowledge", "{}", *val);
  REQUIRE(viewer->status == 403);
  REQUIRE(ErrorCode(viewer) == "forbidden");
  auto form = cli.Post("/api/incidents/1/note", ann->Headers(), "text=hi",
                       "application/x-www-form-urlencoded");
  REQUIRE(form->status == 415);
  REQUIRE(f.escalation().Received().empty());
}

TEST_CASE(
    "console: http: logout ends one session, logout everywhere every session of the officer") {
  ConsoleFixture f;
  auto cli = f.Client();
  auto a1 = Login(cli, "ann", "pw-ann");
  auto a2 = Login(cli, "ann", "pw-ann");
  auto a3 = Login(cli, "ann", "pw-ann");
  auto sue = Login(cli, "sue", "pw-sue");
  auto out = PostJson(cli, "/api/logout", "", *a1);
  REQUIRE(out->status == 200);
  REQUIRE(out->get_header_value("Set-Cookie").find("Max-Age=0") != std::string::npos);
  REQUIRE(cli.Get("/api/session", a1->Headers())->status == 401);
  REQUIRE(cli.Get("/api/session", a2->Headers())->status == 200);
  auto all = PostJson(cli, "/api/logout-everywhere", "{}", *a2);
  REQUIRE(Json(all)["ended"] == 2);
  REQUIRE(cli.Get("/api/session", a3->Headers())->status == 401);
  REQUIRE(cli.Get("/api/session", sue->Headers())->status == 200);
}

TEST_CASE("console: http: sessions expire after the idle time") {
  ConsoleFixture f;
  auto cli = f.Client();
  auto ann = Login(cli, "ann", "pw-ann");
  f.harness().clock().Advance(29 * 60 * kMicrosPerSecond);
  REQUIRE(cli.Get("/api/session", ann->Headers())->status == 200);
  f.harness().clock().Advance(30 * 60 * kMicrosPerSecond);
  REQUIRE(cli.Get("/api/session", ann->Headers())->status == 401);
}

TEST_CASE("console: http: the language is chosen per session") {
  ConsoleFixture f;
  auto cli = f.Client();
  auto ann = Login(cli, "ann", "pw-ann");
  auto r = PostJson(cli, "/api/session/lang", R"({"lang":"zh-CN"})", *ann);
  REQUIRE(r->status == 200);
  REQUIRE(Json(cli.Get("/api/session", ann->Headers()))["lang"] == "zh-CN");
  REQUIRE(ErrorCode(PostJson(cli, "/api/session/lang", R"({"lang":"fr"})", *ann)) == "bad_request");
  REQUIRE(ErrorCode(PostJson(cli, "/api/session/lang", "{", *ann)) == "bad_json");
}

}  // namespace picket::console::test
