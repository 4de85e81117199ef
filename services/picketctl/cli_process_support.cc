#include "picketctl/cli_process_support.h"

#include <sys/wait.h>

#include <chrono>
#include <sstream>

namespace picket::testing {
namespace {

// `s` as one word for /bin/sh.
std::string Quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

}  // namespace

std::vector<std::string> CliRun::OutLines() const {
  std::vector<std::string> lines;
  std::istringstream in(out);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  return lines;
}

CliRun Picketctl(const TempDir& dir, const std::vector<std::string>& args, const CliInput& with) {
  WriteFile(dir / "in", with.input);
  std::string cmd = "exec env -u PICKET_ACTOR -u USER";
  for (const auto& e : with.env) cmd += " " + Quote(e);
  cmd += " " + Quote(BinaryPath("picketctl"));
  for (const auto& a : args) cmd += " " + Quote(a);
  cmd += " <" + Quote(dir / "in") + " >" + Quote(dir / "out") + " 2>" + Quote(dir / "err");
  ChildProcess p({"/bin/sh", "-c", cmd}, dir / "sh.log");
  CliRun r;
  if (auto status = p.Wait(std::chrono::seconds(60)); status && WIFEXITED(*status))
    r.exit_code = WEXITSTATUS(*status);
  r.out = ReadFile(dir / "out");
  r.err = ReadFile(dir / "err");
  return r;
}

}  // namespace picket::testing
