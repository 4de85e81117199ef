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
