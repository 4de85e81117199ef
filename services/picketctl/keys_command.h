// `picketctl keys new --name N [--dir DIR] [--signing]`: makes a CURVE key pair for the
// identity N (runtime/curve_keys.h) and writes DIR/N.key (public + secret, 0600) and
// DIR/N.pub; with --signing, an Ed25519 pair for the bus's checkpoints, DIR/N.sign and
// DIR/N.verify (runtime/signing_keys.h).
// Prints both paths and the public key; with --role R (and a terminal's --post P and
// --gate G...), also the line that lists it in site.toml's [security.identities] (after a
// comment line saying so), the last line printed:
//   "N" = { role = "R", post = "P", gates = ["G"], public = "..." }
// Never overwrites: an existing N.key or N.pub is an error (exit 1) and changes nothing. A
// bad name, role, post or gate (or a post or gate without role terminal) is exit 2, before
// anything is written.
#pragma once

#include <string>
#include <vector>

namespace picket {

struct KeysNewOptions {
  std::string name;
  std::string dir = ".";
  // An Ed25519 signing pair instead (runtime/signing_keys.h): DIR/N.sign (0600) and
  // DIR/N.verify, for the bus's signed checkpoints.
  bool signing = false;
  // The identity's role, post and gates (docs/security.md): prints its identities line.
  std::string role, post;
  std::vector<std::string> gates;
};

int RunKeysNew(const KeysNewOptions& options);

}  // namespace picket
