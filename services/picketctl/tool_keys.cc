#include "picketctl/tool_keys.h"

#include "picketctl/incident_request.h"
#include "runtime/site_config.h"
#include "runtime/site_keys.h"

namespace picket {

std::optional<ClientIdentity> ResolveClientIdentity(const std::string& config,
                                                    const std::string& key, std::string_view server,
                                                    std::string* error) {
  if (config.empty()) return ResolveClientIdentity(nullptr, key, server, error);
  auto site = LoadSiteConfig(config, error);
  if (!site) return std::nullopt;
  return ResolveClientIdentity(&*site, key, server, error);
}

std::optional<ClientIdentity> ResolveClientIdentity(const SiteConfig* site, const std::string& key,
                                                    std::string_view server, std::string* error) {
  ClientIdentity identity;
  if (!site) {
    if (key.empty()) return identity;
    *error = "--key needs --config site.toml (its [security] section lists the site's keys)";
    return std::nullopt;
  }
  if (!site->security.enabled) return identity;
  std::string file = key;
  if (file.empty() && !site->security.picketctl_key.empty())
    file = BesideConfig(*site, site->security.picketctl_key);
  if (file.empty()) {
    *error = site->source_path +
             " has [security]: give a key with --key FILE, or set [security] picketctl_key "
             "in it";
    return std::nullopt;
  }
  auto keys = SiteKeys::LoadTool(*site, file, error);  // `site` outlives `keys` here
  if (!keys) return std::nullopt;
  auto curve = keys->ClientOf(server, error);
  if (!curve) return std::nullopt;
  identity.curve = std::move(*curve);
  identity.name = keys->name();
  const Identity* listed = keys->Find(keys->name());
  identity.person = listed != nullptr && IsPerson(listed->role);
  return identity;
}

std::optional<std::string> ResolveActing(const std::string& flag, const ClientIdentity& identity,
                                         const char* picket_actor) {
  if (flag.empty() && identity.person) return identity.name;
  return ResolveActor(flag, picket_actor);
}

}  // namespace picket
