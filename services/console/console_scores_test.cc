// HTTP-level tests of the Scores API against a scripted picket-scoring endpoint.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "console/console_test_support.h"

namespace picket::console::test {
namespace {

nlohmann::json Json(const httplib::Result& r) { return nlohmann::json::parse(r->body); }

}  // namespace

TEST_CASE("console: scores: leaderboards, explanations and awards come from picket-scoring") {
  ConsoleFixture f;
  auto cli = f.Client();
  auto val = Login(cli, "val", "pw-val");
  REQUIRE(cli.Get("/api/scores/leaderboard")->status == 401);
  auto r = cli.Get("/api/scores/leaderboard?period=week&subjects=post&limit=10", val->Headers());
  REQUIRE(r->status == 200);
  auto j = Json(r);
  REQUIRE(j["standings"].size() == 2);
  REQUIRE(j["standings"][0]["subject"] == "ann");
  REQUIRE(j["standings"][1]["points"] == -3);
  REQUIRE(j["period"]["label"] == "2025-11-24");
  auto e = Json(
      cli.Get("/api/scores/explain?subject_kind=guard&subject=ann&period=day", val->Headers()));
  REQUIRE(e["entries"][0]["label"] == "round completed on time");
  REQUIRE(e["totals"]["points"] == 5);
  auto a = Json(cli.Get("/api/scores/awards?period=month", val->Headers()));
  REQUIRE(a["awards"][0]["post"] == "gate-1");
  auto got = f.scoring().Received();
  REQUIRE(got.size() == 3);
  REQUIRE(got[0].text == "2/1");  // week, post
  REQUIRE(got[1].text == "ann");
}

TEST_CASE("console: scores: bad query parameters are refused before picket-scoring hears") {
  ConsoleFixture f;
  auto cli = f.Client();
  auto val = Login(cli, "val", "pw-val");
  for (const char* path :
       {"/api/scores/leaderboard?period=year", "/api/scores/leaderboard?subjects=team",
        "/api/scores/leaderboard?limit=5000", "/api/scores/leaderboard?limit=-1",
        "/api/scores/leaderboard?at=soon", "/api/scores/explain?subject_kind=guard",
        "/api/scores/explain?subject=ann&period=fortnight", "/api/scores/awards?period=decade"}) {
    INFO(path);
    auto r = cli.Get(path, val->Headers());
    REQUIRE(r->status == 400);
    REQUIRE(ErrorCode(r) == "bad_request");
  }
  REQUIRE(f.scoring().Received().empty());
}

TEST_CASE("console: scores: supervisors void, commend and inspect, with a reason") {
  ConsoleFixture f;
  auto cli = f.Client();
  auto sue = Login(cli, "sue", "pw-sue");
  auto ann = Login(cli, "ann", "pw-ann");
  auto officer = PostJson(cli, "/api/scores/entries/41/void", R"({"reason":"x"})", *ann);
  REQUIRE(officer->status == 403);
  REQUIRE(ErrorCode(officer) == "forbidden");
  REQUIRE(
      PostJson(cli, "/api/scores/entries/41/void", R"({"reason":"wrong guard"})", *sue)->status ==
      200);
  REQUIRE(PostJson(cli, "/api/scores/commendations", R"({"guard":"ann","reason":"calm"})", *sue)
              ->status == 200);
  auto inspect = PostJson(cli, "/api/scores/inspections",
                          R"({"post":"gate-1","findings":[{"category":"uniform","passed":true},
                              {"category":"phone","passed":false,"note":"on the phone"}]})",
                          *sue);
  REQUIRE(inspect->status == 200);
  REQUIRE(Json(inspect)["id"] == 41);
  auto got = f.scoring().Received();
  REQUIRE(got.size() == 3);
  REQUIRE(got[0].kind == "void");
  REQUIRE(got[0].actor == "sue");
  REQUIRE(got[0].incident == 41);
  REQUIRE(got[0].text == "wrong guard");
  REQUIRE(got[0].command_id_bytes == 16);
  REQUIRE(got[1].text == "calm");
  REQUIRE(got[2].text == "2");
}

