#include "access/core/access_config.h"

#include <algorithm>
#include <set>

namespace picket::access {

const GateConfig* AccessConfig::FindGate(std::string_view id) const {
  for (const auto& g : gates)
    if (g.id == id) return &g;
  return nullptr;
}

const PassKindRules& AccessConfig::RulesFor(PassKind kind) const {
  static const PassKindRules kNone{};  // a constant, never modified
  auto it = kinds.find(kind);
  return it == kinds.end() ? kNone : it->second;
}

bool AccessConfig::IsOfficer(std::string_view person) const {
  return !person.empty() && std::find(officers.begin(), officers.end(), person) != officers.end();
}

std::string AccessConfig::PostOf(std::string_view gate) const {
  const GateConfig* g = FindGate(gate);
  return g && !g->post.empty() ? g->post : std::string(gate);
}

std::vector<std::string> ValidateAccessConfig(AccessConfig* c) {
  std::vector<std::string> errors;
  std::string why;
  if (auto zone = TimeZoneRule::Parse(c->time_zone, &why))
    c->zone = *zone;
  else
    errors.push_back("time_zone: " + why);
  std::set<std::string, std::less<>> ids;
  for (size_t i = 0; i < c->gates.size(); ++i) {
    const auto& g = c->gates[i];
    const std::string where = "gates[" + std::to_string(i) + "]";
    if (!IsValidId(g.id)) errors.push_back(where + ": id '" + g.id + "' is not a valid id");
    if (!ids.insert(g.id).second) errors.push_back(where + ": duplicate id '" + g.id + "'");
    if (!g.post.empty() && !IsValidId(g.post))
      errors.push_back(where + ": post '" + g.post + "' is not a valid id");
  }
  for (PassKind kind : {PassKind::kVisitor, PassKind::kContractor, PassKind::kStaff}) {
    const std::string where = "kinds." + std::string(PassKindName(kind));
    auto it = c->kinds.find(kind);
    if (it == c->kinds.end()) {
      errors.push_back(where + ": missing");
      continue;
    }
    if (it->second.max_validity <= 0) errors.push_back(where + ": max_validity must be > 0");
    for (const auto& g : it->second.default_gates)
      if (!ids.count(g)) errors.push_back(where + ": default gate '" + g + "' is not a gate");
  }
  if (c->overstay_grace < 0) errors.push_back("overstay_grace: must be >= 0");
  if (c->overstay_repeat < 0 ||
      (c->overstay_repeat > 0 && c->overstay_repeat < 60 * kMicrosPerSecond))
    errors.push_back("overstay_repeat: must be 0 (once only) or at least 1 minute");
  for (const auto& o : c->officers)
    if (!IsValidId(o)) errors.push_back("officers: '" + o + "' is not a valid id");
  return errors;
}

}  // namespace picket::access
