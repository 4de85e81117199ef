#include "picketctl/keys_command.h"

#include <filesystem>
#include <iostream>

#include "picketctl/publish_command.h"
#include "runtime/curve_keys.h"
#include "runtime/security_config.h"
#include "runtime/signing_keys.h"

namespace picket {
namespace {

// Why --role, --post and --gate cannot list the identity (empty if they can).
std::string IdentityProblem(const KeysNewOptions& o) {
  const bool terminal = o.role == "terminal";
  if (o.role.empty())
    return o.post.empty() && o.gates.empty() ? "" : "--post and --gate need --role terminal";
  if (!RoleFromName(o.role))
    return "--role must be terminal, service, officer, supervisor or admin, not '" + o.role + "'";
  if (o.signing) return "--role is for CURVE keys, not --signing";
  if (!terminal && !(o.post.empty() && o.gates.empty()))
    return "only a terminal has a post and gates (--role terminal)";
  if (terminal && o.post.empty()) return "a terminal needs --post, the post it publishes for";
  if (terminal && !IsPostName(o.post)) return "--post '" + o.post + "' is not a post name";
  for (const auto& g : o.gates)
    if (!IsPostName(g)) return "--gate '" + g + "' is not a gate name";
  return "";
}

// "N" = { role = "R", post = "P", gates = ["G"], public = "..." }
std::string IdentityLine(const KeysNewOptions& o, const std::string& public_key) {
  std::string line = "\"" + o.name + "\" = { role = \"" + o.role + "\"";
  if (!o.post.empty()) line += ", post = \"" + o.post + "\"";
  if (!o.gates.empty()) {
    line += ", gates = [";
    for (size_t i = 0; i < o.gates.size(); ++i) line += (i ? ", \"" : "\"") + o.gates[i] + "\"";
    line += "]";
  }
  return line + ", public = \"" + public_key + "\" }";
}

}  // namespace

int RunKeysNew(const KeysNewOptions& options) {
  if (!IsKeyName(options.name)) {
    std::cerr << "picketctl keys new: --name '" << options.name
              << "' must be 1-64 of a-z 0-9 _ . - starting with a letter or digit\n";
    return kExitUsage;
  }
  if (std::string problem = IdentityProblem(options); !problem.empty()) {
    std::cerr << "picketctl keys new: " << problem << "\n";
    return kExitUsage;
  }
  std::error_code ec;
  if (!std::filesystem::is_directory(options.dir, ec)) {
    std::cerr << "picketctl keys new: --dir '" << options.dir << "' is not a directory\n";
    return kExitUsage;
  }
  std::string error;
  const auto dir = std::filesystem::path(options.dir);
  if (options.signing) {
    SigningKeyPair keys = NewSigningKeyPair(options.name);
    if (!WriteSigningKeyFiles(options.dir, keys, &error)) {
      std::cerr << "picketctl keys new: " << error << "\n";
      return kExitFailed;
    }
    std::cout << "signing key: " << (dir / (options.name + ".sign")).string()
              << " (mode 0600: only for picket-bus, [bus] checkpoint_key)\n"
              << "verify key: " << (dir / (options.name + ".verify")).string()
              << " (for picketctl audit verify --checkpoint-key)\n"
              << "checkpoint_public = \"" << Hex(keys.public_key) << "\"\n";
    return kExitOk;
  }
  CurveKeyPair keys = NewCurveKeyPair(options.name);
  if (!WriteKeyFiles(options.dir, keys, &error)) {
    std::cerr << "picketctl keys new: " << error << "\n";
    return kExitFailed;
  }
  std::cout << "secret key: " << (dir / (options.name + ".key")).string()
            << " (mode 0600: only for " << options.name << ")\n"
            << "public key: " << (dir / (options.name + ".pub")).string() << "\n"
            << "public = \"" << keys.public_key << "\"\n";
  if (!options.role.empty())
    std::cout << "# its line under [security.identities] in site.toml:\n"
              << IdentityLine(options, keys.public_key) << "\n";
  return kExitOk;
}

}  // namespace picket
