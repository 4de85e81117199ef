// Reading [patrol] from site.toml: every key, the defaults, errors with their line and key
// path (the reader's own and the core's validation), and the example site in deploy/.
#include "patrol/patrol_config_toml.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

namespace picket::patrol {
namespace {

constexpr Micros kSecond = kMicrosPerSecond;

int LineOf(std::string_view text, std::string_view marker) {
  size_t at = text.find(marker);
  if (at == std::string_view::npos) return 0;
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + at, '\n'));
}

std::vector<std::string> Errors(std::string_view text) {
  std::string error;
  auto config = ParsePatrolConfig(text, "site.toml", &error);
  if (config) return {};
  CHECK_FALSE(error.empty());
  std::vector<std::string> out;
  std::istringstream in(error);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

PatrolServiceConfig Read(std::string_view text) {
  std::string error;
  auto config = ParsePatrolConfig(text, "site.toml", &error);
  INFO(error);
  REQUIRE(config);
  return *config;
}

// Reading `text` gives exactly one error, on the line of `marker`, containing `what`.
void CheckOneError(std::string_view text, std::string_view marker, const std::string& what) {
  auto errors = Errors(text);
  INFO(text);
  for (const auto& e : errors) INFO(e);
  REQUIRE(errors.size() == 1);
  const std::string prefix = "site.toml:" + std::to_string(LineOf(text, marker)) + ":";
  CHECK(errors[0].rfind(prefix, 0) == 0);
  CHECK_THAT(errors[0], Catch::Contains(what));
}

constexpr std::string_view kSite = R"(
[patrol]
commands = "tcp://127.0.0.1:7513"
http = "127.0.0.1:7584"
reply_wait = "2s"
time_zone = "Europe/Berlin"
skew_limit = "90s"
skew_window = "5m"

[[patrol.checkpoints]]
tag = "CP-N"
name = "North fence"
location = "by the pump house"

[[patrol.checkpoints]]
tag = "CP-E"
name = "East gate"

[[patrol.routes]]
id = "perimeter"
name = "Perimeter"
post = "gate-1"
order = "random"
checkpoints = ["CP-N", "CP-E"]
leg_min = "1m"
leg_max = "10m"
grace = "3m"
early = "20m"

[[patrol.schedules]]
id = "night"
route = "perimeter"
every = "2h"
from = "22:00"
to = "06:00"
days = ["fri", "sat"]
guard = "hana"

[[patrol.schedules]]
id = "noon"
route = "perimeter"
at = ["12:00", "09:30"]
)";

}  // namespace

TEST_CASE("patrol config: every key is read", "[patrol][config]") {
  PatrolServiceConfig c = Read(kSite);
  CHECK(c.commands == "tcp://127.0.0.1:7513");
  CHECK(c.http == "127.0.0.1:7584");
  CHECK(c.reply_wait == 2 * kSecond);
  const PatrolConfig& p = c.patrol;
  CHECK(p.time_zone == "CET-1CEST,M3.5.0,M10.5.0/3");  // the name, resolved once
  CHECK(p.skew_limit == 90 * kSecond);
  CHECK(p.skew_window == 5 * kMinute);
  REQUIRE(p.checkpoints.size() == 2);
  CHECK(p.checkpoints[0].location == "by the pump house");
  CHECK(p.checkpoints[1].location.empty());
  REQUIRE(p.routes.size() == 1);
  const Route& r = p.routes[0];
  CHECK(r.order == RouteOrder::kRandom);
  CHECK(r.checkpoints == std::vector<std::string>{"CP-N", "CP-E"});
  CHECK(r.leg_min == kMinute);
  CHECK(r.leg_max == 10 * kMinute);
  CHECK(r.grace == 3 * kMinute);
  CHECK(r.early == 20 * kMinute);
  REQUIRE(p.schedules.size() == 2);
  const Schedule& night = p.schedules[0];
  // 22:00, then 00:00 .. 06:00 of the next day (minutes after the first day's midnight).
  CHECK(night.start_minutes == std::vector<int>{1320, 1440, 1560, 1680, 1800});
  CHECK(night.days == std::array<bool, 7>{false, false, false, false, false, true, true});
  CHECK(night.guard == "hana");
  CHECK(p.schedules[1].start_minutes == std::vector<int>{570, 720});  // sorted
  CHECK(p.schedules[1].days == std::array<bool, 7>{true, true, true, true, true, true, true});
}

