#include "terminal/hash_code_command.h"

#include <sodium.h>
#include <termios.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <string>

#include "terminal/terminal_config_toml.h"

namespace picket::terminal {
namespace {

constexpr size_t kSaltBytes = 16;

// One line of `in`; on a terminal asked for on `err` with echo off.
std::string ReadCode(std::istream& in, std::ostream& err) {
  const bool tty = &in == &std::cin && ::isatty(STDIN_FILENO) == 1;
  termios saved{};
  if (tty && ::tcgetattr(STDIN_FILENO, &saved) == 0) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    err << "code: " << std::flush;
  }
  std::string code;
  std::getline(in, code);
  if (tty) {
    ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    err << "\n";
  }
  while (!code.empty() && (code.back() == '\n' || code.back() == '\r')) code.pop_back();
  return code;
}

}  // namespace

int RunHashCode(int argc, char** argv, std::istream& in, std::ostream& out, std::ostream& err) {
  CLI::App app{
      "picket-terminal hash-code: the codes file's line for a guard's code, read "
      "from stdin"};
  app.name("picket-terminal hash-code");
  std::string guard;
  bool duress = false;
  app.add_option("--guard", guard, "the guard (person id)")->required();
  app.add_flag("--duress", duress, "the guard's duress code instead of the login code");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e, out, err) == 0 ? 0 : 2;
  }
  if (sodium_init() < 0) {
    err << "picket-terminal hash-code: no random source for the salt\n";
    return 1;
  }
  unsigned char salt[kSaltBytes];
  randombytes_buf(salt, sizeof salt);
  char salt_hex[2 * kSaltBytes + 1];
  sodium_bin2hex(salt_hex, sizeof salt_hex, salt, sizeof salt);
  std::string code = ReadCode(in, err);
  std::string error;
  auto line =
      HashCodeLine(guard, duress ? CodeKind::kDuress : CodeKind::kLogin, code, salt_hex, &error);
  sodium_memzero(code.data(), code.size());
  if (!line) {
    err << "picket-terminal hash-code: " << error << "\n";
    return 2;
  }
  out << *line << "\n";
  return 0;
}

}  // namespace picket::terminal
