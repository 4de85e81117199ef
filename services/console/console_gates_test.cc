// HTTP-level tests of the Gates API: the live decisions (from picket-access's events on
// the bus) and the roll call (picket-access's listOnSite, scripted).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "console/console_test_support.h"

namespace picket::console::test {
namespace {

nlohmann::json Json(const httplib::Result& r) { return nlohmann::json::parse(r->body); }

}  // namespace

TEST_CASE("console: gates: decisions at the gates are listed newest first") {
  ConsoleFixture f([](ConsoleConfig& c) { c.gate_feed = 2; });
  auto cli = f.Client();
  auto val = Login(cli, "val", "pw-val");
  REQUIRE(cli.Get("/api/gates/decisions")->status == 401);
  f.Publish(
      event_types::kAccessGranted,
      [](wire::AccessGranted::Builder b) {
        b.setPost("gate-1");
        b.setGate("g1");
        b.setPerson("ann");
        b.setPassCode("P-1");
        b.setDirection(wire::Direction::IN);
      },
      "guard-7");
  f.Publish(event_types::kAccessDenied, [](wire::AccessDenied::Builder b) {
    b.setPost("gate-1");
    b.setGate("g1");
    b.setPerson("bob");
    b.setReason("expired");
    b.setDirection(wire::Direction::OUT);
  });
  uint64_t last =
      f.Publish(event_types::kUnregisteredEntry, [](wire::UnregisteredEntry::Builder b) {
        b.setPost("gate-2");
        b.setGate("g2");
        b.setPerson("Zhang San");
        b.setNote("delivery");
      });
  auto r = cli.Get("/api/gates/decisions", val->Headers());
  REQUIRE(r->status == 200);
  auto j = Json(r);
  REQUIRE(j["seq"] == last);
  REQUIRE(j["decisions"].size() == 2);  // gate_feed = 2
  REQUIRE(j["decisions"][0]["type"] == "access.unregistered_entry");
  REQUIRE(j["decisions"][0]["reason"] == "delivery");
  REQUIRE(j["decisions"][1]["type"] == "access.denied");
  REQUIRE(j["decisions"][1]["reason"] == "expired");
  REQUIRE(j["decisions"][1]["direction"] == "out");
}

TEST_CASE("console: gates: the roll call comes from picket-access") {
  ConsoleFixture f([](ConsoleConfig& c) { c.command_timeout = 600 * 1000; });
  auto cli = f.Client();
  auto val = Login(cli, "val", "pw-val");
  REQUIRE(cli.Get("/api/gates/on-site")->status == 401);
  auto r = cli.Get("/api/gates/on-site", val->Headers());
  REQUIRE(r->status == 200);
  auto j = Json(r);
  REQUIRE(j["on_site"].size() == 2);
  REQUIRE(j["on_site"][0]["name"] == "Ann Li");
  REQUIRE(j["on_site"][0]["kind"] == "staff");
  REQUIRE(j["on_site"][1]["manual"] == true);
  f.access().SetUnavailable(true);
  auto down = cli.Get("/api/gates/on-site", val->Headers());
  REQUIRE(down->status == 503);
  REQUIRE(ErrorCode(down) == "unavailable");
}

}  // namespace picket::console::test

