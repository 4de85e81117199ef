#include "escalation/escalation_config_toml.h"

#include <algorithm>
#include <functional>
#include <set>

#include "escalation/core/trigger_catalog.h"
#include "runtime/config.h"
#include "runtime/config_sections.h"

namespace picket::escalation {
namespace {

constexpr Micros kSecond = kMicrosPerSecond;
constexpr Micros kDay = 86400 * kSecond;
constexpr Micros kMaxWait = 7 * kDay;

bool IsStepIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

const toml::table* SubTable(const toml::table* t, const std::string& key) {
  if (!t) return nullptr;
  const toml::node* n = t->get(key);
  return n ? n->as_table() : nullptr;
}

// Reads one `[escalation]` section. Element tables of arrays get their own ConfigReader
// (ConfigReader has no array-of-tables reader); their errors are gathered in extra_.
class SectionParser {
 public:
  SectionParser(const toml::table& root, std::string source)
      : root_(root), source_(std::move(source)) {}

  std::optional<EscalationConfig> Run(std::string* error) {
    ConfigReader top(root_, source_, "");
    ConfigReader esc = top.Table("escalation");
    const toml::table* esc_table = SubTable(&root_, "escalation");
    RejectUnknown(esc, {"commands", "http", "reply_wait", "ack_timeout", "roster", "policies",
                        "incident_types", "rules"});
    ReadServiceEndpoints(esc, &config_.commands, &config_.http);
    config_.reply_wait = esc.Duration("reply_wait", config_.reply_wait, 0, 30 * kSecond);
    default_ack_timeout_ = esc.Duration("ack_timeout", 10 * 60 * kSecond, kSecond, kMaxWait);
    ReadRoster(esc.Table("roster"));
    ReadPolicies(esc.Table("policies"), SubTable(esc_table, "policies"));
    ReadTypes(esc.Table("incident_types"), SubTable(esc_table, "incident_types"));
    if (esc_table)
      ForEachElement(esc, *esc_table, "rules", "escalation.rules",
                     [&](ConfigReader& r, const toml::table&) { ReadRule(r); });
    std::vector<std::string> errors = top.Errors();
    errors.insert(errors.end(), extra_.begin(), extra_.end());
    if (NoErrorsInFileOrder(std::move(errors), source_, error)) return std::move(config_);
    return std::nullopt;
  }

 private:
  // Each table of the array `key` of `t` (ForEachTable).
  void ForEachElement(ConfigReader& parent, const toml::table& t, const std::string& key,
                      const std::string& path,
                      const std::function<void(ConfigReader&, const toml::table&)>& fn) {
    ForEachTable(parent, t, key, path, source_, &extra_,
                 [&](ConfigReader& r, const toml::table& element, size_t) { fn(r, element); });
  }

  // A wait: whole seconds as an integer, or a duration string; positive, at most 7 days.
  Micros ReadWait(ConfigReader& r, const toml::table& t, const std::string& key, Micros fallback,
                  bool required) {
    const toml::node* n = t.get(key);
    if (!n) {
      if (required) r.Fail(key, "is required");
      return fallback;
    }
    std::string shown;
    std::optional<Micros> v;  // nullopt: malformed
    if (n->is_integer()) {
      int64_t secs = *n->value<int64_t>();
      shown = std::to_string(secs);
      v = secs > kMaxWait / kSecond ? kMaxWait + 1 : secs * kSecond;
    } else if (n->is_string()) {
      std::string text = *n->value<std::string>();
      shown = "'" + text + "'";
      v = !text.empty() && text[0] == '-' ? std::optional<Micros>(-1) : ParseDurationMicros(text);
    } else {
      r.Fail(key, "must be whole seconds (30) or a duration string (\"30s\", \"2m\")");
      return fallback;
    }
    if (!v) {
      r.Fail(key, shown + " is not a wait (whole seconds, or a duration like \"30s\")");
      return fallback;
    }
    if (*v <= 0) {
      r.Fail(key, "must be a positive wait, got " + shown);
      return fallback;
    }
    if (*v > kMaxWait) {
      r.Fail(key, "must be at most 7 days, got " + shown);
      return fallback;
    }
    return *v;
  }

  // `example`: a value that is valid there, for the message when the key is missing.
  std::vector<Target> ReadTargets(ConfigReader& r, const std::string& key, bool required,
                                  std::string_view example) {
    std::vector<Target> out;
    if (!r.Has(key)) {
      if (required) r.Fail(key, "is required (e.g. " + std::string(example) + ")");
      return out;
    }
    const size_t errors_before = r.Errors().size();
    std::vector<std::string> texts = r.StringList(key);
    // An empty list that is not also a type error (already reported) names nobody.
    if (texts.empty() && r.Errors().size() == errors_before)
      r.Fail(key, "must name at least one target");
    for (const auto& text : texts) {
      std::string error;
      if (auto t = ParseTarget(text, &error))
        out.push_back(*t);
      else
        r.Fail(key, error);
    }
    return out;
  }

