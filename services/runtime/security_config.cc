#include "runtime/security_config.h"

#include <set>

#include "runtime/curve_keys.h"

namespace picket {
namespace {

constexpr std::string_view kRoleNames[] = {"terminal", "service", "officer", "supervisor", "admin"};

void ReadIdentity(ConfigReader& list, const std::string& name, SecurityConfig* config) {
  ConfigReader r = list.Table(name);
  Identity id;
  id.name = name;
  if (!IsKeyName(name)) list.Fail(name, "is not a key name (1-64 of a-z, 0-9, '_', '.', '-')");
  const std::string role = r.RequiredString("role");
  if (auto parsed = RoleFromName(role)) {
    id.role = *parsed;
  } else if (!role.empty()) {
    r.Fail("role", "must be terminal, service, officer, supervisor or admin, got '" + role + "'");
  }
  id.public_key = r.RequiredString("public");
  if (!id.public_key.empty() && !IsZ85Key(id.public_key))
    r.Fail("public", "must be a CURVE public key: 40 Z85 characters (the .pub file's line)");
  id.post = r.String("post", "");
  id.gates = r.StringList("gates");
  if (id.role == Role::kTerminal) {
    if (id.post.empty())
      r.Fail("role", "a terminal needs `post`, the post it publishes for");
    else if (!IsPostName(id.post))
      r.Fail("post", "is not a post name");
    for (const auto& g : id.gates)
      if (!IsPostName(g)) r.Fail("gates", "'" + g + "' is not a gate name");
  } else if (!id.post.empty() || !id.gates.empty()) {
    r.Fail(id.post.empty() ? "gates" : "post", "only a terminal has a post and gates");
  }
  r.RejectUnknownKeys();
  config->identities[name] = std::move(id);
}

}  // namespace

bool IsPostName(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
      return false;
  return true;
}

std::string_view RoleName(Role role) { return kRoleNames[static_cast<size_t>(role)]; }

std::optional<Role> RoleFromName(std::string_view name) {
  for (size_t i = 0; i < std::size(kRoleNames); ++i)
    if (kRoleNames[i] == name) return static_cast<Role>(i);
  return std::nullopt;
}

bool PersonAtLeast(Role have, Role need) {
  return IsPerson(have) && IsPerson(need) && have >= need;
}

const Identity* SecurityConfig::Find(std::string_view name) const {
  auto it = identities.find(name);
  return it == identities.end() ? nullptr : &it->second;
}

std::map<std::string, std::string> SecurityConfig::NamesByPublicKey() const {
  std::map<std::string, std::string> names;
  for (const auto& [name, id] : identities) names[id.public_key] = name;
  return names;
}

void ReadSecurity(ConfigReader& root, SecurityConfig* config) {
  if (!root.Has("security")) {
    root.Table("security");  // marks it read
    return;
  }
  ConfigReader s = root.Table("security");
  config->enabled = true;
  config->keys = s.String("keys", config->keys);
  config->picketctl_key = s.String("picketctl_key", config->picketctl_key);
  ConfigReader list = s.Table("identities");
  for (const auto& name : list.Keys()) ReadIdentity(list, name, config);
  list.RejectUnknownKeys();
  s.RejectUnknownKeys();
  std::set<std::string> seen;
  for (const auto& [name, id] : config->identities)
    if (!id.public_key.empty() && !seen.insert(id.public_key).second)
      list.Fail(name, "has the same public key as another identity (one key, one identity)");
  const Identity* bus = config->Find("bus");
  if (!bus)
    s.Fail("identities", "must list `bus`, the key clients check the bus by");
  else if (bus->role != Role::kService)
    list.Fail("bus", "must have role = \"service\"");
}

}  // namespace picket
