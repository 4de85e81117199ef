#include "testing/site_keys_fixture.h"

#include <filesystem>
#include <stdexcept>

namespace picket::testing {

SiteKeysFixture::SiteKeysFixture(std::string dir) : dir_(std::move(dir)) {
  std::filesystem::create_directories(dir_ + "/keys");
}

const CurveKeyPair& SiteKeysFixture::Write(const std::string& name) {
  CurveKeyPair pair = NewCurveKeyPair(name);
  std::string error;
  if (!WriteKeyFiles(dir_ + "/keys", pair, &error)) throw std::runtime_error(error);
  return pairs_[name] = std::move(pair);
}

const CurveKeyPair& SiteKeysFixture::Add(const std::string& name, const std::string& role,
                                         const std::string& post, std::vector<std::string> gates) {
  listed_[name] = Listing{role, post, std::move(gates)};
  return Write(name);
}

const CurveKeyPair& SiteKeysFixture::AddUnlisted(const std::string& name) { return Write(name); }

std::string SiteKeysFixture::SecuritySection(const std::string& picketctl_key_name) const {
  std::string s = "\n[security]\nkeys = \"" + dir_ + "/keys\"\n";
  if (!picketctl_key_name.empty()) s += "picketctl_key = \"" + KeyFile(picketctl_key_name) + "\"\n";
  s += "\n[security.identities]\n";
  for (const auto& [name, l] : listed_) {
    s += "\"" + name + "\" = { role = \"" + l.role + "\", public = \"" +
         pairs_.at(name).public_key + "\"";
    if (!l.post.empty()) s += ", post = \"" + l.post + "\"";
    if (!l.gates.empty()) {
      s += ", gates = [";
      for (size_t i = 0; i < l.gates.size(); ++i) s += (i ? ", \"" : "\"") + l.gates[i] + "\"";
      s += "]";
    }
    s += " }\n";
  }
  return s;
}

const CurveKeyPair& SiteKeysFixture::Get(const std::string& name) const {
  auto it = pairs_.find(name);
  if (it == pairs_.end())
    throw std::out_of_range("the test site has no key for '" + name +
                            "' (Add it, or list it as a TestIdentity of BusUnderTest)");
  return it->second;
}

std::string SiteKeysFixture::KeyFile(const std::string& name) const {
  return dir_ + "/keys/" + name + ".key";
}

}  // namespace picket::testing
