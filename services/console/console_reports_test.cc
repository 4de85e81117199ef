// HTTP-level tests of the daily activity report: gathered from the scripted
// picket-scoring, picket-patrol, picket-escalation (listIncidents) and picket-access
// (listVisits), and the console's own board when escalation does not answer; JSON and CSV.
#include <catch2/catch.hpp>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "console/console_test_support.h"

namespace picket::console::test {
namespace {

nlohmann::json Json(const httplib::Result& r) { return nlohmann::json::parse(r->body); }

}  // namespace

TEST_CASE("console: report: a post's shift from scoring, patrol, escalation and access") {
  ConsoleFixture f([](ConsoleConfig& c) { c.command_timeout = 600 * 1000; });
  auto cli = f.Client();
  auto val = Login(cli, "val", "pw-val");
  REQUIRE(cli.Get("/api/reports/daily?post=gate-1")->status == 401);
  // The board holds incident 7; escalation's store answers with 3 and 5, which the
  // console's board never held (older than its memory): the report shows those.
  f.Open(7, wire::Severity::HIGH, "gate-1");
  auto r = cli.Get("/api/reports/daily?post=gate-1&period=shift", val->Headers());
  REQUIRE(r->status == 200);
  auto j = Json(r);
  INFO(j.dump());
  REQUIRE(j["period"]["label"] == "2025-11-24 14:00");
  REQUIRE(j["incomplete"].empty());
  std::vector<std::string> kinds, whats;
  for (const auto& l : j["lines"]) {
    kinds.push_back(l["kind"]);
    whats.push_back(l["what"]);
  }
  // By time: the round (due 0), incident 3 (-30 min), vis-1 (-20), incident 5 (-10),
  // con-2 (-10, after: visits are added after incidents), the score entry (-1 min).
  CHECK(kinds ==
        std::vector<std::string>{"round", "incident", "visit", "incident", "visit", "score"});
  CHECK(whats == std::vector<std::string>{"night", "intrusion #3", "Vera Isitor (Acme)", "panic #5",
                                          "Carl Ontractor", "round completed on time"});
  const auto& incident3 = j["lines"][1];
  CHECK(incident3["who"] == "chief");  // resolved by chief (acknowledged by otto)
  CHECK(incident3["status"] == "resolved");
  CHECK(incident3["at"] == picket::testing::kTestTime - 30 * 60 * kMicrosPerSecond);
  CHECK(j["lines"][3]["who"] == "otto");
  const auto& vis1 = j["lines"][2];
  CHECK(vis1["who"] == "rita");
  CHECK(vis1["status"] == "left");
  CHECK(vis1["person_kind"] == "visitor");
  CHECK(vis1["person"] == "vis-1");
  for (const auto& l : j["lines"]) CHECK(l.value("person", "") != "vis-3");  // at gate-2
  CHECK(vis1["until"] == picket::testing::kTestTime - 5 * 60 * kMicrosPerSecond);
  CHECK(j["lines"][4]["status"] == "on_site");
  CHECK(j["lines"][4]["until"] == 0);
  // Totals: scoring's points and the counts of the lines.
  CHECK(j["totals"]["points"] == 5);
  CHECK(j["totals"]["visits"] == 2);
  CHECK(j["totals"]["visits_on_site"] == 1);
  CHECK(j["totals"]["incidents"] == 2);
  CHECK(j["totals"]["incidents_active"] == 1);
  CHECK(j["totals"]["rounds"] == nlohmann::json{{"in_progress", 1}});
  // The sources were asked for the period (scoring's bounds) and the post.
  auto got = f.patrol().Received();
  REQUIRE(got.back().step == "gate-1");
  const Micros start = picket::testing::kTestTime - 3600 * kMicrosPerSecond;
  const Micros end = picket::testing::kTestTime + 3600 * kMicrosPerSecond;
  std::vector<ReceivedRequest> asked;
  for (const auto& q : f.escalation().Received())
    if (q.kind == "listIncidents") asked.push_back(q);
  REQUIRE(asked.size() == 1);
  CHECK(asked[0].step == "gate-1");
  CHECK(asked[0].text == std::to_string(start) + "/" + std::to_string(end));
  CHECK(f.access().VisitRanges() == std::vector<std::pair<Micros, Micros>>{{start, end}});

  // Without picket-patrol the report says what it lacks.
  f.patrol().SetUnavailable(true);
  j = Json(cli.Get("/api/reports/daily?post=gate-1", val->Headers()));
  REQUIRE(j["incomplete"] == nlohmann::json::array({"patrol"}));
  // Without picket-scoring there is no period: 503.
  f.scoring().SetError(wire::ScoringError::UNAVAILABLE);
  REQUIRE(cli.Get("/api/reports/daily?post=gate-1", val->Headers())->status == 503);
}

TEST_CASE("console: report: access or escalation not answering is named in incomplete") {
  ConsoleFixture f([](ConsoleConfig& c) { c.command_timeout = 600 * 1000; });
  auto cli = f.Client();
  auto val = Login(cli, "val", "pw-val");
  f.Open(7, wire::Severity::HIGH, "gate-1");
  f.Open(8, wire::Severity::HIGH, "gate-2");

  f.access().SetUnavailable(true);
  auto j = Json(cli.Get("/api/reports/daily?post=gate-1", val->Headers()));
  INFO(j.dump());
  CHECK(j["incomplete"] == nlohmann::json::array({"access"}));
  for (const auto& l : j["lines"]) CHECK(l["kind"] != "visit");
  CHECK(j["totals"]["visits"] == 0);
  f.access().SetUnavailable(false);

  // Escalation refuses (unavailable to the end): named, and the incidents the console's
  // board holds stand in (7 at gate-1, not 8 at gate-2).
  f.escalation().SetReply([](const ReceivedRequest&, wire::EscalationReply::Builder b) {
    b.setError(wire::EscalationError::UNAVAILABLE);
  });
  j = Json(cli.Get("/api/reports/daily?post=gate-1", val->Headers()));
  CHECK(j["incomplete"] == nlohmann::json::array({"escalation"}));
  std::vector<std::string> incidents;
  for (const auto& l : j["lines"])
    if (l["kind"] == "incident") incidents.push_back(l["what"]);
  CHECK(incidents == std::vector<std::string>{"intrusion #7"});
  CHECK(j["totals"]["visits"] == 2);  // access answers again
}

TEST_CASE("console: report: incidents at another post in escalation's answer are left out") {
  ConsoleFixture f;
  auto cli = f.Client();
  auto val = Login(cli, "val", "pw-val");
  f.escalation().SetReply([](const ReceivedRequest&, wire::EscalationReply::Builder b) {
    auto list = b.initIncidents(1);  // an answer that ignored the post asked for
    list[0].setIncident(9);
    list[0].setIncidentType("intrusion");
    list[0].setPost("gate-2");
    list[0].setFirstOpenedAt(picket::testing::kTestTime);
  });
  auto j = Json(cli.Get("/api/reports/daily?post=gate-1", val->Headers()));
  for (const auto& l : j["lines"]) CHECK(l["kind"] != "incident");
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
  // A visitor who left: the person, the pass kind and the exit time; the status, the kind.
  REQUIRE(
      r->body.find(",来访,Vera Isitor (Acme) [访客] → 2025-11-24 15:55:00 UTC,rita,已离开,\r\n") !=
      std::string::npos);
  REQUIRE(r->body.find(",来访,Carl Ontractor [承包商],rita,在场,\r\n") != std::string::npos);
  REQUIRE(r->body.find(",事件,intrusion #3,chief,resolved,\r\n") != std::string::npos);
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
