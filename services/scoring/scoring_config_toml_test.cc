// [scoring] in site.toml: what is read, what is refused and where the error points.
#include <catch2/catch.hpp>

#include <cstdio>

#include "runtime/config.h"
#include "scoring/scoring_config_toml.h"

namespace picket::scoring {
namespace {

constexpr Micros kMinute = 60 * kMicrosPerSecond;

std::optional<ScoringServiceConfig> Parse(const std::string& text, std::string* error) {
  return ParseScoringConfig(text, "site.toml", error);
}

std::string ErrorOf(const std::string& text) {
  std::string error;
  auto config = Parse(text, &error);
  CHECK_FALSE(config);
  return error;
}

const Rule* Find(const ScoringConfig& c, const std::string& name) {
  for (const auto& r : c.rules)
    if (r.name == name) return &r;
  return nullptr;
}

TEST_CASE("scoring config: an absent section gives the default rules", "[scoring][config]") {
  std::string error;
  auto config = Parse("[site]\nid = \"s\"\n", &error);
  INFO(error);
  REQUIRE(config);
  CHECK(config->commands == "tcp://127.0.0.1:7414");
  CHECK(config->scoring.rules.size() == DefaultRules().size());
  REQUIRE(Find(config->scoring, "checkpoint_missed"));
  CHECK(Find(config->scoring, "checkpoint_missed")->points < 0);
  CHECK(config->scoring.categories == DefaultCategories());
}

TEST_CASE("scoring config: a full section is read", "[scoring][config]") {
  std::string error;
  auto config = Parse(R"(
[scoring]
commands = "tcp://127.0.0.1:9414"
time_zone = "Europe/Berlin"
shifts = ["14:00", "06:00", "22:00"]
squads = { north = ["gate-1", "gate-2"] }
posts = ["yard"]
award_periods = ["day", "week"]
award_delay = "10m"

[scoring.points]
checkpoint_missed = -12
)",
                      &error);
  INFO(error);
  REQUIRE(config);
  const ScoringConfig& s = config->scoring;
  CHECK(s.time_zone == "CET-1CEST,M3.5.0,M10.5.0/3");
  CHECK(s.shift_starts == std::vector<int>{360, 840, 1320});
  CHECK(SquadOf(s, "gate-2") == "north");
  CHECK(KnownPosts(s).count("yard") == 1);
  CHECK(s.award_periods == std::vector<PeriodKind>{PeriodKind::kDay, PeriodKind::kWeek});
  CHECK(s.award_delay == 10 * kMinute);
  REQUIRE(Find(s, "checkpoint_missed"));
  CHECK(Find(s, "checkpoint_missed")->points == -12);
}

TEST_CASE("scoring config: own rules replace the defaults and take any registered field",
          "[scoring][config]") {
  std::string error;
  auto config = Parse(R"(
[scoring]
[[scoring.rules]]
name = "quick_checkin"
label = "Visitor {person} checked in quickly"
event = "access.visitor_checked_in"
when = ["waited <= 2m", "gate == main"]
points = 2
once = ["visit"]
)",
                      &error);
  INFO(error);
  REQUIRE(config);
  REQUIRE(config->scoring.rules.size() == 1);
  const Rule& r = config->scoring.rules[0];
  CHECK(r.post == "post");     // the event has a `post` field
  CHECK(r.guard == "@actor");  // ... and no `guard` field
  REQUIRE(r.when.size() == 2);
  CHECK(r.when[0].value == FieldValue{int64_t{2 * kMinute}});
}

TEST_CASE("scoring config: a rule naming an unknown event type is an error at the rule",
          "[scoring][config]") {
  const std::string error = ErrorOf(R"([scoring]

[[scoring.rules]]
name = "typo"
event = "patrol.checkpont_missed"
points = -1
)");
  CHECK(error.find("site.toml:4:") == 0);
  CHECK(error.find("scoring.rules[1]") != std::string::npos);
  CHECK(error.find("patrol.checkpont_missed") != std::string::npos);
}

TEST_CASE("scoring config: bad fields, conditions, periods and keys are each reported",
          "[scoring][config]") {
  const std::string error = ErrorOf(R"([scoring]
shifts = ["25:00"]
award_periods = ["fortnight"]
colour = "blue"

[[scoring.rules]]
name = "a"
event = "patrol.checkpoint_missed"
when = ["nonsense"]
points = -1

[[scoring.rules]]
name = "b"
event = "patrol.checkpoint_missed"
points = 5000
)");
  CHECK(error.find("25:00") != std::string::npos);
  CHECK(error.find("fortnight") != std::string::npos);
  CHECK(error.find("colour") != std::string::npos);
  CHECK(error.find("nonsense") != std::string::npos);
  CHECK(error.find("scoring.rules[2].points") != std::string::npos);
}

TEST_CASE("scoring config: a condition on a field the event does not have is refused",
          "[scoring][config]") {
  const std::string error = ErrorOf(R"([scoring]
[[scoring.rules]]
name = "x"
event = "patrol.checkpoint_missed"
when = ["onTime == true"]
points = 1
)");
  CHECK(error.find("onTime") != std::string::npos);
  CHECK(error.find("scoring.rules[1]") != std::string::npos);
}

TEST_CASE("scoring config: the example site file is valid", "[scoring][config]") {
  std::string error;
  auto root = ParseToml(
      [] {
        std::FILE* f = std::fopen(PICKET_EXAMPLE_SITE, "rb");
        REQUIRE(f);
        std::string text;
        char buf[4096];
        for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) text.append(buf, n);
        std::fclose(f);
        return text;
      }(),
      PICKET_EXAMPLE_SITE, &error);
  REQUIRE(root);
  auto config = ReadScoringConfig(*root, PICKET_EXAMPLE_SITE, &error);
  INFO(error);
  REQUIRE(config);
  CHECK_FALSE(KnownPosts(config->scoring).empty());
}

}  // namespace
}  // namespace picket::scoring