namespace picket::console::test {

TEST_CASE("console: gates: the walk-ups waiting for approval come from picket-access") {
  ConsoleFixture f([](ConsoleConfig& c) { c.command_timeout = 600 * 1000; });
  auto cli = f.Client();
  auto val = Login(cli, "val", "pw-val");
  REQUIRE(val);
  REQUIRE(cli.Get("/api/gates/walkups")->status == 401);
  auto r = cli.Get("/api/gates/walkups", val->Headers());
  REQUIRE(r->status == 200);
  auto j = Json(r);
  REQUIRE(j["walkups"].size() == 2);
  CHECK(j["walkups"][0]["person"] == "w-1");
  CHECK(j["walkups"][0]["name"] == "Walt Walker");
  CHECK(j["walkups"][0]["company"] == "Acme");
  CHECK(j["walkups"][0]["host"] == "host-1");
  CHECK(j["walkups"][0]["gate"] == "north");
  CHECK(j["walkups"][0]["post"] == "gate-1");
  CHECK(j["walkups"][0]["requested_by"] == "guard-7");
  CHECK(j["walkups"][0]["requested_at"] == picket::testing::kTestTime);
  CHECK(j["walkups"][1]["person"] == "w-2");
  f.access().SetUnavailable(true);
  auto down = cli.Get("/api/gates/walkups", val->Headers());
  REQUIRE(down->status == 503);
  CHECK(ErrorCode(down) == "unavailable");
}

TEST_CASE("console: gates: an officer approves or denies a walk-up, bad requests are 4xx") {
  ConsoleFixture f([](ConsoleConfig& c) { c.command_timeout = 600 * 1000; });
  auto cli = f.Client();
  auto ann = Login(cli, "ann", "pw-ann");  // officer
  auto val = Login(cli, "val", "pw-val");  // viewer
  REQUIRE((ann && val));
  const std::string approve = "/api/gates/walkups/w-1/approve";
  const std::string deny = "/api/gates/walkups/w-2/deny";

  // Refused before picket-access is asked.
  CHECK(cli.Post(approve, "{}", "application/json")->status == 401);
  auto no_csrf = cli.Post(approve, ann->Headers(false), "{}", "application/json");
  CHECK(no_csrf->status == 403);
  CHECK(ErrorCode(no_csrf) == "csrf");
  auto viewer = PostJson(cli, approve, "{}", *val);
  CHECK(viewer->status == 403);
  CHECK(ErrorCode(viewer) == "forbidden");
  auto bad_json = PostJson(cli, deny, "{\"reason\": ", *ann);
  CHECK(bad_json->status == 400);
  CHECK(ErrorCode(bad_json) == "bad_json");
  auto no_reason = PostJson(cli, deny, "{}", *ann);
  CHECK(no_reason->status == 400);
  CHECK(ErrorCode(no_reason) == "bad_request");
  auto empty_reason = PostJson(cli, deny, R"({"reason": ""})", *ann);
  CHECK(empty_reason->status == 400);
  auto long_reason =
      PostJson(cli, deny, nlohmann::json{{"reason", std::string(501, 'r')}}.dump(), *ann);
  CHECK(long_reason->status == 400);
  CHECK(ErrorCode(long_reason) == "bad_request");
  auto bad_id = PostJson(cli, "/api/gates/walkups/w*1/approve", "{}", *ann);
  CHECK(bad_id->status == 400);
  CHECK(ErrorCode(bad_id) == "bad_request");
  auto long_id =
      PostJson(cli, "/api/gates/walkups/" + std::string(65, 'w') + "/approve", "{}", *ann);
  CHECK(long_id->status == 400);
  CHECK(f.access().WalkUpRequests().empty());

  // The officer approves w-1: picket-access gets the login as actor and as `by`.
  auto ok = PostJson(cli, approve, "{}", *ann);
  INFO(ok->body);
  REQUIRE(ok->status == 200);
  CHECK(Json(ok)["person"] == "w-1");
  CHECK(Json(ok)["approved"] == true);
  auto sent = f.access().WalkUpRequests();
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].kind == "approveWalkUp");
  CHECK(sent[0].actor == "ann");
  CHECK(sent[0].step == "ann");
  CHECK(sent[0].text == "w-1");
  CHECK(sent[0].command_id_bytes == 16);
  auto list = Json(cli.Get("/api/gates/walkups", ann->Headers()));
  REQUIRE(list["walkups"].size() == 1);
  CHECK(list["walkups"][0]["person"] == "w-2");
  // Twice, or someone never asked about: picket-access's notPending is 404.
  auto twice = PostJson(cli, approve, "{}", *ann);
  CHECK(twice->status == 404);
  CHECK(ErrorCode(twice) == "not_pending");
  auto unknown = PostJson(cli, "/api/gates/walkups/nobody/deny", R"({"reason": "r"})", *ann);
  CHECK(unknown->status == 404);
  CHECK(ErrorCode(unknown) == "not_pending");

  // picket-access's other refusals.
  f.access().SetWalkUpError(wire::AccessError::NOT_AUTHORIZED);
  auto not_host = PostJson(cli, deny, R"({"reason": "no appointment"})", *ann);
  CHECK(not_host->status == 403);
  CHECK(ErrorCode(not_host) == "not_authorized");
  f.access().SetWalkUpError(wire::AccessError::INVALID_ARGUMENT);
  auto blank = PostJson(cli, deny, R"({"reason": "  "})", *ann);
  CHECK(blank->status == 400);
  CHECK(ErrorCode(blank) == "invalid_argument");
  f.access().SetWalkUpError(wire::AccessError::ALREADY_EXISTS);
  CHECK(PostJson(cli, approve, "{}", *ann)->status == 409);
  f.access().SetWalkUpError(wire::AccessError::NONE);

  // A supervisor denies w-2 with a reason.
  auto sue = Login(cli, "sue", "pw-sue");
  REQUIRE(sue);
  auto denied = PostJson(cli, deny, R"({"reason": "no appointment"})", *sue);
  REQUIRE(denied->status == 200);
  CHECK(Json(denied)["denied"] == true);
  sent = f.access().WalkUpRequests();
  CHECK(sent.back().kind == "denyWalkUp");
  CHECK(sent.back().actor == "sue");
  CHECK(sent.back().override_reason == "no appointment");
  CHECK(Json(cli.Get("/api/gates/walkups", ann->Headers()))["walkups"].empty());
  f.access().SetUnavailable(true);
  auto down = PostJson(cli, approve, "{}", *ann);
  CHECK(down->status == 503);
}

TEST_CASE("console: gates: the stream tells the page when the walk-up queue changed") {
  ConsoleFixture f;
  auto cli = f.Client();
  auto val = Login(cli, "val", "pw-val");
  REQUIRE(val);
  uint64_t asked = f.Publish(
      event_types::kWalkUpRequested,
      [](wire::WalkUpRequested::Builder b) {
        b.setPerson("w-1");
        b.setName("Walt Walker");
        b.setHost("host-1");
      },
      "guard-7");
  uint64_t denied = f.Publish(
      event_types::kWalkUpDenied,
      [](wire::WalkUpDenied::Builder b) {
        b.setPerson("w-1");
        b.setDeniedBy("chief");
        b.setReason("no");
      },
      "chief");
  std::string text;
  const std::string want = "id: " + std::to_string(denied) + "\nevent: walkup\n";
  cli.Get("/api/stream?since=0", val->Headers(), [&](const char* data, size_t n) {
    text.append(data, n);
    return text.find(want) == std::string::npos;  // the read timeout is the deadline
  });
  INFO(text);
  CHECK(text.find(
            "id: " + std::to_string(asked) +
            "\nevent: walkup\ndata: {\"person\":\"w-1\",\"type\":\"access.walkup_requested\"}") !=
        std::string::npos);
  CHECK(text.find(want + "data: {\"person\":\"w-1\",\"type\":\"access.walkup_denied\"}") !=
        std::string::npos);
}

}  // namespace picket::console::test
