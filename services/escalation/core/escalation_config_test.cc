// Reading [escalation] from site.toml: the values of a good config, and one clear error
// (file:line:col: key: message) for each kind of mistake.
#include "escalation/escalation_config_toml.h"

#include <catch2/catch.hpp>

#include "escalation/core/trigger_catalog.h"
#include "escalation/escalation_test_support.h"

namespace picket::escalation {
namespace {

using testing::Sec;

// A minimal valid config; tests append or replace parts of it.
constexpr char kPolicy[] = R"(
[escalation.policies.p]
fallback = ["person:chief"]
[[escalation.policies.p.levels]]
targets = ["role:duty_officer"]
wait = 30
)";

// kPolicy with `extra` lines among the policy's own keys (after line 3).
std::string PolicyWith(const std::string& extra) {
  std::string p = kPolicy;
  p.insert(p.find("[[escalation"), extra + "\n");
  return p;
}

constexpr char kType[] = R"(
[escalation.incident_types.t]
severity = "high"
policy = "p"
)";

constexpr char kRule[] = R"(
[[escalation.rules]]
event = "terminal.incident_reported"
incident = "t"
)";

// The error text for `toml` (which must be refused).
std::string ErrorOf(const std::string& toml) {
  std::string error;
  auto config = ParseEscalationConfig(toml, "site.toml", &error);
  CHECK_FALSE(config.has_value());
  return error;
}

std::string Ok() { return std::string(kPolicy) + kType + kRule; }

}  // namespace

TEST_CASE("The standard config reads into the values it says", "[config]") {
  EscalationConfig c = testing::LoadConfig(testing::kStandardConfig);
  const EscalationPolicy* p = c.FindPolicy("standard");
  REQUIRE(p);
  REQUIRE(p->levels.size() == 2);
  CHECK(p->levels[0].targets ==
        std::vector<Target>{{TargetKind::kPostLeader, ""}, {TargetKind::kRole, "duty_officer"}});
  CHECK(p->levels[0].wait == Sec(30));
  CHECK(p->levels[1].targets == std::vector<Target>{{TargetKind::kAllWithRole, "manager"}});
  CHECK(p->levels[1].wait == Sec(120));
  CHECK(p->repeat == 1);
  CHECK(p->repeat_from == 1);
  CHECK(p->fallback == std::vector<Target>{{TargetKind::kPerson, "chief"}});
  CHECK(p->fallback_wait == Sec(300));
  CHECK(c.FindPolicy("short")->fallback_wait == Sec(45));  // defaults to the last wait

  const IncidentType* t = c.FindType("intrusion");
  REQUIRE(t);
  CHECK(t->severity == Severity::kHigh);
  CHECK(t->key.Fields() == std::vector<std::string>{"post"});
  CHECK(t->grouping_window == Sec(600));
  CHECK(t->reopen_window == Sec(1800));
  CHECK(t->ack_timeout == Sec(900));
  CHECK(t->cancel_window == 0);
  REQUIRE(t->procedure.size() == 3);
  CHECK(t->procedure[0].id == "secure_gate");
  CHECK(t->procedure[0].mandatory);
  CHECK(t->procedure[0].phrase == "Stop. Security. Please stay where you are.");
  CHECK_FALSE(t->procedure[2].mandatory);
  CHECK(c.FindType("panic")->cancel_window == Sec(15));
  CHECK(c.FindType("panic")->ack_timeout == Sec(600));  // the section default
  CHECK(c.FindType("watchlist")->key.Fields() == std::vector<std::string>{"post", "person"});

  REQUIRE(c.rules.size() == 3);
  CHECK(c.rules[2].event_type == "access.denied");
  CHECK(c.rules[2].match == std::map<std::string, std::string>{{"reason", "watchlist"}});
  CHECK(c.roster.squad_of_post.at("gate-2") == "north");
  CHECK(c.roster.standing_roles.at("chief") == std::vector<std::string>{"manager"});
  CHECK(c.Match("access.denied", {{"reason", "expired"}}) == nullptr);
  CHECK(c.Match("access.denied", {{"reason", "watchlist"}}) == &c.rules[2]);
}