TEST_CASE("patrol config: an absent section is the defaults", "[patrol][config]") {
  PatrolServiceConfig c = Read("[site]\nid = \"x\"\n");
  CHECK(c.commands == "tcp://127.0.0.1:7413");
  CHECK(c.patrol.time_zone == "UTC0");
  CHECK(c.patrol.routes.empty());
}

TEST_CASE("patrol config: the reader's errors name the line and the key", "[patrol][config]") {
  CheckOneError("[patrol]\ncolour = 1\n", "colour", "patrol.colour: unknown key");
  CheckOneError("[patrol]\ntime_zone = \"Mars/Olympus\"\n", "time_zone",
                "patrol.time_zone: time zone 'Mars/Olympus': no zone file");
  CheckOneError(
      "[patrol]\n[[patrol.routes]]\nid = \"r\"\npost = \"p\"\ncheckpoints = []\norder = "
      "\"zigzag\"\n",
      "zigzag", "unknown order 'zigzag' (ordered, any, random)");
  CheckOneError("[patrol]\n[[patrol.schedules]]\nid = \"s\"\nroute = \"r\"\nat = [\"25:00\"]\n",
                "25:00", "'25:00' is not HH:MM");
  CheckOneError(
      "[patrol]\n[[patrol.schedules]]\nid = \"s\"\nroute = \"r\"\nat = [\"22:00\"]\nevery = "
      "\"1h\"\nfrom = \"22:00\"\nto = \"23:00\"\n",
      "at = ", "give either `at` (a list of HH:MM) or `every` with `from` and `to`");
  CheckOneError(
      "[patrol]\n[[patrol.schedules]]\nid = \"s\"\nroute = \"r\"\nat = [\"22:00\"]\ndays = "
      "[\"someday\"]\n",
      "someday", "unknown day 'someday'");
  CheckOneError(
      "[patrol]\n[[patrol.schedules]]\nid = \"s\"\nroute = \"r\"\nevery = \"1m\"\nfrom = "
      "\"22:00\"\nto = \"23:00\"\n",
      "every", "patrol.schedules[1].every");
}

TEST_CASE("patrol config: the core's validation is placed at the element it is about",
          "[patrol][config]") {
  // A route naming a checkpoint nobody configured.
  const std::string unknown = R"([patrol]
[[patrol.checkpoints]]
tag = "CP-N"
name = "North"

[[patrol.routes]]
id = "r"
post = "gate-1"
checkpoints = ["CP-N", "CP-X"]
)";
  auto errors = Errors(unknown);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].rfind("site.toml:" + std::to_string(LineOf(unknown, "id = \"r\"")) + ":", 0) ==
        0);
  CHECK_THAT(errors[0],
             Catch::EndsWith("patrol.routes[1] 'r': checkpoint 'CP-X' is not configured"));

  // Two schedules of one route whose rounds would overlap (the round takes 2 x 10 min + 5).
  const std::string overlap = R"([patrol]
[[patrol.checkpoints]]
tag = "CP-N"
name = "North"

[[patrol.checkpoints]]
tag = "CP-E"
name = "East"

[[patrol.routes]]
id = "r"
post = "gate-1"
checkpoints = ["CP-N", "CP-E"]
leg_max = "10m"
grace = "5m"

[[patrol.schedules]]
id = "a"
route = "r"
at = ["22:00"]

[[patrol.schedules]]
id = "b"
route = "r"
at = ["22:10"]
)";
  errors = Errors(overlap);
  REQUIRE_FALSE(errors.empty());
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].rfind("site.toml:" + std::to_string(LineOf(overlap, "id = \"b\"")) + ":", 0) ==
        0);
  CHECK_THAT(errors[0], Catch::Contains("patrol.schedules[2] 'b': starts at") &&
                            Catch::Contains("10 min after schedule 'a'") &&
                            Catch::Contains("need 25 min (planned length + grace)"));
}

TEST_CASE("patrol config: the example site's [patrol] reads", "[patrol][config]") {
  std::ifstream in(PICKET_EXAMPLE_SITE);
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  PatrolServiceConfig c = Read(text.str());
  CHECK_FALSE(c.patrol.routes.empty());
  CHECK_FALSE(c.patrol.schedules.empty());
}

}  // namespace picket::patrol
