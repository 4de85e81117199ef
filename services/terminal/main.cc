// picket-terminal --config site.toml --post POST [--codes FILE] [--input -|DEVICE]
//                 [--screen full|lines] [--data-dir DIR] [--log-level info] [--check-config]
// picket-terminal hash-code --guard NAME [--duress]     (the code is read from stdin)
//
// The agent on a guard's post terminal (docs/terminal.md): reads what the guard or the
// scanner types (stdin, or a device file such as /dev/hidraw0 that types like a keyboard),
// keeps every event in its outbox until the bus has it, and shows the decisions, the
// standard phrases and the incidents at its post.
//
// --screen full (the default when stdout is a terminal) draws the guard's full-screen view
// and sends the log to DATA_DIR/terminal.log; --screen lines prints one greppable line per
// notice (scripts, tests, dumb terminals). Flags, start-up and exit status are
// ServiceMain's (runtime/service_main.h); the host is named after the post's terminal id
// ([terminal.posts.<post>] terminal), which is the producer of its events and the name of
// its data directory.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstring>
#include <iostream>

#include "runtime/config.h"
#include "runtime/service_main.h"
#include "terminal/hash_code_command.h"
#include "terminal/line_input.h"
#include "terminal/screen_output.h"
#include "terminal/terminal_config_toml.h"
#include "terminal/terminal_service.h"

namespace {

using picket::ServiceHost;
using picket::ServiceHostOptions;
using namespace picket::terminal;

struct Flags {
  std::string post, codes, input = "-", screen;
};

// Everything of a running terminal, kept until the host has stopped.
struct Running {
  std::unique_ptr<ScreenOutput> output;
  std::unique_ptr<TerminalService> service;
  std::unique_ptr<LineInput> input;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && std::strcmp(argv[1], "hash-code") == 0)
    return RunHashCode(argc - 1, argv + 1, std::cin, std::cout, std::cerr);

  std::signal(SIGPIPE, SIG_IGN);  // a closed screen pipe is a write error, not the end
  auto flags = std::make_shared<Flags>();
  return picket::ServiceMain<TerminalServiceConfig>(
      argc, argv,
      {.name = "terminal",
       .summary = "the agent on a guard's post terminal (hash-code: a code's line for the "
                  "codes file)",
       .tables = {},  // the store is its outbox; the session lives in memory
       .read_config = [flags](const toml::table& root, const std::string& path,
                              std::string* error) -> std::optional<TerminalServiceConfig> {
         const std::string codes_path =
             flags->codes.empty() ? TerminalCodesPath(root, path) : flags->codes;
         auto codes = LoadCodesFile(
             codes_path, flags->codes.empty() ? path + ", terminal.codes_file" : "--codes", error);
         if (!codes) return std::nullopt;
         return ReadTerminalConfig(root, path, flags->post, *codes, codes_path, error);
       },
       .host_options =
           [](const TerminalServiceConfig& config, ServiceHostOptions& o) {
             o.name = config.terminal.terminal;
             o.http = config.http;
             o.sync = config.sync;
             o.bus_ingest = config.bus_ingest;
             o.bus_events = config.bus_events;
             o.bus_replay = config.bus_replay;
           },
       .flags =
           [flags](CLI::App& app) {
             app.add_option("--post", flags->post, "the post this terminal serves")->required();
             app.add_option("--codes", flags->codes,
                            "the guards' codes file (default: [terminal] codes_file)");
             app.add_option("--input", flags->input,
                            "where lines are typed: - (stdin) or a device file");
             app.add_option("--screen", flags->screen, "full (default on a terminal) or lines")
                 ->check(CLI::IsMember({"full", "lines"}));
           },
       .build = [flags](ServiceHost& host,
                        const TerminalServiceConfig& config) -> std::shared_ptr<void> {
         const bool full =
             flags->screen.empty() ? ::isatty(STDOUT_FILENO) == 1 : flags->screen == "full";
         auto running = std::make_shared<Running>();
         std::string error;
         const bool typed_here = flags->input == "-" && ::isatty(STDIN_FILENO) == 1;
         running->output = std::make_unique<ScreenOutput>(STDOUT_FILENO, full, typed_here);
         if (full && !running->output->MoveLogTo(host.data_dir() + "/terminal.log", &error)) {
           spdlog::error("{}", error);
           return nullptr;
         }
         ScreenOutput* out = running->output.get();
         running->service = std::make_unique<TerminalService>(
             host, config.terminal,
             [out](const std::vector<std::string>& lines) { out->Print(lines); },
             [out](const ScreenModel& screen) { out->Draw(screen); });
         TerminalService* service = running->service.get();
         running->input = std::make_unique<LineInput>(
             [service](std::string line) { service->OnLine(std::move(line)); });
         if (!running->input->Start(flags->input, &error)) {
           spdlog::error("{}", error);
           return nullptr;
         }
         spdlog::info("terminal {} at post {} ({} screen), reading {}", host.name(),
                      config.terminal.post, full ? "full" : "line", flags->input);
         return running;
       }});
}
