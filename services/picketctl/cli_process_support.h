// What the picketctl process tests share: running the real picketctl binary as a child.
#pragma once

#include <string>
#include <vector>

#include "support/process.h"

namespace picket::testing {

struct CliRun {
  int exit_code = -1;  // -1: did not finish in time (or was killed)
  std::string out, err;
  std::vector<std::string> OutLines() const;  // `out`, line by line
};

// What a run gets besides its arguments: `input` on stdin, and `env` ("NAME=value") on top
// of the test's environment, from which $PICKET_ACTOR and $USER are removed (a test that
// means an actor from the environment gives it here).
struct CliInput {
  std::string input;
  std::vector<std::string> env;
};
inline CliInput Stdin(std::string text) {
  CliInput in;
  in.input = std::move(text);
  return in;
}
inline CliInput Env(std::vector<std::string> env) {
  CliInput in;
  in.env = std::move(env);
  return in;
}

// Runs picketctl with `args` for at most 60 s, its stdout and stderr kept apart in files of
// `dir`.
CliRun Picketctl(const TempDir& dir, const std::vector<std::string>& args,
                 const CliInput& with = {});

}  // namespace picket::testing