  void ReadRoster(ConfigReader r) {
    RejectUnknown(r, {"leader_role", "squads", "people"});
    RosterConfig& roster = config_.roster;
    roster.leader_role = r.String("leader_role", roster.leader_role);
    if (roster.leader_role.empty()) r.Fail("leader_role", "must not be empty");
    ConfigReader squads = r.Table("squads");
    for (const auto& squad : squads.Keys())
      for (const auto& post : squads.StringList(squad)) {
        auto [it, inserted] = roster.squad_of_post.emplace(post, squad);
        if (!inserted && it->second != squad)
          squads.Fail(squad, "post '" + post + "' is already in squad '" + it->second + "'");
      }
    ConfigReader people = r.Table("people");
    for (const auto& person : people.Keys())
      roster.standing_roles[person] = people.StringList(person);
  }

  void ReadPolicies(ConfigReader r, const toml::table* t) {
    for (const auto& name : r.Keys()) {
      ConfigReader p = r.Table(name);
      const toml::table* pt = SubTable(t, name);
      if (pt) ReadPolicy(name, p, *pt);
    }
  }

  void ReadPolicy(const std::string& name, ConfigReader& r, const toml::table& t) {
    RejectUnknown(r, {"levels", "repeat", "repeat_from", "fallback", "fallback_wait"});
    EscalationPolicy policy;
    policy.name = name;
    std::string path = "escalation.policies." + name + ".levels";
    ForEachElement(r, t, "levels", path, [&](ConfigReader& lr, const toml::table& lt) {
      RejectUnknown(lr, {"targets", "wait"});
      EscalationLevel level;
      level.targets = ReadTargets(lr, "targets", true, R"(["role:duty_officer"])");
      level.wait = ReadWait(lr, lt, "wait", kSecond, true);
      policy.levels.push_back(std::move(level));
    });
    if (policy.levels.empty() && !t.get("levels"))
      r.Fail("levels", "a policy needs at least one level ([[" + path + "]])");
    else if (policy.levels.empty())
      r.Fail("levels", "a policy needs at least one level");
    policy.repeat = static_cast<int>(r.Int("repeat", 0, 0, 100));
    int64_t from = r.Int("repeat_from", 1, 1, 1000);
    if (!policy.levels.empty() && from > static_cast<int64_t>(policy.levels.size()))
      r.Fail("repeat_from", "level " + std::to_string(from) + " does not exist (the policy has " +
                                std::to_string(policy.levels.size()) + ")");
    policy.repeat_from = static_cast<size_t>(from - 1);
    // A fallback must name a person (the policy check says why): the example does too.
    policy.fallback = ReadTargets(r, "fallback", true, R"(["person:chief"])");
    bool has_person = false;
    for (const auto& f : policy.fallback) has_person = has_person || f.kind == TargetKind::kPerson;
    if (!policy.fallback.empty() && !has_person)
      r.Fail("fallback",
             "must include a person:<id> (a role can have nobody on duty, and the "
             "end of the chain must never be silent)");
    Micros last_wait = policy.levels.empty() ? 60 * kSecond : policy.levels.back().wait;
    policy.fallback_wait = ReadWait(r, t, "fallback_wait", last_wait, false);
    config_.policies.emplace(name, std::move(policy));
  }

  void ReadTypes(ConfigReader r, const toml::table* t);
  void ReadType(const std::string& name, ConfigReader& r, const toml::table& t);
  void ReadRule(ConfigReader& r);