TEST_CASE("No [escalation] section is an empty, valid config", "[config]") {
  std::string error;
  auto c = ParseEscalationConfig("[site]\nid = \"x\"\n", "site.toml", &error);
  REQUIRE(c.has_value());
  CHECK(c->rules.empty());
  CHECK(Ok().size() > 0);
  CHECK(ParseEscalationConfig(Ok(), "site.toml", &error).has_value());
}

TEST_CASE("Config error: a policy with no levels", "[config][errors]") {
  CHECK(ErrorOf("[escalation.policies.p]\nfallback = [\"person:chief\"]\n") ==
        "site.toml:1:1: escalation.policies.p.levels: a policy needs at least one level "
        "([[escalation.policies.p.levels]])");
  CHECK(ErrorOf("[escalation.policies.p]\nfallback = [\"person:chief\"]\nlevels = []\n") ==
        "site.toml:3:10: escalation.policies.p.levels: a policy needs at least one level");
}

TEST_CASE("Config error: zero, negative and malformed waits", "[config][errors]") {
  auto with_wait = [](const std::string& wait) {
    std::string policy = kPolicy;
    policy.replace(policy.find("wait = 30"), 9, "wait = " + wait);
    return ErrorOf(policy);
  };
  CHECK(with_wait("0") ==
        "site.toml:6:8: escalation.policies.p.levels[1].wait: must be a positive wait, got 0");
  CHECK(with_wait("-5") ==
        "site.toml:6:8: escalation.policies.p.levels[1].wait: must be a positive wait, got -5");
  CHECK(with_wait("\"-5s\"") ==
        "site.toml:6:8: escalation.policies.p.levels[1].wait: must be "
        "a positive wait, got '-5s'");
  CHECK(with_wait("\"0s\"") ==
        "site.toml:6:8: escalation.policies.p.levels[1].wait: must be "
        "a positive wait, got '0s'");
  CHECK(with_wait("\"soon\"") ==
        "site.toml:6:8: escalation.policies.p.levels[1].wait: 'soon' "
        "is not a wait (whole seconds, or a duration like \"30s\")");
  CHECK(with_wait("999999999") ==
        "site.toml:6:8: escalation.policies.p.levels[1].wait: must be "
        "at most 7 days, got 999999999");
  CHECK(with_wait("1.5") ==
        "site.toml:6:8: escalation.policies.p.levels[1].wait: must be whole "
        "seconds (30) or a duration string (\"30s\", \"2m\")");
  std::string missing = kPolicy;
  missing.replace(missing.find("wait = 30"), 9, "");
  CHECK(ErrorOf(missing) == "site.toml:4:1: escalation.policies.p.levels[1].wait: is required");
  CHECK(ErrorOf(PolicyWith("fallback_wait = \"0s\"")) ==
        "site.toml:4:17: escalation.policies.p.fallback_wait: must be a positive wait, got '0s'");
}

TEST_CASE("Config error: targets and fallback", "[config][errors]") {
  std::string bad_target = kPolicy;
  bad_target.replace(bad_target.find("role:duty_officer"), 17, "boss");
  CHECK(ErrorOf(bad_target) ==
        "site.toml:5:11: escalation.policies.p.levels[1].targets: 'boss' is not a target "
        "(person:<id>, role:<role>, post_leader or all:<role>)");
  std::string empty_name = kPolicy;
  empty_name.replace(empty_name.find("person:chief"), 12, "person:");
  CHECK(ErrorOf(empty_name) ==
        "site.toml:3:12: escalation.policies.p.fallback: 'person:' names "
        "no one after 'person:'");
  std::string role_only = kPolicy;
  role_only.replace(role_only.find("person:chief"), 12, "role:manager");
  CHECK(ErrorOf(role_only).find("escalation.policies.p.fallback: must include a person:<id>") !=
        std::string::npos);
  std::string no_fallback = kPolicy;
  no_fallback.replace(no_fallback.find("fallback = [\"person:chief\"]"), 27, "");
  CHECK(ErrorOf(no_fallback) ==
        "site.toml:2:1: escalation.policies.p.fallback: is required "
        "(e.g. [\"person:chief\"])");
  std::string no_targets = kPolicy;
  no_targets.replace(no_targets.find("[\"role:duty_officer\"]"), 21, "[]");
  CHECK(ErrorOf(no_targets) ==
        "site.toml:5:11: escalation.policies.p.levels[1].targets: must name at least one target");
}

