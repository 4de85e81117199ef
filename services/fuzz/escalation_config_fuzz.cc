// escalation_config: the text of a site.toml as picket-escalation reads its [escalation]
// section (escalation/escalation_config_toml.h, ParseEscalationConfig: toml++, then the
// policies, incident types, rules, procedures, roster and squads with their cross checks).
// Invariants: an accepted config keeps the promises of its checks (every policy has
// levels, each with targets and a positive wait, a fallback naming a person, repeat_from
// within the levels; incident types name defined policies and rules defined types;
// procedure step ids are unique and non-empty; each target prints and parses back to
// itself); a refusal says why.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>

#include "escalation/escalation_config_toml.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace picket;
  std::string error;
  auto text = fuzz::Bytes(data, size);
  auto config = escalation::ParseEscalationConfig(text, "/nonexistent/fuzz/site.toml", &error);
  if (!config) {
    fuzz::Require(!error.empty(), "a refused config has a message");
    return 0;
  }
  using escalation::TargetKind;
  auto round_trips = [](const escalation::Target& t) {
    std::string why;
    auto again = escalation::ParseTarget(escalation::FormatTarget(t), &why);
    return again.has_value() && *again == t;
  };
  for (const auto& [name, policy] : config->policies) {
    fuzz::Require(!policy.levels.empty(), "a policy has levels");
    for (const auto& level : policy.levels) {
      fuzz::Require(!level.targets.empty() && level.wait > 0, "a level has targets and a wait");
      for (const auto& t : level.targets) fuzz::Require(round_trips(t), "a target round-trips");
    }
    fuzz::Require(policy.repeat_from < policy.levels.size(), "repeat_from within the levels");
    bool person = false;
    for (const auto& t : policy.fallback) {
      person = person || t.kind == TargetKind::kPerson;
      fuzz::Require(round_trips(t), "a fallback target round-trips");
    }
    fuzz::Require(person && policy.fallback_wait > 0, "a fallback names a person, with a wait");
  }
  for (const auto& [name, type] : config->incident_types) {
    fuzz::Require(config->FindPolicy(type.policy) != nullptr, "a type's policy is defined");
    std::set<std::string> ids;
    for (const auto& step : type.procedure)
      fuzz::Require(!step.id.empty() && ids.insert(step.id).second, "step ids unique, non-empty");
  }
  for (const auto& rule : config->rules)
    fuzz::Require(config->FindType(rule.incident_type) != nullptr, "a rule's type is defined");
  return 0;
}
