// SiteKeysFixture: CURVE key pairs for a test site, written where a site with [security]
// looks for them, and the [security] section that lists them (runtime/security_config.h).
//
//   SiteKeysFixture keys(dir);                    // keys in dir/keys
//   keys.Add("bus", "service");
//   keys.Add("gate-1-terminal", "terminal", "gate-1");
//   keys.Add("otto", "officer");
//   std::string toml = site_text + keys.SecuritySection();   // keys = "<dir>/keys"
//   keys.KeyFile("otto")                                      // dir/keys/otto.key
#pragma once

#include <map>
#include <string>
#include <vector>

#include "runtime/curve_keys.h"

namespace picket::testing {

class SiteKeysFixture {
 public:
  // Keys go to `dir`/keys (created); site.toml is expected in `dir`.
  explicit SiteKeysFixture(std::string dir);

  // A new key pair for `name`, listed with `role` (and `post`, `gates` for a terminal).
  // Throws std::runtime_error if it cannot be written.
  const CurveKeyPair& Add(const std::string& name, const std::string& role,
                          const std::string& post = "", std::vector<std::string> gates = {});
  // A key pair that is written like the others but NOT listed (an outsider's key).
  const CurveKeyPair& AddUnlisted(const std::string& name);

  // The [security] section: keys = "<dir>/keys" (absolute), picketctl_key (the named
  // key's file, if given), every listed key.
  std::string SecuritySection(const std::string& picketctl_key_name = "") const;
  std::string KeyFile(const std::string& name) const;  // dir/keys/<name>.key
  // The key pair written for `name`; throws std::out_of_range naming it if there is none.
  const CurveKeyPair& Get(const std::string& name) const;

 private:
  struct Listing {
    std::string role, post;
    std::vector<std::string> gates;
  };
  const CurveKeyPair& Write(const std::string& name);

  std::string dir_;
  std::map<std::string, CurveKeyPair> pairs_;
  std::map<std::string, Listing> listed_;
};

}  // namespace picket::testing