TEST_CASE("Config error: repeat_from outside the levels", "[config][errors]") {
  CHECK(ErrorOf(PolicyWith("repeat = 2\nrepeat_from = 3")) ==
        "site.toml:5:15: escalation.policies.p.repeat_from: level 3 does not exist (the policy "
        "has 1)");
  CHECK(ErrorOf(PolicyWith("repeat = -1")) ==
        "site.toml:4:10: escalation.policies.p.repeat: must be between 0 and 100, got -1");
}

TEST_CASE("Config error: a key template naming a field the trigger does not have",
          "[config][errors]") {
  std::string type = kType;
  type += "key = \"{post}/{person}\"\n";
  CHECK(ErrorOf(std::string(kPolicy) + type + kRule) ==
        "site.toml:15:12: escalation.rules[1].incident: incident type 't' groups by key "
        "'{post}/{person}', but terminal.incident_reported events have no field 'person' "
        "(fields: post, kind, note, actor, producer)");
  std::string unclosed = std::string(kType) + "key = \"{post\"\n";
  CHECK(ErrorOf(std::string(kPolicy) + unclosed) ==
        "site.toml:11:7: escalation.incident_types.t.key: bad template '{post': '{' at offset 0 "
        "is not closed");
  std::string empty = std::string(kType) + "key = \"a{}b\"\n";
  CHECK(ErrorOf(std::string(kPolicy) + empty).find("'{' at offset 1 names no field") !=
        std::string::npos);
  std::string stray = std::string(kType) + "key = \"a}b\"\n";
  CHECK(ErrorOf(std::string(kPolicy) + stray).find("'}' at offset 1 has no '{'") !=
        std::string::npos);
}

TEST_CASE("Config error: rules naming unknown things", "[config][errors]") {
  std::string rule = kRule;
  rule.replace(rule.find("incident = \"t\""), 14, "incident = \"fire\"");
  CHECK(ErrorOf(std::string(kPolicy) + kType + rule) ==
        "site.toml:14:12: escalation.rules[1].incident: unknown incident type 'fire' (defined: t)");
  std::string event = kRule;
  event.replace(event.find("terminal.incident_reported"), 26, "terminal.coffee");
  CHECK(ErrorOf(std::string(kPolicy) + kType + event)
            .find("site.toml:13:9: escalation.rules[1].event: 'terminal.coffee' is not an event "
                  "type escalation can use (terminal.incident_reported, ") == 0);
  std::string match = std::string(kRule) + "match = { colour = \"red\" }\n";
  CHECK(ErrorOf(std::string(kPolicy) + kType + match) ==
        "site.toml:15:20: escalation.rules[1].match.colour: terminal.incident_reported events "
        "have no field 'colour' (fields: post, kind, note, actor, producer)");
  std::string no_incident = kRule;
  no_incident.replace(no_incident.find("incident = \"t\""), 14, "");
  CHECK(ErrorOf(std::string(kPolicy) + kType + no_incident) ==
        "site.toml:12:1: escalation.rules[1].incident: is required");
  CHECK(ErrorOf(std::string(kPolicy) + kType + "[escalation.rules]\nevent = \"x\"\n") ==
        "site.toml:11:1: escalation.rules: must be an array of tables ([[escalation.rules]])");
}

