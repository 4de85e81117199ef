// `picketctl keys new --name N [--dir DIR]`: makes a CURVE key pair for the identity N
// (runtime/curve_keys.h) and writes DIR/N.key (public + secret, 0600) and DIR/N.pub.
// Prints both paths and the public key. Never overwrites: an existing N.key or N.pub is an
// error (exit 1) and changes nothing. A bad name is exit 2.
#pragma once

#include <string>

namespace picket {

struct KeysNewOptions {
  std::string name;
  std::string dir = ".";
};

int RunKeysNew(const KeysNewOptions& options);

}  // namespace picket
