// `picket-terminal hash-code --guard NAME [--duress]`: prints the line an operator pastes
// under [guards] of the codes file (HashCodeLine, terminal_config_toml.h) for NAME's login
// code (or, with --duress, the duress code), with a fresh random salt:
//
//   $ echo 4711 | picket-terminal hash-code --guard hana
//   hana.login = "sha256$<salt>$<digest>"
//
// The code is read from stdin (one line; CR/LF stripped), never from the command line, so
// it stays out of the shell history and the process list. On a terminal it asks for it
// without echo. Exit 0 with the line on `out`; 2 with the reason on `err` for a bad flag,
// a bad guard name or a code the line protocol cannot carry (the reason never repeats the
// code); 1 if no random salt could be had.
#pragma once

#include <iosfwd>

namespace picket::terminal {

// argv[0] is "hash-code".
int RunHashCode(int argc, char** argv, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace picket::terminal