TEST_CASE("Config error: incident types", "[config][errors]") {
  std::string type = kType;
  type.replace(type.find("policy = \"p\""), 12, "policy = \"gold\"");
  CHECK(ErrorOf(std::string(kPolicy) + type) ==
        "site.toml:10:10: escalation.incident_types.t.policy: unknown policy 'gold' (defined: p)");
  std::string severity = kType;
  severity.replace(severity.find("\"high\""), 6, "\"dire\"");
  CHECK(ErrorOf(std::string(kPolicy) + severity) ==
        "site.toml:9:12: escalation.incident_types.t.severity: 'dire' is not one of low, medium, "
        "high, critical");
  CHECK(ErrorOf(std::string(kPolicy) + kType + "ack_timeout = \"0s\"\n")
            .find("escalation.incident_types.t.ack_timeout: '0s' is out of range") !=
        std::string::npos);
  CHECK(ErrorOf(std::string(kPolicy) + kType + "cancel_window = \"2h\"\n")
            .find("escalation.incident_types.t.cancel_window: '2h' is out of range") !=
        std::string::npos);
}

TEST_CASE("Config error: procedure steps", "[config][errors]") {
  std::string steps = std::string(kType) +
                      "[[escalation.incident_types.t.steps]]\nid = \"call\"\ntext = \"Call\"\n"
                      "[[escalation.incident_types.t.steps]]\nid = \"call\"\ntext = \"Again\"\n"
                      "[[escalation.incident_types.t.steps]]\nid = \"Bad Id\"\ntext = \"x\"\n"
                      "[[escalation.incident_types.t.steps]]\nmandatory = \"yes\"\n";
  CHECK(ErrorOf(std::string(kPolicy) + steps) ==
        "site.toml:15:6: escalation.incident_types.t.steps[2].id: step 'call' is defined twice "
        "in this procedure\n"
        "site.toml:18:6: escalation.incident_types.t.steps[3].id: 'Bad Id' must be made of a-z, "
        "0-9, '_' and '-'\n"
        "site.toml:20:1: escalation.incident_types.t.steps[4].id: is required\n"
        "site.toml:20:1: escalation.incident_types.t.steps[4].text: is required\n"
        "site.toml:21:13: escalation.incident_types.t.steps[4].mandatory: must be true or false");
}

TEST_CASE("Config error: unknown keys and roster mistakes", "[config][errors]") {
  CHECK(ErrorOf(Ok() + "[escalation.incident_types.t2]\nseverity = \"low\"\npolicy = \"p\"\n"
                       "grouping_widow = \"5m\"\n") ==
        "site.toml:18:18: escalation.incident_types.t2.grouping_widow: unknown key");
  CHECK(ErrorOf("[escalation]\nack_timout = \"5m\"\n") ==
        "site.toml:2:14: escalation.ack_timout: unknown key");
  CHECK(ErrorOf("[escalation.roster]\nsquads = { a = [\"g1\"], b = [\"g1\"] }\n") ==
        "site.toml:2:28: escalation.roster.squads.b: post 'g1' is already in squad 'a'");
  CHECK(ErrorOf("[escalation.roster]\nleader_role = \"\"\n") ==
        "site.toml:2:15: escalation.roster.leader_role: must not be empty");
}

TEST_CASE("Config: the service's endpoints, with defaults and errors", "[config]") {
  std::string error;
  auto config = ParseEscalationConfig(Ok(), "site.toml", &error);
  REQUIRE(config);
  CHECK(config->commands == "tcp://127.0.0.1:7411");
  CHECK(config->http == "127.0.0.1:7481");
  config = ParseEscalationConfig(
      "[escalation]\ncommands = \"ipc:///run/picket/esc\"\nhttp = \"\"\n", "site.toml", &error);
  REQUIRE(config);
  CHECK(config->commands == "ipc:///run/picket/esc");
  CHECK(config->http.empty());
  CHECK(ErrorOf("[escalation]\ncommands = \"127.0.0.1:7411\"\n") ==
        "site.toml:2:12: escalation.commands: must be a tcp:// or ipc:// endpoint, got "
        "'127.0.0.1:7411'");
  CHECK(ErrorOf("[escalation]\nhttp = \"7481\"\n") ==
        "site.toml:2:8: escalation.http: must be host:port or empty, got '7481'");
}

