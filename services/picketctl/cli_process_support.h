// What the picketctl process tests share: running the real picketctl binary as a child.
#pragma once

#include <string>
#include <vector>

#include "support/process.h"

namespace picket::testing {

struct CliRun {
  int exit_code = -1;  // -1: did not finish in time
  std::string out, err;
};

// Runs picketctl with `args` (without $PICKET_ACTOR, stdin empty) for at most 30 s, its
// stdout and stderr kept apart in files of `dir`.
CliRun Picketctl(const TempDir& dir, const std::vector<std::string>& args);

}  // namespace picket::testing
