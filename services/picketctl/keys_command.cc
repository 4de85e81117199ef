#include "picketctl/keys_command.h"

#include <filesystem>
#include <iostream>

#include "picketctl/publish_command.h"
#include "runtime/curve_keys.h"
#include "runtime/signing_keys.h"

namespace picket {

int RunKeysNew(const KeysNewOptions& options) {
  if (!IsKeyName(options.name)) {
    std::cerr << "picketctl keys new: --name '" << options.name
              << "' must be 1-64 of a-z 0-9 _ . - starting with a letter or digit\n";
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
  return kExitOk;
}

}  // namespace picket
