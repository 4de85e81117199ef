#include "escalation/core/escalation_config.h"

namespace picket::escalation {

std::optional<Target> ParseTarget(std::string_view text, std::string* error) {
  if (text == "post_leader") return Target{TargetKind::kPostLeader, ""};
  struct Prefix {
    std::string_view prefix;
    TargetKind kind;
  };
  constexpr Prefix kPrefixes[] = {{"person:", TargetKind::kPerson},
                                  {"role:", TargetKind::kRole},
                                  {"all:", TargetKind::kAllWithRole}};
  for (const auto& p : kPrefixes) {
    if (text.substr(0, p.prefix.size()) != p.prefix) continue;
    std::string_view name = text.substr(p.prefix.size());
    if (name.empty()) {
      *error = "'" + std::string(text) + "' names no one after '" + std::string(p.prefix) + "'";
      return std::nullopt;
    }
    return Target{p.kind, std::string(name)};
  }
  *error = "'" + std::string(text) +
           "' is not a target (person:<id>, role:<role>, post_leader or all:<role>)";
  return std::nullopt;
}

std::string FormatTarget(const Target& t) {
  switch (t.kind) {
    case TargetKind::kPerson:
      return "person:" + t.name;
    case TargetKind::kRole:
      return "role:" + t.name;
    case TargetKind::kPostLeader:
      return "post_leader";
    case TargetKind::kAllWithRole:
      return "all:" + t.name;
  }
  return "?";
}

std::optional<Severity> ParseSeverity(std::string_view text) {
  if (text == "low") return Severity::kLow;
  if (text == "medium") return Severity::kMedium;
  if (text == "high") return Severity::kHigh;
  if (text == "critical") return Severity::kCritical;
  return std::nullopt;
}

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kLow:
      return "low";
    case Severity::kMedium:
      return "medium";
    case Severity::kHigh:
      return "high";
    case Severity::kCritical:
      return "critical";
  }
  return "?";
}

std::optional<KeyTemplate> KeyTemplate::Parse(std::string_view text, std::string* error) {
  KeyTemplate t;
  t.source = std::string(text);
  std::string literal;
  auto flush = [&] {
    if (!literal.empty()) t.parts.push_back({false, std::move(literal)});
    literal.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {
      literal.push_back(c);
      ++i;
    } else if (c == '{') {
      size_t end = text.find('}', i + 1);
      if (end == std::string_view::npos) {
        *error = "'{' at offset " + std::to_string(i) + " is not closed";
        return std::nullopt;
      }
      std::string_view name = text.substr(i + 1, end - i - 1);
      if (name.empty() || name.find('{') != std::string_view::npos) {
        *error = "'{' at offset " + std::to_string(i) + " names no field";
        return std::nullopt;
      }
      flush();
      t.parts.push_back({true, std::string(name)});
      i = end;
    } else if (c == '}') {
      *error = "'}' at offset " + std::to_string(i) + " has no '{' (write '}}' for a brace)";
      return std::nullopt;
    } else {
      literal.push_back(c);
    }
  }
  flush();
  return t;
}

std::vector<std::string> KeyTemplate::Fields() const {
  std::vector<std::string> out;
  for (const auto& p : parts) {
    if (!p.is_field) continue;
    bool seen = false;
    for (const auto& f : out) seen = seen || f == p.text;
    if (!seen) out.push_back(p.text);
  }
  return out;
}

std::string KeyTemplate::Render(const std::map<std::string, std::string>& fields) const {
  std::string out;
  for (const auto& p : parts) {
    if (!p.is_field) {
      out += p.text;
    } else if (auto it = fields.find(p.text); it != fields.end()) {
      out += it->second;
    }
  }
  return out;
}

const ProcedureStep* IncidentType::FindStep(std::string_view id) const {
  for (const auto& s : procedure)
    if (s.id == id) return &s;
  return nullptr;
}

const IncidentType* EscalationConfig::FindType(std::string_view name) const {
  auto it = incident_types.find(name);
  return it == incident_types.end() ? nullptr : &it->second;
}

const EscalationPolicy* EscalationConfig::FindPolicy(std::string_view name) const {
  auto it = policies.find(name);
  return it == policies.end() ? nullptr : &it->second;
}

const TriggerRule* EscalationConfig::Match(std::string_view event_type,
                                           const std::map<std::string, std::string>& fields) const {
  for (const auto& rule : rules) {
    if (rule.event_type != event_type) continue;
    bool all = true;
    for (const auto& [field, value] : rule.match) {
      auto it = fields.find(field);
      all = all && it != fields.end() && it->second == value;
    }
    if (all) return &rule;
  }
  return nullptr;
}

}  // namespace picket::escalation
