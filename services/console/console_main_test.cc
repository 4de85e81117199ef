// The picket-console binary's own commands: hash-password makes a line the config reader
// takes and that verifies, and --check-config judges a site file (exit 0 / 2).
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <cstdio>
#include <fstream>
#include <string>

#include "console/console_config.h"
#include "runtime/config.h"
#include "testing/scripted_bus.h"

namespace picket::console {
namespace {

// Runs `command` with `input` on stdin; returns its stdout and sets *status (exit code).
std::string Run(const std::string& command, const std::string& input, int* status) {
  testing::ScratchDir dir;
  std::string in_path = dir.path() + "/stdin";
  std::ofstream(in_path) << input;
  FILE* p = popen((command + " < " + in_path + " 2>/dev/null").c_str(), "r");
  REQUIRE(p);
  std::string out;
  char buf[512];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int raw = pclose(p);
  *status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return out;
}

}  // namespace

TEST_CASE("console: hash-password prints an account line that signs in") {
  int status = -1;
  std::string line =
      Run(std::string(PICKET_CONSOLE_BIN) + " hash-password ann --role supervisor --lang zh-CN",
          "s3cret pass\n", &status);
  REQUIRE(status == 0);
  REQUIRE(line.rfind("ann = { role = \"supervisor\", lang = \"zh-CN\", hash = \"$argon2id$", 0) ==
          0);
  std::string error;
  auto root = ParseToml("[console.accounts]\n" + line, "site.toml", &error);
  REQUIRE(root);
  auto config = ReadConsoleConfig(*root, "site.toml", &error);
  INFO(error);
  REQUIRE(config);
  REQUIRE(config->accounts.Authenticate("ann", "s3cret pass"));
  REQUIRE_FALSE(config->accounts.Authenticate("ann", "s3cret"));

  Run(std::string(PICKET_CONSOLE_BIN) + " hash-password 'Ann Li'", "x\n", &status);
  REQUIRE(status == 2);
  Run(std::string(PICKET_CONSOLE_BIN) + " hash-password ann --role captain", "x\n", &status);
  REQUIRE(status == 2);
  Run(std::string(PICKET_CONSOLE_BIN) + " hash-password ann", "\n", &status);
  REQUIRE(status == 2);
}

TEST_CASE("console: check-config accepts a good section and refuses a bad one") {
  testing::ScratchDir dir;
  std::string path = dir.path() + "/site.toml";
  std::ofstream(path) << "[site]\nid = \"s\"\ndata_root = \"" << dir.path()
                      << "\"\n[console]\nlisten = \"127.0.0.1:0\"\n";
  int status = -1;
  Run(std::string(PICKET_CONSOLE_BIN) + " --config " + path + " --check-config", "", &status);
  REQUIRE(status == 0);
  std::ofstream(path) << "[site]\nid = \"s\"\ndata_root = \"" << dir.path()
                      << "\"\n[console]\nlisten = \"nowhere\"\n";
  Run(std::string(PICKET_CONSOLE_BIN) + " --config " + path + " --check-config", "", &status);
  REQUIRE(status == 2);
}

}  // namespace picket::console