TEST_CASE("Config: reply_wait, how long a command's reply waits for the bus", "[config]") {
  std::string error;
  auto config = ParseEscalationConfig(Ok(), "site.toml", &error);
  REQUIRE(config);
  CHECK(config->reply_wait == 1500 * kMicrosPerMilli);
  config = ParseEscalationConfig("[escalation]\nreply_wait = \"0\"\n", "site.toml", &error);
  REQUIRE(config);
  CHECK(config->reply_wait == 0);  // replies are sent at once
  CHECK(ErrorOf("[escalation]\nreply_wait = \"1m\"\n") ==
        "site.toml:2:14: escalation.reply_wait: '1m' is out of range (0 ms to 30000 ms)");
}

TEST_CASE("Config errors are all reported, in file order", "[config][errors]") {
  std::string error = ErrorOf(
      "[escalation.policies.p]\nrepeat = -1\n"
      "[escalation.incident_types.t]\nseverity = \"dire\"\npolicy = \"q\"\n");
  CHECK(error ==
        "site.toml:1:1: escalation.policies.p.levels: a policy needs at least one level "
        "([[escalation.policies.p.levels]])\n"
        "site.toml:1:1: escalation.policies.p.fallback: is required (e.g. [\"person:chief\"])\n"
        "site.toml:2:10: escalation.policies.p.repeat: must be between 0 and 100, got -1\n"
        "site.toml:4:12: escalation.incident_types.t.severity: 'dire' is not one of low, medium, "
        "high, critical\n"
        "site.toml:5:10: escalation.incident_types.t.policy: unknown policy 'q' (defined: p)");
}

TEST_CASE("Config: a TOML syntax error is reported with its position", "[config][errors]") {
  CHECK(ErrorOf("[escalation\n").find("site.toml:1:") == 0);
}

TEST_CASE("Targets and templates in their text form", "[config]") {
  std::string error;
  for (const char* text : {"person:ann", "role:duty_officer", "post_leader", "all:manager"})
    CHECK(FormatTarget(*ParseTarget(text, &error)) == text);
  CHECK_FALSE(ParseTarget("all:", &error));
  auto t = KeyTemplate::Parse("{{x}} {post}-{kind}-{post}", &error);
  REQUIRE(t);
  CHECK(t->Fields() == std::vector<std::string>{"post", "kind"});
  CHECK(t->Render({{"post", "g1"}, {"kind", "fire"}}) == "{x} g1-fire-g1");
  CHECK(t->Render({}) == "{x} --");
}

TEST_CASE("Every trigger type can open incidents, keyed by its own fields", "[config]") {
  std::string toml = std::string(kPolicy) + kType;
  for (const auto& t : TriggerTypes()) {
    toml += "[[escalation.rules]]\nevent = \"" + std::string(t.type) + "\"\nincident = \"t\"\n";
    // Each type's full field list is a valid key for a type only it triggers.
    std::string name = "only_" + std::to_string(&t - TriggerTypes().data());
    std::string key;
    for (const auto& f : TriggerFields(t)) key += "{" + f + "}";
    toml += "[[escalation.rules]]\nevent = \"" + std::string(t.type) + "\"\nincident = \"" + name +
            "\"\n";
    toml += "[escalation.incident_types." + name + "]\nseverity = \"low\"\npolicy = \"p\"\n" +
            "key = \"" + key + "\"\n";
  }
  std::string error;
  auto c = ParseEscalationConfig(toml, "site.toml", &error);
  INFO(error);
  REQUIRE(c);
  CHECK(c->rules.size() == 2 * TriggerTypes().size());
  for (const char* type : {"terminal.incident_reported", "terminal.panic_pressed", "access.denied",
                           "access.unregistered_entry", "access.overstay",
                           "patrol.checkpoint_missed", "patrol.round_not_started"})
    CHECK(FindTriggerType(type) != nullptr);
}

}  // namespace picket::escalation
