// bus_bench: durable-ingest benchmark client for picket-bus and the peers a user would pick
// instead (Redis Streams, NATS JetStream). N publisher threads, each with its own connection
// and at most K events in flight, send events of a fixed size and time each one from send
// to ack. Prints one JSON line (stdout) and one human line (stderr) per run; the JSON line
// also has the CPU time this client used per acked event (its share of a shared machine).
//
//   bus_bench --target picket --endpoint tcp://127.0.0.1:7401 --publishers 8 --seconds 5
//   bus_bench --target redis  --endpoint 127.0.0.1:6379 --publishers 8 --events 100000
//   bus_bench --target nats   --endpoint nats://127.0.0.1:4222 --publishers 8 --seconds 5
//   bus_bench --target picket --endpoint tcp://127.0.0.1:7401 --key keys/bench.key
//             --server-key "<the bus's public key>"     (a bus on a site with [security])
//
// Exit status: 0 if every publisher ran to the end and no event was refused, 1 otherwise
// (the JSON line still says what was measured, with "ok": false and the first error), 2 on
// bad flags.
#include <nats/nats.h>
#include <sys/resource.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>
#include <zmq.hpp>

#include "nats_publisher.h"
#include "picket_publisher.h"
#include "publisher_tally.h"
#include "redis_publisher.h"

