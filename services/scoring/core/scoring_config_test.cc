// Conditions (grammar, Holds), the default rules and ValidateScoringConfig: each problem
// it names, and the defaults it fills in.
#include "scoring/core/scoring_config.h"

#include <algorithm>
#include <catch2/catch.hpp>

#include "scoring/core/scoring_test_support.h"

namespace picket::scoring {
namespace {

using namespace testing;

Condition Parsed(std::string_view text) {
  std::string why;
  auto c = ParseCondition(text, &why);
  INFO(text << ": " << why);
  REQUIRE(c);
  return *c;
}

// The sentence ParseCondition gives for `text` (REQUIREd to refuse it).
std::string Refused(std::string_view text) {
  std::string why;
  auto c = ParseCondition(text, &why);
  INFO(text);
  REQUIRE_FALSE(c);
  REQUIRE_FALSE(why.empty());
  return why;
}

ScoringConfig Base() {
  ScoringConfig c;
  c.time_zone = kBerlin;
  c.squads = {{"north", {"gate-1", "gate-2"}}};
  c.posts = {"yard"};
  return c;
}

Rule Custom(std::string name = "late_scan", std::string event = "patrol.checkpoint_accepted") {
  Rule r;
  r.name = std::move(name);
  r.label = "Checkpoint {checkpoint} late";
  r.event = std::move(event);
  r.points = -1;
  return r;
}

ScoringConfig WithRules(std::vector<Rule> rules) {
  ScoringConfig c = Base();
  c.rules = std::move(rules);
  return c;
}

std::vector<std::string> Problems(ScoringConfig c) {
  return ValidateScoringConfig(c, TestCatalog());
}

// True if one sentence holds every piece.
bool Says(const std::vector<std::string>& problems, std::vector<std::string> pieces) {
  return std::any_of(problems.begin(), problems.end(), [&](const std::string& s) {
    return std::all_of(pieces.begin(), pieces.end(),
                       [&](const std::string& p) { return s.find(p) != std::string::npos; });
  });
}

// The only problem of a config with these rules says all of `pieces`.
void ExpectOnly(std::vector<Rule> rules, std::vector<std::string> pieces) {
  auto problems = Problems(WithRules(std::move(rules)));
  INFO((problems.empty() ? "no problem" : problems[0]));
  CHECK(problems.size() == 1);
  CHECK(Says(problems, pieces));
}

Fact WithFields(Fields fields) {
  Fact f;
  f.type = "x.y";
  f.fields = std::move(fields);
  return f;
}

const Rule& Named(const ScoringConfig& c, std::string_view name) {
  auto it =
      std::find_if(c.rules.begin(), c.rules.end(), [&](const Rule& r) { return r.name == name; });
  REQUIRE(it != c.rules.end());
  return *it;
}

}  // namespace

TEST_CASE("conditions: each operator and kind of value parses", "[scoring][config]") {
  CHECK(Parsed("onTime == true") == Condition{"onTime", Op::kEq, true});
  CHECK(Parsed("endedEarly!=false") == Condition{"endedEarly", Op::kNe, false});
  CHECK(Parsed("missed == 0") == Condition{"missed", Op::kEq, int64_t{0}});
  CHECK(Parsed("  level < -2 ") == Condition{"level", Op::kLt, int64_t{-2}});
  CHECK(Parsed("number <= +3") == Condition{"number", Op::kLe, int64_t{3}});
  CHECK(Parsed("lateness > 30s") == Condition{"lateness", Op::kGt, 30 * kSecond});
  CHECK(Parsed("responseTime >= 5m") == Condition{"responseTime", Op::kGe, 5 * kMinute});
  CHECK(Parsed("total < 2h") == Condition{"total", Op::kLt, 2 * kHour});
  CHECK(Parsed("stayed > 1d") == Condition{"stayed", Op::kGt, kDay});
  CHECK(Parsed("reason == out_of_sequence") ==
        Condition{"reason", Op::kEq, std::string("out_of_sequence")});
  CHECK(Parsed("gate == gate-1.a:b") == Condition{"gate", Op::kEq, std::string("gate-1.a:b")});
  CHECK(Parsed("note == \"on the \\\"phone\\\" \\\\ again\"") ==
        Condition{"note", Op::kEq, std::string("on the \"phone\" \\ again")});
  CHECK(Parsed("was == \"true\"") == Condition{"was", Op::kEq, std::string("true")});
  CHECK(Parsed("was != \"\"") == Condition{"was", Op::kNe, std::string()});
}

TEST_CASE("conditions: text off the grammar is refused with a sentence", "[scoring][config]") {
  Refused("");
  Refused("   ");
  Refused("onTime");
  Refused("onTime ==");
  Refused("== true");
  Refused("9lives == 1");
  Refused("onTime = true");
  Refused("onTime === true");
  Refused("note == \"open");
  Refused("note == \"a\" b");
  Refused("note == two words");
  Refused("note == a,b");
  CHECK(Refused("missed == 99999999999999999999").find("out of range") != std::string::npos);
  CHECK(Refused("stayed > 999999999999999d").find("out of range") != std::string::npos);
}

TEST_CASE("conditions: Holds compares the fact's field of the same kind", "[scoring][config]") {
  const Fact f = WithFields({{"n", int64_t{5}}, {"b", true}, {"t", std::string("in")}});
  auto holds = [&](std::string_view text) { return Holds(Parsed(text), f); };
  CHECK(holds("n == 5"));
  CHECK_FALSE(holds("n == 6"));
  CHECK(holds("n != 6"));
  CHECK_FALSE(holds("n != 5"));
  CHECK(holds("n < 6"));
  CHECK_FALSE(holds("n < 5"));
  CHECK(holds("n <= 5"));
  CHECK_FALSE(holds("n <= 4"));
  CHECK(holds("n > 4"));
  CHECK_FALSE(holds("n > 5"));
  CHECK(holds("n >= 5"));
  CHECK_FALSE(holds("n >= 6"));
  CHECK(holds("b == true"));
  CHECK_FALSE(holds("b == false"));
  CHECK(holds("b != false"));
  CHECK(holds("t == in"));
  CHECK(holds("t == \"in\""));
  CHECK_FALSE(holds("t == out"));
  CHECK(holds("t != out"));
  // A missing field, or one of another kind, never holds.
  CHECK_FALSE(holds("missing == 5"));
  CHECK_FALSE(holds("missing != 5"));
  CHECK_FALSE(holds("n == true"));
  CHECK_FALSE(holds("n != \"5\""));
  CHECK_FALSE(holds("t != 1"));
  // Durations are µs: 61 s is over a minute.
  const Fact ack = WithFields({{"responseTime", 61 * kSecond}});
  CHECK(Holds(Parsed("responseTime > 1m"), ack));
  CHECK_FALSE(Holds(Parsed("responseTime <= 60s"), ack));
}

TEST_CASE("config: the defaults are filled in", "[scoring][config]") {
  ScoringConfig c = Base();
  REQUIRE(Problems(c).empty());
  CHECK(ValidateScoringConfig(c, TestCatalog()).empty());
  CHECK(c.categories == std::vector<std::string>{"uniform", "badge", "phrases", "procedure",
                                                 "phone", "reading", "chatting", "tidy"});
  std::vector<std::string> names;
  for (const Rule& r : c.rules) names.push_back(r.name);
  CHECK(names == std::vector<std::string>{
                     "round_completed", "checkpoint_on_time", "checkpoint_late_scan_on_time",
                     "checkpoint_missed", "missed_withdrawn", "missed_excused", "round_not_started",
                     "round_cancelled", "visitor_checked_out", "unregistered_entry", "overstay",
                     "fast_acknowledgement", "late_acknowledgement", "inspection_passed",
                     "inspection_fault", "commendation"});
  // guard: the event's `guard` field, else the actor; post: its `post` field, else none.
  CHECK(Named(c, "checkpoint_missed").guard == "guard");
  CHECK(Named(c, "checkpoint_missed").post == "post");
  CHECK(Named(c, "visitor_checked_out").guard == "@actor");
  CHECK(Named(c, "visitor_checked_out").post == "post");
  CHECK(Named(c, "fast_acknowledgement").guard == "@actor");
  CHECK(Named(c, "fast_acknowledgement").post == "");
  CHECK(Named(c, "round_cancelled").guard == "@actor");
  CHECK(Named(c, "commendation").guard == "guard");
  // The points and conditions of the documented list.
  CHECK(Named(c, "round_completed").points == 10);
  CHECK(Named(c, "round_completed").when ==
        std::vector<Condition>{{"missed", Op::kEq, int64_t{0}}, {"endedEarly", Op::kEq, false}});
  CHECK(Named(c, "checkpoint_missed").points == -5);
  CHECK(Named(c, "checkpoint_missed").once == std::vector<std::string>{"round", "checkpoint"});
  CHECK(Named(c, "missed_withdrawn").reverses == "checkpoint_missed");
  CHECK(Named(c, "missed_withdrawn").match == std::vector<std::string>{"round", "checkpoint"});
  CHECK(Named(c, "round_cancelled").reverses == "round_not_started");
  CHECK(Named(c, "fast_acknowledgement").when ==
        std::vector<Condition>{{"responseTime", Op::kLe, 60 * kSecond}});
  CHECK(Named(c, "late_acknowledgement").when ==
        std::vector<Condition>{{"responseTime", Op::kGt, 5 * kMinute}});
  CHECK(Named(c, "overstay").when == std::vector<Condition>{{"number", Op::kEq, int64_t{1}}});
  CHECK(Named(c, "commendation").points == 5);
  CHECK(DefaultRules().size() == 16);
}

TEST_CASE("config: points override default rules by name", "[scoring][config]") {
  ScoringConfig c = Base();
  c.points = {{"checkpoint_missed", -10}, {"commendation", 7}};
  REQUIRE(ValidateScoringConfig(c, TestCatalog()).empty());
  CHECK(Named(c, "checkpoint_missed").points == -10);
  CHECK(Named(c, "commendation").points == 7);
  CHECK(Named(c, "round_completed").points == 10);

  ScoringConfig unknown = Base();
  unknown.points = {{"no_such_rule", 3}};
  CHECK(Says(Problems(unknown), {"points", "no_such_rule"}));
  ScoringConfig zero = Base();
  zero.points = {{"checkpoint_missed", 0}};
  CHECK(Says(Problems(zero), {"rule checkpoint_missed", "0"}));
  ScoringConfig big = Base();
  big.points = {{"checkpoint_missed", -1001}};
  CHECK(Says(Problems(big), {"rule checkpoint_missed", "-1000 and 1000"}));
}

TEST_CASE("config: own rules replace the defaults, and default_rules false means none",
          "[scoring][config]") {
  ScoringConfig own = WithRules({Custom()});
  REQUIRE(ValidateScoringConfig(own, TestCatalog()).empty());
  REQUIRE(own.rules.size() == 1);
  CHECK(own.rules[0].guard == "guard");
  CHECK(own.rules[0].post == "post");
  ScoringConfig none = Base();
  none.default_rules = false;
  REQUIRE(ValidateScoringConfig(none, TestCatalog()).empty());
  CHECK(none.rules.empty());
  // Explicit subjects stay as given, "" included.
  Rule r = Custom();
  r.guard = "";
  r.post = "";
  ScoringConfig explicit_none = WithRules({r});
  REQUIRE(ValidateScoringConfig(explicit_none, TestCatalog()).empty());
  CHECK(explicit_none.rules[0].guard == "");
  CHECK(explicit_none.rules[0].post == "");
}

TEST_CASE("config: a valid rule with conditions, once, label fields and a reversal",
          "[scoring][config]") {
  Rule late = Custom();
  late.when = {Parsed("onTime == false"), Parsed("leg > 10m"), Parsed("route == north")};
  late.once = {"round", "checkpoint"};
  late.label = "Late at {checkpoint} of round {round} ({onTime})";
  Rule back = Custom("late_excused", "patrol.checkpoint_excused");
  back.points = 0;
  back.reverses = "late_scan";
  back.match = {"round", "checkpoint"};
  CHECK(Problems(WithRules({late, back})).empty());
}

TEST_CASE("config: each problem of a rule is a sentence naming it", "[scoring][config]") {
  Rule r = Custom();
  SECTION("unknown event type") {
    r.event = "patrol.no_such";
    ExpectOnly({r}, {"rule late_scan", "unknown event type", "patrol.no_such"});
  }
  SECTION("unknown field in when") {
    r.when = {Parsed("speed > 3")};
    ExpectOnly({r}, {"rule late_scan", "when", "speed"});
  }
  SECTION("wrong kind in when") {
    r.when = {Parsed("onTime == 1")};
    ExpectOnly({r}, {"rule late_scan", "when", "onTime is a bool field, not integer"});
  }
  SECTION("order on a bool field") {
    r.when = {Parsed("onTime < true")};
    ExpectOnly({r}, {"rule late_scan", "== and != only"});
  }
  SECTION("order on a text field") {
    r.when = {Parsed("checkpoint >= c1")};
    ExpectOnly({r}, {"rule late_scan", "== and != only"});
  }
  SECTION("unknown field in once") {
    r.once = {"round", "visit"};
    ExpectOnly({r}, {"rule late_scan", "once", "visit"});
  }
  SECTION("guard naming no field") {
    r.guard = "person";
    ExpectOnly({r}, {"rule late_scan", "guard", "person"});
  }
  SECTION("guard naming a field that is not text") {
    r.guard = "round";
    ExpectOnly({r}, {"rule late_scan", "guard", "round is a integer field, not text"});
  }
  SECTION("post naming no field, or the actor") {
    r.post = "@actor";
    ExpectOnly({r}, {"rule late_scan", "post", "@actor"});
  }
  SECTION("post naming a bool") {
    r.post = "onTime";
    ExpectOnly({r}, {"rule late_scan", "post", "onTime"});
  }
  SECTION("label field the event lacks") {
    r.label = "Late at {gate}";
    ExpectOnly({r}, {"rule late_scan", "label", "gate"});
  }
  SECTION("label with an unclosed brace") {
    r.label = "Late at {checkpoint";
    ExpectOnly({r}, {"rule late_scan", "label", "not closed"});
  }
  SECTION("label with an empty brace") {
    r.label = "Late {}";
    ExpectOnly({r}, {"rule late_scan", "label", "empty"});
  }
  SECTION("points 0") {
    r.points = 0;
    ExpectOnly({r}, {"rule late_scan", "points", "0"});
  }
  SECTION("points out of range") {
    r.points = 1001;
    ExpectOnly({r}, {"rule late_scan", "points", "-1000 and 1000"});
  }
  SECTION("a bad name") {
    r.name = "Late-Scan";
    ExpectOnly({r}, {"rule Late-Scan", "[a-z0-9_]"});
  }
  SECTION("a name too long") {
    r.name = std::string(65, 'a');
    ExpectOnly({r}, {"rule " + r.name, "1 to 64"});
  }
  SECTION("a duplicate name") {
    ExpectOnly({r, r}, {"rule late_scan", "a second rule of that name"});
  }
  SECTION("a rule on the ledger's own events") {
    r.event = "scoring.points_awarded";
    r.label = "";
    ExpectOnly({r}, {"rule late_scan", "scoring.points_awarded cannot be scored"});
  }
  SECTION("match without reverses") {
    r.match = {"round"};
    ExpectOnly({r}, {"rule late_scan", "match"});
  }
}

TEST_CASE("config: each problem of a reversal is a sentence naming it", "[scoring][config]") {
  Rule target = Custom();
  Rule back = Custom("late_excused", "patrol.checkpoint_excused");
  back.points = 0;
  back.reverses = "late_scan";
  back.match = {"round", "checkpoint"};
  SECTION("reverses an unknown rule") {
    back.reverses = "nothing";
    ExpectOnly({target, back}, {"rule late_excused", "nothing", "no other rule"});
  }
  SECTION("reverses itself") {
    back.reverses = "late_excused";
    ExpectOnly({target, back}, {"rule late_excused", "no other rule"});
  }
  SECTION("the reversed rule's event lacks a match field") {
    back.match = {"round", "reason"};
    ExpectOnly({target, back},
               {"rule late_excused", "patrol.checkpoint_accepted has no match field 'reason'"});
  }
  SECTION("the match field is of another kind there") {
    // onTime: a count in round_completed, a bool in checkpoint_accepted.
    Rule completed_back = Custom("completed_back", "patrol.round_completed");
    completed_back.label = "";
    completed_back.points = 0;
    completed_back.reverses = "late_scan";
    completed_back.match = {"onTime"};
    ExpectOnly({target, completed_back},
               {"rule completed_back", "onTime", "integer here but bool"});
  }
  SECTION("a reversal with points") {
    back.points = 2;
    ExpectOnly({target, back}, {"rule late_excused", "gives no points"});
  }
  SECTION("a reversal without match fields") {
    back.match = {};
    ExpectOnly({target, back}, {"rule late_excused", "match"});
  }
  SECTION("a reversal of a reversal") {
    Rule again = back;
    again.name = "again";
    again.reverses = "late_excused";
    ExpectOnly({target, back, again}, {"rule again", "reverses too"});
  }
  SECTION("two reversals of one rule on different fields") {
    Rule other = back;
    other.name = "other";
    other.match = {"round"};
    ExpectOnly({target, back, other}, {"rule other", "same fields as rule late_excused"});
  }
}

TEST_CASE("config: problems of the site keys", "[scoring][config]") {
  SECTION("a post in two squads") {
    ScoringConfig c = Base();
    c.squads["south"] = {"gate-3", "gate-2"};
    auto p = Problems(c);
    CHECK(p.size() == 1);
    CHECK(Says(p, {"gate-2", "north", "south"}));
  }
  SECTION("a shift time out of range") {
    ScoringConfig c = Base();
    c.shift_starts = {360, 1440};
    auto p = Problems(c);
    CHECK(p.size() == 1);
    CHECK(Says(p, {"shifts", "1440"}));
    c.shift_starts = {-1};
    CHECK(Says(Problems(c), {"shifts", "-1"}));
  }
  SECTION("shift times unsorted or repeated") {
    ScoringConfig c = Base();
    c.shift_starts = {840, 360};
    CHECK(Says(Problems(c), {"shifts", "ascending"}));
    c.shift_starts = {360, 360};
    CHECK(Says(Problems(c), {"shifts", "ascending"}));
  }
  SECTION("a bad time zone") {
    ScoringConfig c = Base();
    c.time_zone = "Europe/Berlin";
    auto p = Problems(c);
    CHECK(p.size() == 1);
    CHECK(Says(p, {"time_zone"}));
  }
  SECTION("award_delay outside 0..1 day") {
    ScoringConfig c = Base();
    c.award_delay = -1;
    CHECK(Says(Problems(c), {"award_delay"}));
    c.award_delay = kDay + 1;
    CHECK(Says(Problems(c), {"award_delay"}));
    c.award_delay = kDay;
    CHECK(Problems(c).empty());
    c.award_delay = 0;
    CHECK(Problems(c).empty());
  }
  SECTION("more than kMaxRules rules") {
    std::vector<Rule> rules;
    for (size_t i = 0; i <= kMaxRules; ++i) rules.push_back(Custom("r" + std::to_string(i)));
    auto p = Problems(WithRules(rules));
    CHECK(p.size() == 1);
    CHECK(Says(p, {"rules", "256"}));
    rules.pop_back();
    CHECK(Problems(WithRules(rules)).empty());
  }
  SECTION("every problem at once, each its own sentence") {
    ScoringConfig c = Base();
    c.time_zone = "nowhere";
    c.shift_starts = {2000};
    c.award_delay = -5;
    c.points = {{"nope", 1}};
    CHECK(Problems(c).size() == 4);
  }
}

TEST_CASE("config: known posts and their squads", "[scoring][config]") {
  ScoringConfig c = TestConfig();
  CHECK(KnownPosts(c) == std::set<std::string>{"gate-1", "gate-2", "yard"});
  CHECK(SquadOf(c, "gate-1") == "north");
  CHECK(SquadOf(c, "gate-2") == "north");
  CHECK(SquadOf(c, "yard") == "");
  CHECK(SquadOf(c, "gate-9") == "");
  CHECK(SquadOf(c, "") == "");
}

}  // namespace picket::scoring
