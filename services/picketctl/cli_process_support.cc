#include "picketctl/cli_process_support.h"

#include <sys/wait.h>

#include <chrono>

namespace picket::testing {
namespace {

// `s` as one word for /bin/sh.
std::string Quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

}  // namespace

CliRun Picketctl(const TempDir& dir, const std::vector<std::string>& args) {
  std::string cmd = "exec env -u PICKET_ACTOR " + Quote(BinaryPath("picketctl"));
  for (const auto& a : args) cmd += " " + Quote(a);
  cmd += " </dev/null >" + Quote(dir / "out") + " 2>" + Quote(dir / "err");
  ChildProcess p({"/bin/sh", "-c", cmd}, dir / "sh.log");
  CliRun r;
  if (auto status = p.Wait(std::chrono::seconds(30)); status && WIFEXITED(*status))
    r.exit_code = WEXITSTATUS(*status);
  r.out = ReadFile(dir / "out");
  r.err = ReadFile(dir / "err");
  return r;
}

}  // namespace picket::testing
