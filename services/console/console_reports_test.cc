// HTTP-level tests of the daily activity report: gathered from the scripted
// picket-scoring and picket-patrol and the console's own board, as JSON and CSV.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "console/console_test_support.h"

namespace picket::console::test {
namespace {

nlohmann::json Json(const httplib::Result& r) { return nlohmann::json::parse(r->body); }

}  // namespace

TEST_CASE("console: report: a post's shift from scoring, patrol and the incidents held") {
  ConsoleFixture f([](ConsoleConfig& c) { c.command_timeout = 600 * 1000; });
  auto cli = f.Client();
  auto val = Login(cli, "val", "pw-val");
  REQUIRE(cli.Get("/api/reports/daily?post=gate-1")->status == 401);
  f.Open(7, wire::Severity::HIGH, "gate-1");
  f.Open(8, wire::Severity::HIGH, "gate-2");  // another post: not in the report
  auto r = cli.Get("/api/reports/daily?post=gate-1&period=shift", val->Headers());
  REQUIRE(r->status == 200);
  auto j = Json(r);
  REQUIRE(j["period"]["label"] == "2025-11-24 14:00");
  REQUIRE(j["incomplete"].empty());
  REQUIRE(j["lines"].size() == 3);
  REQUIRE(j["lines"][0]["kind"] == "round");  // due 0 (the scripted round has no due time)
  REQUIRE(j["lines"][1]["kind"] == "score");
  REQUIRE(j["lines"][1]["points"] == 5);
  REQUIRE(j["lines"][2]["kind"] == "incident");
  REQUIRE(j["lines"][2]["what"] == "intrusion #7");
  auto got = f.patrol().Received();
  REQUIRE(got.back().step == "gate-1");

  // Without picket-patrol the report says what it lacks.
  f.patrol().SetUnavailable(true);
  j = Json(cli.Get("/api/reports/daily?post=gate-1", val->Headers()));
  REQUIRE(j["incomplete"] == nlohmann::json::array({"patrol"}));
  // Without picket-scoring there is no period: 503.
  f.scoring().SetError(wire::ScoringError::UNAVAILABLE);
  REQUIRE(cli.Get("/api/reports/daily?post=gate-1", val->Headers())->status == 503);
}

TEST_CASE("console: report: CSV in the officer's language") {
  ConsoleFixture f;
  auto cli = f.Client();
  auto val = Login(cli, "val", "pw-val");
  REQUIRE(PostJson(cli, "/api/session/lang", R"({"lang":"zh-CN"})", *val)->status == 200);
  auto r = cli.Get("/api/reports/daily?post=gate-1&format=csv", val->Headers());
  REQUIRE(r->status == 200);
  REQUIRE(r->get_header_value("Content-Type") == "text/csv; charset=utf-8");
  REQUIRE(r->get_header_value("Content-Disposition")
              .find("attachment; filename=\"activity-gate-1-day-") == 0);
  REQUIRE(r->body.rfind("时间,类别,内容,人员,状态,得分\r\n", 0) == 0);
  INFO(r->body);
  REQUIRE(r->body.find("评分,round completed on time,ann,,5\r\n") != std::string::npos);
  REQUIRE(r->body.find("2025-11-24 15:59:00 UTC") != std::string::npos);
}

TEST_CASE("console: report: bad parameters are refused") {
  ConsoleFixture f;
  auto cli = f.Client();
  auto val = Login(cli, "val", "pw-val");
  for (const char* path :
       {"/api/reports/daily", "/api/reports/daily?post=Gate%201",
        "/api/reports/daily?post=g&period=week", "/api/reports/daily?post=g&format=xml",
        "/api/reports/daily?post=g&at=soon"}) {
    INFO(path);
    auto r = cli.Get(path, val->Headers());
    REQUIRE(r->status == 400);
    REQUIRE(ErrorCode(r) == "bad_request");
  }
  REQUIRE(f.scoring().Received().empty());
}

}  // namespace picket::console::test
