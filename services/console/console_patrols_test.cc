// HTTP-level tests of the Patrols API against a scripted picket-patrol endpoint.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "console/console_test_support.h"

namespace picket::console::test {
namespace {

nlohmann::json Json(const httplib::Result& r) { return nlohmann::json::parse(r->body); }

}  // namespace

TEST_CASE("console: patrols: the rounds of a day and the current ones come from picket-patrol") {
  ConsoleFixture f([](ConsoleConfig& c) { c.command_timeout = 600 * 1000; });
  auto cli = f.Client();
  auto val = Login(cli, "val", "pw-val");
  REQUIRE(cli.Get("/api/patrols/current")->status == 401);
  auto r = cli.Get("/api/patrols/rounds?from=1000&to=2000&post=gate-1", val->Headers());
  REQUIRE(r->status == 200);
  auto j = Json(r);
  REQUIRE(j["rounds"][0]["route"] == "night");
  REQUIRE(j["rounds"][0]["checkpoints"][0]["state"] == "on_time");
  auto c = Json(cli.Get("/api/patrols/current", val->Headers()));
  REQUIRE(c["rounds"][0]["status"] == "in_progress");
  auto got = f.patrol().Received();
  REQUIRE(got.size() == 2);
  REQUIRE(got[0].kind == "listRounds");
  REQUIRE(got[0].incident == 1000);
  REQUIRE(got[0].text == "2000");
  REQUIRE(got[0].step == "gate-1");
  REQUIRE(got[1].kind == "currentRounds");
  f.patrol().SetUnavailable(true);
  REQUIRE(ErrorCode(cli.Get("/api/patrols/current", val->Headers())) == "unavailable");
}

TEST_CASE("console: patrols: a malformed time range is refused before picket-patrol hears") {
  ConsoleFixture f;
  auto cli = f.Client();
  auto val = Login(cli, "val", "pw-val");
  for (const char* path :
       {"/api/patrols/rounds", "/api/patrols/rounds?from=5", "/api/patrols/rounds?from=5&to=5",
        "/api/patrols/rounds?from=9&to=3", "/api/patrols/rounds?from=x&to=9",
        "/api/patrols/rounds?from=0&to=99999999999999"}) {
    INFO(path);
    auto r = cli.Get(path, val->Headers());
    REQUIRE(r->status == 400);
    REQUIRE(ErrorCode(r) == "bad_request");
  }
  REQUIRE(f.patrol().Received().empty());
}

}  // namespace picket::console::test
