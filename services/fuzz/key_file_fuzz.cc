// key_file: the text of a key file, as every process will read its CURVE key
// (runtime/curve_keys.h, ReadKeyFile) and picket-bus its checkpoint signing key
// (runtime/signing_keys.h, ReadSigningKeyFile), with and without the secret required.
// Invariant: an accepted file has a valid name and a key of the right form, and a secret
// only where one was required and matches; a refusal says why.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "fuzz/fuzz_support.h"
#include "runtime/curve_keys.h"
#include "runtime/signing_keys.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace picket;
  static const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("key_file_fuzz." + std::to_string(getpid()));
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  std::filesystem::permissions(
      path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  for (bool need_secret : {false, true}) {
    std::string error;
    if (auto k = ReadKeyFile(path, need_secret, &error)) {
      fuzz::Require(IsKeyName(k->name), "a CURVE key file names a valid identity");
      fuzz::Require(IsZ85Key(k->public_key), "its public key is Z85");
      fuzz::Require(!need_secret || IsZ85Key(k->secret_key), "a required secret is Z85");
    } else {
      fuzz::Require(!error.empty(), "a refused CURVE key file has a message");
    }
    error.clear();
    if (auto k = ReadSigningKeyFile(path, need_secret, &error)) {
      fuzz::Require(IsKeyName(k->name), "a signing key file names a valid identity");
      fuzz::Require(!need_secret || (k->secret_key && PublicKeyOf(*k->secret_key) == k->public_key),
                    "a required secret is there and is the public key's");
    } else {
      fuzz::Require(!error.empty(), "a refused signing key file has a message");
    }
  }
  return 0;
}
