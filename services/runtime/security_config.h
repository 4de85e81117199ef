// The [security] section of site.toml: who holds which CURVE key, and in what role
// (docs/security.md). With it, every ZeroMQ endpoint of the site is a CURVE server that
// admits only the keys listed here; without it, the endpoints are plain and trust whoever
// can reach them (keep them on loopback or ipc://).
//
//   [security]
//   keys = "keys"                    # folder of each process's own <name>.key
//   picketctl_key = "keys/otto.key"  # picketctl's key unless --key names one
//
//   [security.identities]
//   bus = { role = "service", public = "<40 Z85 characters>" }
//   gate-1-terminal = { role = "terminal", post = "gate-1", gates = ["north"], public = "..." }
//   otto = { role = "officer", public = "..." }
//
// An identity's name is what the ZAP handler reports for its key: the producer name a
// terminal or service must publish under, the person an officer acts as.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/config.h"

namespace picket {

enum class Role {
  kTerminal,    // publishes observations for its own post and gates
  kService,     // publishes its own derived types; acts on behalf of people it checked
  kOfficer,     // acknowledges, notes, resolves, decides walk-ups
  kSupervisor,  // an officer who also voids score entries and records inspections
  kAdmin,       // a supervisor who also changes watchlists and people
};

std::string_view RoleName(Role role);
// Whether `s` may name a terminal's post or gate: 1-64 of a-z 0-9 - _ .
bool IsPostName(std::string_view s);
std::optional<Role> RoleFromName(std::string_view name);
// Whether a person of role `have` may do what needs `need` (officer < supervisor < admin).
// A terminal or service is no person: false for either side being one.
bool PersonAtLeast(Role have, Role need);
inline bool IsPerson(Role role) { return role >= Role::kOfficer; }

struct Identity {
  std::string name;
  Role role = Role::kService;
  std::string post;                // terminals: the post it publishes for
  std::vector<std::string> gates;  // terminals: the gates it may report beyond its post
  std::string public_key;          // Z85, 40 characters
};

// Who sent a request, as its CURVE key says: the identity the key is listed under, or null
// on a site without [security] (nobody is authenticated there; requests are let through).
struct Caller {
  const Identity* identity = nullptr;
};

struct SecurityConfig {
  bool enabled = false;       // whether site.toml has a [security] section
  std::string keys = "keys";  // folder of the processes' <name>.key files (relative: to site.toml)
  std::string picketctl_key;  // picketctl's key file when no --key (relative: to site.toml)
  std::map<std::string, Identity, std::less<>> identities;  // by name

  const Identity* Find(std::string_view name) const;
  // The Z85 public key -> name map a ZAP handler admits.
  std::map<std::string, std::string> NamesByPublicKey() const;
};

// Reads site.toml's [security] section, if `root` (the whole file) has one, into *config;
// problems are recorded as `root`'s errors.
void ReadSecurity(ConfigReader& root, SecurityConfig* config);

}  // namespace picket