namespace picket::bench {
namespace {

struct BenchOptions {
  std::string target;
  std::string endpoint;
  std::string label;
  int publishers = 1;
  int in_flight = 16;
  uint64_t events = 0;
  double seconds = 5;
  double warmup = 1;
  size_t size = 200;
  std::string site = "bench";
  std::string stream = "BENCH";
  std::string subject = "bench.load";
  double drain_timeout = 10;
  int io_threads = 1;
  bool nats_send_asap = false;
  std::string key_file;    // picket on a site with [security]: this client's .key file
  std::string server_key;  // ... and the bus's public key (Z85)
};

constexpr Nanos kNanosPerSecond = 1'000'000'000;

Nanos SecondsToNanos(double s) { return static_cast<Nanos>(s * kNanosPerSecond); }

// Splits "host:port"; false if it is not one.
bool SplitHostPort(const std::string& endpoint, std::string* host, int* port) {
  const auto colon = endpoint.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  *host = endpoint.substr(0, colon);
  try {
    *port = std::stoi(endpoint.substr(colon + 1));
  } catch (const std::exception&) {
    return false;
  }
  return *port > 0 && *port < 65536;
}

struct Totals {
  LatencyHistogram latency;
  uint64_t sent = 0, acked = 0, measured = 0, failed = 0;
  Nanos last_ack = 0;
  bool ok = true;
  std::string first_error;
};

Totals Sum(const std::vector<std::unique_ptr<PublisherTally>>& tallies) {
  Totals t;
  for (const auto& one : tallies) {
    t.latency.Merge(one->latency());
    t.sent += one->sent();
    t.acked += one->acked();
    t.measured += one->measured();
    t.failed += one->failed();
    t.last_ack = std::max(t.last_ack, one->last_ack());
    if (one->broken() || one->failed() > 0) t.ok = false;
    if (t.first_error.empty()) t.first_error = one->first_error();
  }
  return t;
}

double Micros(uint64_t nanos) { return static_cast<double>(nanos) / 1000.0; }

// CPU time (user + system, all threads) this process has used so far, in microseconds.
double ProcessCpuMicros() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto micros = [](const timeval& t) { return static_cast<double>(t.tv_sec) * 1e6 + t.tv_usec; };
  return micros(usage.ru_utime) + micros(usage.ru_stime);
}

// `client_cpu_us`: the CPU this process used while publishing (warm-up and drain included).
void Report(const BenchOptions& opt, size_t wire_bytes, const Totals& t, Nanos window,
            double client_cpu_us) {
  const double seconds = static_cast<double>(window) / kNanosPerSecond;
  const double throughput = seconds > 0 ? static_cast<double>(t.measured) / seconds : 0;
  nlohmann::json j = {
      {"target", opt.target},
      {"label", opt.label},
      {"publishers", opt.publishers},
      {"in_flight", opt.in_flight},
      {"size", opt.size},
      {"wire_bytes", wire_bytes},
      {"window_s", seconds},
      {"sent", t.sent},
      {"acked", t.acked},
      {"measured", t.measured},
      {"failed", t.failed},
      {"throughput", throughput},
      {"p50_us", Micros(t.latency.ValueAtQuantile(0.5))},
      {"p99_us", Micros(t.latency.ValueAtQuantile(0.99))},
      {"p999_us", Micros(t.latency.ValueAtQuantile(0.999))},
      {"max_us", Micros(t.latency.max())},
      {"mean_us", t.latency.mean() / 1000.0},
      {"ok", t.ok},
      {"error", t.first_error},
      // Per answered event, over the whole run (every acked event, warm-up included).
      {"client_cpu_us_per_event", t.acked > 0 ? client_cpu_us / static_cast<double>(t.acked) : 0},
  };
  std::printf("%s\n", j.dump().c_str());
  std::fflush(stdout);
  std::fprintf(stderr,
               "%-6s %-12s pubs=%-3d in_flight=%-3d size=%zu: %9.0f events/s  p50 %8.1f us  "
               "p99 %8.1f us  p99.9 %8.1f us  max %8.1f us  (%llu acked in %.2f s, %llu "
               "failed)%s%s\n",
               opt.target.c_str(), opt.label.c_str(), opt.publishers, opt.in_flight, wire_bytes,
               throughput, Micros(t.latency.ValueAtQuantile(0.5)),
               Micros(t.latency.ValueAtQuantile(0.99)), Micros(t.latency.ValueAtQuantile(0.999)),
               Micros(t.latency.max()), static_cast<unsigned long long>(t.measured), seconds,
               static_cast<unsigned long long>(t.failed),
               t.ok ? "" : "  ERROR: ", t.first_error.c_str());
}

// One RunSchedule per publisher: the same window for all, the event count split evenly.
std::vector<RunSchedule> Plan(const BenchOptions& opt, Nanos start) {
  std::vector<RunSchedule> plans(opt.publishers);
  for (int i = 0; i < opt.publishers; ++i) {
    RunSchedule& p = plans[i];
    p.in_flight = opt.in_flight;
    p.drain_timeout = SecondsToNanos(opt.drain_timeout);
    if (opt.events > 0) {
      p.measure_from = start;
      p.quota =
          opt.events / opt.publishers + (static_cast<uint64_t>(i) < opt.events % opt.publishers);
    } else {
      p.measure_from = start + SecondsToNanos(opt.warmup);
      p.stop_sending = p.measure_from + SecondsToNanos(opt.seconds);
    }
  }
  return plans;
}

int Run(const BenchOptions& opt) {
  PicketTarget picket;
  picket.endpoint = opt.endpoint;
  picket.site = opt.site;
  picket.frame_bytes = opt.size;
  if (!opt.key_file.empty()) {
    std::string error;
    auto own = ReadKeyFile(opt.key_file, true, &error);
    if (!own) {
      std::fprintf(stderr, "bus_bench: %s\n", error.c_str());
      return 2;
    }
    if (!IsZ85Key(opt.server_key)) {
      std::fprintf(stderr, "bus_bench: --key needs --server-key, the bus's public key (Z85)\n");
      return 2;
    }
    picket.producer = own->name;  // the bus takes events only from the key's identity
    picket.curve = CurveClientKeys{*own, opt.server_key};
  }
  RedisTarget redis{.stream = opt.stream, .field_bytes = opt.size};
  NatsTarget nats{
      .url = opt.endpoint, .stream = opt.stream, .subject = opt.subject, .payload_bytes = opt.size};
  size_t wire_bytes = opt.size;
  std::unique_ptr<zmq::context_t> zmq_context;
  if (opt.target == "picket") {
    wire_bytes = PicketFrameBytes(picket);
    zmq_context = std::make_unique<zmq::context_t>(opt.io_threads);
  } else if (opt.target == "redis") {
    if (!SplitHostPort(opt.endpoint, &redis.host, &redis.port)) {
      std::fprintf(stderr, "bus_bench: --endpoint must be host:port for redis\n");
      return 2;
    }
  } else {
    std::string error;
    if (!EnsureNatsStream(nats, SecondsToNanos(opt.drain_timeout), &error)) {
      std::fprintf(stderr, "bus_bench: %s\n", error.c_str());
      return 1;
    }
  }

  const double cpu_at_start = ProcessCpuMicros();
  const Nanos start = SteadyNanos();
  std::vector<std::unique_ptr<PublisherTally>> tallies;
  for (const RunSchedule& plan : Plan(opt, start))
    tallies.push_back(std::make_unique<PublisherTally>(plan));
  std::vector<std::thread> threads;
  for (int i = 0; i < opt.publishers; ++i) {
    PublisherTally& tally = *tallies[i];
    threads.emplace_back([&, i] {
      if (opt.target == "picket") {
        RunPicketPublisher(*zmq_context, picket, i, tally);
      } else if (opt.target == "redis") {
        RunRedisPublisher(redis, tally);
      } else {
        RunNatsPublisher(nats, tally);
      }
    });
  }
  for (auto& t : threads) t.join();

  const Totals totals = Sum(tallies);
  const RunSchedule& first = tallies.front()->schedule();
  const Nanos window_end = opt.events > 0 ? totals.last_ack : first.stop_sending;
  Report(opt, wire_bytes, totals, window_end - first.measure_from,
         ProcessCpuMicros() - cpu_at_start);
  return totals.ok ? 0 : 1;
}

}  // namespace
}  // namespace picket::bench

