#include "runtime/site_keys.h"

#include <filesystem>

#include "runtime/zap_authenticator.h"

namespace picket {

std::string BesideConfig(const SiteConfig& site, const std::string& path) {
  std::filesystem::path p(path);
  if (p.is_absolute()) return path;
  return (std::filesystem::path(site.source_path).parent_path() / p).string();
}

std::optional<SiteKeys> SiteKeys::Load(const SiteConfig& site, const std::string& name,
                                       const std::string& key_file, std::string* error) {
  SiteKeys keys;
  if (!site.security.enabled) return keys;
  const std::string path =
      key_file.empty() ? BesideConfig(site, site.security.keys + "/" + name + ".key") : key_file;
  auto pair = ReadKeyFile(path, true, error);
  if (!pair) return std::nullopt;
  const Identity* listed = site.security.Find(name);
  if (!listed) {
    *error = path + ": the site lists no identity '" + name +
             "' in [security.identities] (its key would be refused)";
    return std::nullopt;
  }
  if (listed->public_key != pair->public_key) {
    *error =
        path + ": its public key is not the one [security.identities] lists for '" + name + "'";
    return std::nullopt;
  }
  pair->name = name;
  keys.own_ = std::move(*pair);
  keys.config_ = &site.security;
  keys.key_file_ = path;
  return keys;
}

std::optional<SiteKeys> SiteKeys::LoadTool(const SiteConfig& site, const std::string& key_file,
                                           std::string* error) {
  SiteKeys keys;
  if (!site.security.enabled) return keys;
  if (key_file.empty()) {
    *error = "the site has [security]: give a key (--key FILE, or [security] picketctl_key)";
    return std::nullopt;
  }
  auto pair = ReadKeyFile(key_file, true, error);
  if (!pair) return std::nullopt;
  for (const auto& [name, id] : site.security.identities) {
    if (id.public_key != pair->public_key) continue;
    pair->name = name;
    keys.own_ = std::move(*pair);
    keys.config_ = &site.security;
    keys.key_file_ = key_file;
    return keys;
  }
  *error = key_file +
           ": its public key is not listed in [security.identities] (the site's "
           "endpoints would refuse it)";
  return std::nullopt;
}

const Identity* SiteKeys::Find(std::string_view name) const {
  return config_ ? config_->Find(name) : nullptr;
}

std::optional<CurveClientKeys> SiteKeys::ClientOf(std::string_view server,
                                                  std::string* error) const {
  if (!config_) return CurveClientKeys{};
  const Identity* id = config_->Find(server);
  if (!id) {
    *error = "the site lists no key for '" + std::string(server) +
             "' in [security.identities]: cannot check whom this connects to";
    return std::nullopt;
  }
  return CurveClientKeys{own_, id->public_key};
}

void SiteKeys::MakeServer(zmq::socket_t& socket) const {
  if (config_) MakeCurveServer(socket, own_);
}

std::unique_ptr<ZapAuthenticator> SiteKeys::Authenticate(zmq::context_t& context) const {
  if (!config_) return nullptr;
  return std::make_unique<ZapAuthenticator>(context, config_->NamesByPublicKey(), own_.name);
}

}  // namespace picket
