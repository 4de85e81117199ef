// alert_bench: the client of scripts/bench-alerts (docs/benchmarks.md). One cell per run,
// one JSON line on stdout, one human line on stderr.
//
//   --cell e2e           picket: report -> alert_raised on the bus -> webhook (picket-notify)
//   --cell steps         picket: precision of 100 000 pending escalation steps
//   --cell alertmanager  the peer: POST /api/v2/alerts -> webhook
//
// The services need the receiver's URL in their configuration before they start, so the
// webhook cells shake hands with the script through two files: the client binds its
// receiver on 127.0.0.1:0 and writes the port to --port-file; the script writes the
// configuration, starts the services, and when they are ready writes --go-file, a JSON
// object with the endpoints ({"ingest", "replay"} of the bus, or {"alertmanager": URL}).
// Without --go-file the endpoints come from the flags.
//
// Exit status: 0 when every input got exactly one answer, 1 otherwise (the JSON line says
// what was measured and what went wrong), 2 on bad flags or a failed hand-shake.
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <zmq.hpp>

#include "alert_cells.h"
#include "webhook_receiver.h"

namespace picket::bench {
namespace {

struct Options {
  std::string cell;
  std::string ingest, replay, alertmanager, site = "bench";
  std::string port_file, go_file;
  double go_timeout = 120;
  LoadOptions load;
  StepOptions steps;
  int senders = 8;
  size_t receiver_threads = 64;
};

// Writes `text` to `path` atomically (write a temp file, rename), so a reader polling for
// the file never sees half of it.
bool WriteAtomically(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp);
    out << text;
    if (!out) return false;
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  return !ec;
}

// Polls for the go file; fills the endpoints from it. False after `timeout` seconds.
bool WaitForGo(Options& opt) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::duration<double>(opt.go_timeout);
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream in(opt.go_file);
    if (in) {
      std::stringstream text;
      text << in.rdbuf();
      auto j = nlohmann::json::parse(text.str(), nullptr, false);
      if (j.is_object()) {
        opt.ingest = j.value("ingest", opt.ingest);
        opt.replay = j.value("replay", opt.replay);
        opt.alertmanager = j.value("alertmanager", opt.alertmanager);
        return true;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

void PrintHuman(const nlohmann::json& j) {
  auto ms = [&](const std::string& key) {
    return j.contains(key) ? j[key].get<double>() / 1000.0 : -1.0;
  };
  if (j["cell"] == "steps") {
    std::fprintf(stderr,
                 "steps %s: %s incidents, lateness p50 %.1f ms p99 %.1f ms max %.1f ms, all fired "
                 "%.1f s after the first due%s\n",
                 j["label"].get<std::string>().c_str(), j["incidents"].dump().c_str(),
                 ms("lateness_p50_us"), ms("lateness_p99_us"), ms("lateness_max_us"),
                 j.value("fire_all_s", 0.0), j["ok"].get<bool>() ? "" : "  NOT OK");
  } else {
    std::fprintf(stderr,
                 "%s %s: %.0f/s, total p50 %.2f ms p99 %.2f ms max %.2f ms, %s delivered, %s "
                 "missing, %s duplicates%s\n",
                 j["target"].get<std::string>().c_str(), j["label"].get<std::string>().c_str(),
                 j["rate"].get<double>(), ms("total_p50_us"), ms("total_p99_us"),
                 ms("total_max_us"), j.value("delivered", nlohmann::json(0)).dump().c_str(),
                 j.value("missing", nlohmann::json(0)).dump().c_str(),
                 j.value("duplicates", nlohmann::json(0)).dump().c_str(),
                 j["ok"].get<bool>() ? "" : "  NOT OK");
  }
  if (j.contains("error")) std::fprintf(stderr, "  error: %s\n", j["error"].dump().c_str());
}

int Run(Options opt) {
  std::unique_ptr<WebhookReceiver> receiver;
  if (opt.cell != "steps") {
    receiver = std::make_unique<WebhookReceiver>(opt.receiver_threads);
    if (receiver->port() == 0) {
      std::fprintf(stderr, "alert_bench: the webhook receiver could not bind\n");
      return 2;
    }
    if (!opt.port_file.empty() &&
        !WriteAtomically(opt.port_file, std::to_string(receiver->port()) + "\n")) {
      std::fprintf(stderr, "alert_bench: cannot write %s\n", opt.port_file.c_str());
      return 2;
    }
  }
  if (!opt.go_file.empty() && !WaitForGo(opt)) {
    std::fprintf(stderr, "alert_bench: no %s within %.0f s\n", opt.go_file.c_str(), opt.go_timeout);
    return 2;
  }
  nlohmann::json result;
  if (opt.cell == "alertmanager") {
    result = RunAlertmanager(opt.alertmanager, *receiver, opt.load, opt.senders);
  } else {
    zmq::context_t ctx;
    const PicketBus bus{.ingest = opt.ingest, .replay = opt.replay, .site = opt.site};
    result = opt.cell == "e2e" ? RunPicketEndToEnd(ctx, bus, *receiver, opt.load)
                               : RunStepPrecision(ctx, bus, opt.steps);
  }
  std::printf("%s\n", result.dump().c_str());
  std::fflush(stdout);
  PrintHuman(result);
  return result["ok"].get<bool>() ? 0 : 1;
}

}  // namespace
}  // namespace picket::bench

int main(int argc, char** argv) {
  picket::bench::Options opt;
  CLI::App app{"Alert latency benchmark client: picket-escalation + picket-notify, Alertmanager"};
  app.add_option("--cell", opt.cell, "e2e, steps or alertmanager")
      ->required()
      ->check(CLI::IsMember({"e2e", "steps", "alertmanager"}));
  app.add_option("--ingest", opt.ingest, "the bus's ingest endpoint (picket cells)");
  app.add_option("--replay", opt.replay, "the bus's replay endpoint (picket cells)");
  app.add_option("--site", opt.site, "the site id of the bus");
  app.add_option("--alertmanager", opt.alertmanager, "Alertmanager's base URL");
  app.add_option("--port-file", opt.port_file, "write the webhook receiver's port here");
  app.add_option("--go-file", opt.go_file, "wait for this JSON file of endpoints, then run");
  app.add_option("--go-timeout", opt.go_timeout, "seconds to wait for --go-file");
  app.add_option("--label", opt.load.label, "free text copied into the report");
  app.add_option("--rate", opt.load.rate, "inputs per second (e2e, alertmanager)")
      ->check(CLI::Range(0.01, 100000.0));
  app.add_option("--seconds", opt.load.seconds, "seconds of sending (e2e, alertmanager)")
      ->check(CLI::Range(0.1, 3600.0));
  app.add_option("--warmup", opt.load.warmup, "inputs sent and waited for before measuring")
      ->check(CLI::Range(0, 100));
  app.add_option("--max-in-flight", opt.load.max_in_flight, "most unacked reports (e2e)")
      ->check(CLI::Range(size_t{1}, size_t{900}));
  app.add_option("--drain-timeout", opt.load.drain_timeout,
                 "seconds without a new webhook after which the cell stops waiting");
  app.add_option("--senders", opt.senders, "threads POSTing to Alertmanager")
      ->check(CLI::Range(1, 256));
  app.add_option("--receiver-threads", opt.receiver_threads, "webhook receiver threads")
      ->check(CLI::Range(size_t{1}, size_t{1024}));
  app.add_option("--incidents", opt.steps.incidents, "incidents to open (steps)")
      ->check(CLI::Range(uint64_t{1}, uint64_t{10000000}));
  app.add_option("--step-wait", opt.steps.wait_seconds, "the level wait in site.toml (steps)")
      ->check(CLI::Range(int64_t{1}, int64_t{86400}));
  app.add_option("--fire-timeout", opt.steps.fire_timeout,
                 "seconds after the last step is due to stop waiting for the rest (steps)");
  app.add_option("--timeout", opt.steps.timeout, "seconds for the whole steps cell");
  CLI11_PARSE(app, argc, argv);
  opt.steps.label = opt.load.label;
  return picket::bench::Run(opt);
}