  const toml::table& root_;
  std::string source_;
  std::vector<std::string> extra_;
  EscalationConfig config_;
  Micros default_ack_timeout_ = 0;
};

void SectionParser::ReadTypes(ConfigReader r, const toml::table* t) {
  for (const auto& name : r.Keys()) {
    ConfigReader tr = r.Table(name);
    if (const toml::table* tt = SubTable(t, name)) ReadType(name, tr, *tt);
  }
}

void SectionParser::ReadType(const std::string& name, ConfigReader& r, const toml::table& t) {
  RejectUnknown(r, {"severity", "key", "grouping_window", "reopen_window", "ack_timeout",
                    "cancel_window", "policy", "steps"});
  IncidentType type;
  type.name = name;
  std::string severity = r.RequiredString("severity");
  if (auto s = ParseSeverity(severity))
    type.severity = *s;
  else if (!severity.empty())
    r.Fail("severity", "'" + severity + "' is not one of low, medium, high, critical");
  std::string error;
  std::string key = r.String("key", "{post}");
  if (auto k = KeyTemplate::Parse(key, &error))
    type.key = std::move(*k);
  else
    r.Fail("key", "bad template '" + key + "': " + error);
  type.grouping_window = r.Duration("grouping_window", 5 * 60 * kSecond, 0, 7 * kDay);
  type.reopen_window = r.Duration("reopen_window", 10 * 60 * kSecond, 0, 30 * kDay);
  type.ack_timeout = r.Duration("ack_timeout", default_ack_timeout_, kSecond, kMaxWait);
  type.cancel_window = r.Duration("cancel_window", 0, 0, 3600 * kSecond);
  type.policy = r.RequiredString("policy");
  if (!type.policy.empty() && !config_.FindPolicy(type.policy)) {
    std::vector<std::string> known;
    for (const auto& [n, p] : config_.policies) known.push_back(n);
    r.Fail("policy", "unknown policy '" + type.policy +
                         "' (defined: " + (known.empty() ? "none" : JoinNames(known)) + ")");
  }
  std::string path = "escalation.incident_types." + name + ".steps";
  ForEachElement(r, t, "steps", path, [&](ConfigReader& sr, const toml::table&) {
    RejectUnknown(sr, {"id", "text", "mandatory", "phrase"});
    ProcedureStep step;
    step.id = sr.RequiredString("id");
    if (!std::all_of(step.id.begin(), step.id.end(), IsStepIdChar))
      sr.Fail("id", "'" + step.id + "' must be made of a-z, 0-9, '_' and '-'");
    else if (!step.id.empty() && type.FindStep(step.id))
      sr.Fail("id", "step '" + step.id + "' is defined twice in this procedure");
    step.text = sr.RequiredString("text");
    step.mandatory = sr.Bool("mandatory", false);
    step.phrase = sr.String("phrase", "");
    type.procedure.push_back(std::move(step));
  });
  config_.incident_types.emplace(name, std::move(type));
}

void SectionParser::ReadRule(ConfigReader& r) {
  RejectUnknown(r, {"event", "match", "incident"});
  TriggerRule rule;
  rule.event_type = r.RequiredString("event");
  const TriggerType* trigger = FindTriggerType(rule.event_type);
  if (!rule.event_type.empty() && !trigger) {
    std::vector<std::string> known;
    for (const auto& t : TriggerTypes()) known.emplace_back(t.type);
    r.Fail("event", "'" + rule.event_type + "' is not an event type escalation can use (" +
                        JoinNames(known) + ")");
  }
  ConfigReader match = r.Table("match");
  for (const auto& field : match.Keys()) {
    rule.match[field] = match.RequiredString(field);
    if (trigger && !TriggerHasField(*trigger, field))
      match.Fail(field, rule.event_type + " events have no field '" + field +
                            "' (fields: " + JoinNames(TriggerFields(*trigger)) + ")");
  }
  rule.incident_type = r.RequiredString("incident");
  const IncidentType* type = config_.FindType(rule.incident_type);
  if (!rule.incident_type.empty() && !type) {
    std::vector<std::string> known;
    for (const auto& [n, t] : config_.incident_types) known.push_back(n);
    r.Fail("incident", "unknown incident type '" + rule.incident_type +
                           "' (defined: " + (known.empty() ? "none" : JoinNames(known)) + ")");
  }
  // The template of the type must be fillable from this trigger's fields.
  if (type && trigger)
    for (const auto& field : type->key.Fields())
      if (!TriggerHasField(*trigger, field))
        r.Fail("incident", "incident type '" + type->name + "' groups by key '" + type->key.source +
                               "', but " + rule.event_type + " events have no field '" + field +
                               "' (fields: " + JoinNames(TriggerFields(*trigger)) + ")");
  config_.rules.push_back(std::move(rule));
}

}  // namespace

std::optional<EscalationConfig> ReadEscalationConfig(const toml::table& root,
                                                     const std::string& source_name,
                                                     std::string* error) {
  return SectionParser(root, source_name).Run(error);
}

std::optional<EscalationConfig> ParseEscalationConfig(std::string_view text,
                                                      const std::string& source_name,
                                                      std::string* error) {
  auto root = ParseToml(text, source_name, error);
  if (!root) return std::nullopt;
  return ReadEscalationConfig(*root, source_name, error);
}

}  // namespace picket::escalation
