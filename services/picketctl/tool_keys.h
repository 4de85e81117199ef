// The CURVE key picketctl connects with, and what it means for one server of the site.
//
// On a site whose site.toml has [security], every endpoint admits only listed keys, so
// picketctl needs one. It is, in this order:
//   --key FILE                       (relative to the working directory)
//   [security] picketctl_key         (relative to site.toml's folder)
// and neither is a usage error (exit 2) naming both. Its identity is whichever
// [security.identities] entry lists its public key (runtime/site_keys.h LoadTool); a key
// not listed there is refused before anything is sent. A site without [security] (or no
// --config at all, with explicit endpoints) is plain: no key is needed and --key is
// ignored on such a site (given without --config it is a usage error: the site's list of
// keys is in site.toml).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "runtime/curve_keys.h"

namespace picket {

struct SiteConfig;

// The --key option's help, the same on every command that connects.
inline constexpr const char* kKeyFlagHelp =
    "our CURVE key file on a site with [security] (default: its picketctl_key)";

struct ClientIdentity {
  CurveClientKeys curve;  // plain on a plain site
  std::string name;       // the key's identity; "" when plain
  bool person = false;    // an officer's, supervisor's or admin's key

  bool secure() const { return curve.secure(); }
  // The producer of events picketctl publishes: the identity on a secure site (the bus
  // refuses any other), else `plain`.
  std::string Producer(const std::string& plain) const { return secure() ? name : plain; }
};

// The keys for connecting to the process listed as `server` ("bus", "escalation",
// "access", "patrol", "scoring"), resolved as described above from --config `config`
// ("" = none) and --key `key` ("" = none). Nullopt and *error (a usage error) otherwise.
std::optional<ClientIdentity> ResolveClientIdentity(const std::string& config,
                                                    const std::string& key, std::string_view server,
                                                    std::string* error);
// The same for a site.toml already loaded (`site` null: no --config).
std::optional<ClientIdentity> ResolveClientIdentity(const SiteConfig* site, const std::string& key,
                                                    std::string_view server, std::string* error);

// Who acts in a command: --as / --by `flag` if given; else, for a person's key, its
// identity (the only actor the service accepts from it); else $PICKET_ACTOR
// (`picket_actor`, may be null). Nullopt when none of them says.
std::optional<std::string> ResolveActing(const std::string& flag, const ClientIdentity& identity,
                                         const char* picket_actor);

}  // namespace picket
