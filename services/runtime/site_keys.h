// SiteKeys: one process's CURVE key pair and the site's list of keys (site.toml
// [security]), and what the process's sockets do with them.
//
// A site with [security] runs every ZeroMQ endpoint as a CURVE server that admits only the
// listed keys (ZapAuthenticator), and every client connects with its own key, checking the
// server's listed public key; a site without it runs them plain (the `secure()` false
// case: every call here is then a no-op). There is no mixed mode: a plain client gets
// nothing from a CURVE endpoint, and a CURVE client nothing from a plain one.
#pragma once

#include <zmq.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/curve_keys.h"
#include "runtime/site_config.h"

namespace picket {

class ZapAuthenticator;

class SiteKeys {
 public:
  SiteKeys() = default;  // plain

  // The keys of the process whose identity is `name`. A site without [security] gives
  // plain keys. Otherwise reads `key_file` (empty: <keys>/<name>.key, `keys` relative to
  // site.toml's folder) and checks that the site lists its public key under `name`;
  // nullopt and *error (naming the file) if it cannot be read, is readable by others, or
  // is not the key listed for `name`.
  static std::optional<SiteKeys> Load(const SiteConfig& site, const std::string& name,
                                      const std::string& key_file, std::string* error);

  // The keys of a tool (picketctl, picket-sim) holding the key file `key_file`: its
  // identity is whichever [security.identities] entry lists that public key. Plain keys
  // on a site without [security]; nullopt and *error if `key_file` is empty there, cannot
  // be read, or its key is not listed.
  static std::optional<SiteKeys> LoadTool(const SiteConfig& site, const std::string& key_file,
                                          std::string* error);

  bool secure() const { return config_ != nullptr; }
  const SecurityConfig* config() const { return config_; }  // null when plain
  const std::string& name() const { return own_.name; }
  const CurveKeyPair& own() const { return own_; }
  // The file the key was read from ("" when plain).
  const std::string& key_file() const { return key_file_; }
  // The listed identity of `name` (null when plain or not listed).
  const Identity* Find(std::string_view name) const;

  // Client keys for a connection to the process listed as `server` ("bus", "escalation").
  // Plain keys when plain; nullopt and *error when `server` is not listed.
  std::optional<CurveClientKeys> ClientOf(std::string_view server, std::string* error) const;
  // Makes `socket` a CURVE server with this process's key (before bind). Nothing if plain.
  void MakeServer(zmq::socket_t& socket) const;
  // The ZAP handler for `context`, admitting the listed keys; null when plain. Keep it
  // alive while the context's server sockets are; construct it before they bind.
  std::unique_ptr<ZapAuthenticator> Authenticate(zmq::context_t& context) const;

 private:
  const SecurityConfig* config_ = nullptr;  // the SiteConfig's, which must outlive this
  CurveKeyPair own_;
  std::string key_file_;
};

// Where `path` (from site.toml, relative to its folder) is: `path` itself if absolute.
std::string BesideConfig(const SiteConfig& site, const std::string& path);

}  // namespace picket