TEST_CASE("console: scores: bad commands get 400 and picket-scoring's refusals their status") {
  ConsoleFixture f([](ConsoleConfig& c) { c.command_timeout = 600 * 1000; });
  auto cli = f.Client();
  auto sue = Login(cli, "sue", "pw-sue");
  auto code = [&](const std::string& path, const std::string& body) {
    return ErrorCode(PostJson(cli, path, body, *sue));
  };
  REQUIRE(code("/api/scores/entries/41/void", "{}") == "bad_request");
  REQUIRE(code("/api/scores/entries/x/void", R"({"reason":"r"})") == "bad_request");
  REQUIRE(code("/api/scores/entries/41/void", "{") == "bad_json");
  REQUIRE(code("/api/scores/commendations", R"({"reason":"r"})") == "bad_request");
  REQUIRE(code("/api/scores/inspections", R"({"post":"gate-1"})") == "bad_request");
  REQUIRE(code("/api/scores/inspections", R"({"post":"gate-1","findings":[]})") == "bad_request");
  REQUIRE(code("/api/scores/inspections", R"({"post":"gate-1","findings":[{"category":"x"}]})") ==
          "bad_request");
  REQUIRE(code("/api/scores/inspections", R"({"post":"gate-1","findings":[7]})") == "bad_request");
  REQUIRE(f.scoring().Received().empty());
  f.scoring().SetError(wire::ScoringError::UNKNOWN_ENTRY);
  auto r = PostJson(cli, "/api/scores/entries/99/void", R"({"reason":"r"})", *sue);
  REQUIRE(r->status == 404);
  REQUIRE(ErrorCode(r) == "unknown_entry");
  f.scoring().SetError(wire::ScoringError::ALREADY_VOIDED);
  REQUIRE(PostJson(cli, "/api/scores/entries/99/void", R"({"reason":"r"})", *sue)->status == 409);
  f.scoring().SetError(wire::ScoringError::UNKNOWN_POST);
  REQUIRE(code("/api/scores/commendations", R"({"post":"nowhere","reason":"r"})") ==
          "unknown_post");
  f.scoring().SetError(wire::ScoringError::UNAVAILABLE);
  REQUIRE(code("/api/scores/commendations", R"({"post":"gate-1","reason":"r"})") == "unavailable");
}


TEST_CASE("console: scores: the history goes back period by period for the chart") {
  ConsoleFixture f;
  auto cli = f.Client();
  auto val = Login(cli, "val", "pw-val");
  REQUIRE(cli.Get("/api/scores/history")->status == 401);
  constexpr int64_t kHour = 3600 * kMicrosPerSecond;
  const int64_t at = 1000 * 24 * kHour + 5 * kHour + 17;  // 05:00:00.000017 of some day
  auto r = cli.Get(
      "/api/scores/history?period=shift&subjects=guard&count=3&top=1&at=" + std::to_string(at),
      val->Headers());
  REQUIRE(r->status == 200);
  auto j = Json(r);
  // Oldest first: the hours 3, 4 and 5; only ann (top 1), with that hour's points.
  REQUIRE(j["periods"].size() == 3);
  REQUIRE(j["periods"][0]["label"] == "h3");
  REQUIRE(j["periods"][2]["label"] == "h5");
  REQUIRE(j["series"].size() == 1);
  REQUIRE(j["series"][0]["subject"] == "ann");
  REQUIRE(j["series"][0]["points"] == nlohmann::json::array({3, 4, 5}));
  // Each leaderboard asked at the instant before the next newer period began.
  auto got = f.scoring().Received();
  REQUIRE(got.size() == 3);
  REQUIRE(got[0].text == "0/0@" + std::to_string(at));
  REQUIRE(got[1].text == "0/0@" + std::to_string(1000 * 24 * kHour + 5 * kHour - 1));
  REQUIRE(got[2].text == "0/0@" + std::to_string(1000 * 24 * kHour + 4 * kHour - 1));

  // Two subjects by default (top 5 of two); a subject missing from a period has 0 there.
  auto both = Json(cli.Get("/api/scores/history?count=2&at=" + std::to_string(at), val->Headers()));
  REQUIRE(both["series"].size() == 2);
  REQUIRE(both["series"][1]["points"] == nlohmann::json::array({-3, -3}));

  for (const char* bad : {"count=0", "count=32", "count=x", "top=0", "top=21", "period=year",
                          "subjects=team", "at=-5"}) {
    INFO(bad);
    auto b = cli.Get(std::string("/api/scores/history?") + bad, val->Headers());
    REQUIRE(b->status == 400);
    REQUIRE(ErrorCode(b) == "bad_request");
  }
  f.scoring().SetError(wire::ScoringError::UNAVAILABLE);
  REQUIRE(cli.Get("/api/scores/history?count=2", val->Headers())->status == 503);
}

}  // namespace picket::console::test