int main(int argc, char** argv) {
  picket::bench::BenchOptions opt;
  CLI::App app{"Durable-ingest benchmark client: picket-bus, Redis Streams, NATS JetStream"};
  app.add_option("--target", opt.target, "picket, redis or nats")
      ->required()
      ->check(CLI::IsMember({"picket", "redis", "nats"}));
  app.add_option("--endpoint", opt.endpoint,
                 "picket: tcp://host:port of the ingest; redis: host:port; nats: nats://host:port")
      ->required();
  app.add_option("--publishers", opt.publishers, "concurrent publishers, one connection each")
      ->check(CLI::Range(1, 1000));
  app.add_option("--in-flight", opt.in_flight, "most unacknowledged events per publisher")
      ->check(CLI::Range(1, 900));
  auto* events = app.add_option("--events", opt.events, "total events to publish, then stop")
                     ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 40));
  auto* seconds = app.add_option("--seconds", opt.seconds, "measured seconds (default 5)")
                      ->check(CLI::Range(0.1, 3600.0));
  events->excludes(seconds);
  app.add_option("--warmup", opt.warmup, "seconds before measuring (--seconds only)")
      ->check(CLI::Range(0.0, 600.0))
      ->excludes(events);
  app.add_option("--size", opt.size,
                 "bytes per event: the whole publish frame for picket, the payload for the peers")
      ->check(CLI::Range(size_t{16}, size_t{60000}));
  app.add_option("--site", opt.site, "picket: the bus's site id");
  app.add_option("--stream", opt.stream, "redis: stream key; nats: stream name");
  app.add_option("--subject", opt.subject, "nats: subject");
  app.add_option("--label", opt.label, "free text copied into the report (e.g. the tier)");
  app.add_option("--drain-timeout", opt.drain_timeout,
                 "seconds without an answer after which a publisher gives up")
      ->check(CLI::Range(0.1, 600.0));
  app.add_option("--io-threads", opt.io_threads, "picket: ZeroMQ I/O threads")
      ->check(CLI::Range(1, 16));
  app.add_option("--key", opt.key_file,
                 "picket on a site with [security]: connect with this CURVE key file and "
                 "publish as its identity");
  app.add_option("--server-key", opt.server_key, "picket with --key: the bus's public key (Z85)");
  app.add_flag("--nats-send-asap", opt.nats_send_asap,
               "nats: write each publish at once instead of through libnats' flusher thread");
  CLI11_PARSE(app, argc, argv);

  // libnats keeps process-wide state (its own threads and timers): opened once, here.
  if (opt.target == "nats") nats_Open(-1);
  const int status = picket::bench::Run(opt);
  if (opt.target == "nats") nats_Close();
  return status;
}
