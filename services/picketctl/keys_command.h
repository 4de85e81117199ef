// `picketctl keys new --name N [--dir DIR] [--signing]`: makes a CURVE key pair for the
// identity N (runtime/curve_keys.h) and writes DIR/N.key (public + secret, 0600) and
// DIR/N.pub; with --signing, an Ed25519 pair for the bus's checkpoints, DIR/N.sign and
// DIR/N.verify (runtime/signing_keys.h).
// Prints both paths and the public key. Never overwrites: an existing N.key or N.pub is an
// error (exit 1) and changes nothing. A bad name is exit 2.
#pragma once

#include <string>

namespace picket {

struct KeysNewOptions {
  std::string name;
  std::string dir = ".";
  // An Ed25519 signing pair instead (runtime/signing_keys.h): DIR/N.sign (0600) and
  // DIR/N.verify, for the bus's signed checkpoints.
  bool signing = false;
};

int RunKeysNew(const KeysNewOptions& options);

}  // namespace picket
