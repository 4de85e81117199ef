// picket-console --config site.toml [--data-dir DIR] [--log-level info]
// picket-console hash-password LOGIN [--role officer] [--lang en]
//
// The duty officers' web console (docs/console.md). Flags, start-up and exit status are
// ServiceMain's (runtime/service_main.h). hash-password reads a password from stdin (no
// echo on a terminal) and prints the [console.accounts] line for LOGIN.
#include <spdlog/spdlog.h>
#include <termios.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <iostream>

#include "console/console_config.h"
#include "console/console_service.h"
#include "console/core/password.h"
#include "runtime/service_main.h"

namespace picket::console {
namespace {

std::string ReadSecretLine(const char* prompt) {
  bool tty = isatty(STDIN_FILENO);
  termios old{};
  if (tty) {
    std::cerr << prompt << std::flush;
    tcgetattr(STDIN_FILENO, &old);
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::cerr << "\n";
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

int HashPasswordCommand(int argc, char** argv) {
  CLI::App app{"picket-console hash-password: print a [console.accounts] line"};
  std::string command, login, role = "officer", lang = "en";
  app.add_option("command", command)->required();
  app.add_option("login", login, "the officer's login (their person id on the site)")->required();
  app.add_option("--role", role, "viewer, officer, supervisor or admin");
  app.add_option("--lang", lang, "en or zh-CN");
  CLI11_PARSE(app, argc, argv);
  auto r = ParseRole(role);
  auto l = ParseLang(lang);
  if (!IsLoginName(login) || !r || !l) {
    std::cerr << "picket-console: a login is 1..64 of a-z 0-9 _ - .; --role viewer|officer|"
                 "supervisor|admin; --lang en|zh-CN\n";
    return 2;
  }
  std::string password = ReadSecretLine("password: ");
  if (isatty(STDIN_FILENO) && ReadSecretLine("again: ") != password) {
    std::cerr << "picket-console: the passwords differ\n";
    return 2;
  }
  if (password.empty()) {
    std::cerr << "picket-console: the password is empty\n";
    return 2;
  }
  auto hash = HashPassword(password);
  if (!hash) {
    std::cerr << "picket-console: could not hash the password (too long, or out of memory)\n";
    return 1;
  }
  std::cout << AccountLine(login, *r, *l, *hash) << "\n";
  return 0;
}

}  // namespace
}  // namespace picket::console

int main(int argc, char** argv) {
  using picket::ServiceHost;
  using picket::ServiceHostOptions;
  using picket::console::ConsoleConfig;
  using picket::console::ConsoleService;
  if (argc > 1 && std::string_view(argv[1]) == "hash-password")
    return picket::console::HashPasswordCommand(argc, argv);
  return picket::ServiceMain<ConsoleConfig>(
      argc, argv,
      {.name = "console",
       .summary = "the duty officers' web console",
       .tables = ConsoleService::Tables(),
       .read_config = &picket::console::ReadConsoleConfig,
       .host_options = [](const ConsoleConfig& config,
                          ServiceHostOptions& o) { o.http = config.http; },
       .build = [](ServiceHost& host, const ConsoleConfig& config) -> std::shared_ptr<void> {
         auto service = std::make_shared<ConsoleService>(host, config);
         std::string error;
         if (!service->Start(&error)) {
           spdlog::error("{}", error);
           return nullptr;
         }
         return service;
       }});
}
