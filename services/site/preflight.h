// Preflight: what picket-site checks before it starts anything, so that a broken site
// fails at once with every problem on picket-site's own stderr, instead of children
// restarting forever with the reasons scattered in their logs.
//
//   - every child's program exists and is executable (a service's picket-<name> in the
//     bin directory: a typo in site.services; a [run.*] command's program, by path or
//     in PATH);
//   - every service accepts the site file: `picket-<name> --config <file> --check-config`
//     exits 0 (each service reads its own section with its own rules; exit 2 and its
//     message otherwise).
#pragma once

#include <string>
#include <vector>

#include "base/clock.h"
#include "site/child_plan.h"

namespace picket {

// The problems found, one message each (empty: the site can start). Runs the services'
// checks one after another, each bounded by `timeout`.
std::vector<std::string> Preflight(const std::vector<ChildSpec>& children, Micros timeout);

// Runs argv (stdin /dev/null, stdout and stderr captured together) and waits at most
// `timeout`, then kills it. Returns the wait status (-1 if it could not start or was
// killed at the timeout) and sets *output.
int RunCaptured(const std::vector<std::string>& argv, Micros timeout, std::string* output);

}  // namespace picket
