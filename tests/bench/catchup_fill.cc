// catchup_fill: the client of scripts/bench-catchup (docs/benchmarks.md, "Catch-up"). Two
// subcommands:
//
//   catchup_fill fill --ingest EP --site S --reports N [--posts 50] [--kinds a,b,c]
//                     [--squads 5] [--connections 8] [--window 128] [--mix reports|scoring]
//     Records a site's backlog on a fresh bus as fast as the bus takes it: first the duty
//     roster (shift.started for a duty officer at "hq" and one squad leader per squad, one
//     at a time, so they come first in the log), then N terminal.incident_reported events
//     over --connections DEALERs, each keeping --window publishes in flight. Each report's
//     post ("post-NN") and kind are drawn from a fixed-seed generator per connection, so
//     every run records the same reports (only their interleaving varies); with grouping
//     by "{post}" per kind, most reports join an open incident, as in a flood. Prints one JSON
//     line: reports, shifts, seconds, rate, head_seq (the bus's head afterwards, from
//     BusRequest.status), first/last report seq. With --mix scoring the N events are
//     instead the verdicts picket-scoring scores (ScoringEvent), for scripts/bench-scoring.
//
//   catchup_fill watch --metrics HOST:PORT --target SEQ --pid PID --since EPOCH_S
//                      [--bus-pid PID] [--bus-metrics HOST:PORT] [--interval-ms 25]
//                      [--timeout-s 900] [--drain]
//     Polls a service's /metrics (one kept-alive connection) until
//     picket_service_events_applied_total >= SEQ (its store started empty, so that is
//     applied_seq, counted only once the batch holding SEQ is written). Prints one JSON
//     line: seconds from --since (a CLOCK_REALTIME time in seconds, e.g. bash's
//     $EPOCHREALTIME taken just before the service was started) to then, the service's CPU
//     (utime + stime of /proc/PID/stat) at that moment, also by thread name, the bus's CPU
//     between this watcher's start and then, the catch-up batches, and the publisher's
//     counters. With --drain it then waits until the service's outbox has drained
//     (picket_publisher_pending 0) and it has applied up to the bus head, twice in a row,
//     and adds those figures.
//
// Exit status: 0 done, 1 failure or timeout (the JSON line says what), 2 bad flags.
#include <httplib.h>
#include <signal.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>
#include <zmq.hpp>

#include "picket/schemas/access.capnp.h"
#include "picket/schemas/escalation.capnp.h"
#include "picket/schemas/patrol.capnp.h"
#include "picket/schemas/roster.capnp.h"
#include "picket/schemas/terminal.capnp.h"
#include "support/bus_probe.h"

namespace picket::bench {
namespace {

using Steady = std::chrono::steady_clock;
using std::chrono::milliseconds;
using testing::EventSpec;

int64_t WallMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

double SecondsSince(Steady::time_point t) {
  return std::chrono::duration<double>(Steady::now() - t).count();
}

std::vector<std::string> SplitComma(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

std::string PostName(int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "post-%02d", i + 1);
  return buf;
}

// --- fill ------------------------------------------------------------------------------------

struct FillOptions {
  std::string ingest, site = "bench";
  uint64_t reports = 1'000'000;
  int posts = 50, squads = 5, connections = 8, window = 128;
  std::string kinds = "intrusion,tailgating,fire_alarm,equipment_fault";
  // "reports": terminal.incident_reported (picket-escalation's backlog); "scoring": the
  // verdicts picket-scoring's default rules score (ScoringEvent).
  std::string mix = "reports";
  double timeout_s = 900;
};

// Event `index` of the scoring mix at `post`, published as its owner would: of every 20,
// 12 checkpoint_accepted (10 on time), 2 checkpoint_missed, 2 round_completed, 2
// visitor_checked_out, 1 unregistered_entry, 1 incident_acknowledged (fast). Round, visit
// and incident ids come from the index, so no `once` key repeats and every event earns.
EventSpec ScoringEvent(uint64_t index, const std::string& post) {
  EventSpec spec;
  const std::string guard = "guard-" + post;
  const auto id = static_cast<uint64_t>(index + 1);
  spec.observed_at = WallMicros();
  spec.actor = guard;
  switch (index % 20) {
    case 12:
    case 13:
      spec.type = "patrol.checkpoint_missed";
      spec.producer = "patrol";
      spec.body = [=](capnp::AnyPointer::Builder b) {
        auto m = b.initAs<wire::CheckpointMissed>();
        m.setPost(post), m.setGuard(guard), m.setRound(id), m.setCheckpoint("CP-1");
      };
      break;
    case 14:
    case 15:
      spec.type = "patrol.round_completed";
      spec.producer = "patrol";
      spec.body = [=](capnp::AnyPointer::Builder b) {
        auto c = b.initAs<wire::RoundCompleted>();
        c.setPost(post), c.setGuard(guard), c.setRound(id), c.setOnTime(3);
      };
      break;
    case 16:
    case 17:
      spec.type = "access.visitor_checked_out";
      spec.producer = "access";
      spec.body = [=](capnp::AnyPointer::Builder b) {
        auto c = b.initAs<wire::VisitorCheckedOut>();
        c.setPost(post), c.setPerson("visitor"), c.setVisit(id);
      };
      break;
    case 18:
      spec.type = "access.unregistered_entry";
      spec.producer = "access";
      spec.body = [=](capnp::AnyPointer::Builder b) {
        auto u = b.initAs<wire::UnregisteredEntry>();
        u.setPost(post), u.setPerson("walk-in"), u.setVisit(id);
      };
      break;
    case 19:
      spec.type = "escalation.incident_acknowledged";
      spec.producer = "escalation";
      spec.body = [=](capnp::AnyPointer::Builder b) {
        auto a = b.initAs<wire::IncidentAcknowledged>();
        a.setIncident(id), a.setVersion(2), a.setResponseTime(30'000'000);
      };
      break;
    default:
      spec.type = "patrol.checkpoint_accepted";
      spec.producer = "patrol";
      spec.body = [=](capnp::AnyPointer::Builder b) {
        auto a = b.initAs<wire::CheckpointAccepted>();
        a.setPost(post), a.setGuard(guard), a.setRound(id), a.setCheckpoint("CP-1");
        a.setOnTime(index % 20 < 10);
      };
  }
  return spec;
}

EventSpec Shift(const std::string& person, const std::string& post, const std::string& role) {
  EventSpec spec;
  spec.type = "shift.started";
  spec.producer = "console";
  spec.actor = person;
  spec.observed_at = WallMicros();
  spec.body = [=](capnp::AnyPointer::Builder b) {
    auto s = b.initAs<wire::ShiftStarted>();
    s.setPerson(person);
    s.setPost(post);
    s.setRole(role);
  };
  return spec;
}

struct ConnectionResult {
  uint64_t acked = 0, first_seq = UINT64_MAX, last_seq = 0;
  std::string error;
};

// Publishes reports [begin, end) of the fixed sequence on one DEALER.
void RunConnection(zmq::context_t& ctx, const FillOptions& o, const std::vector<std::string>& kinds,
                   uint64_t begin, uint64_t end, Steady::time_point deadline,
                   ConnectionResult* result) {
  testing::IngestProbe probe(ctx, o.ingest);
  // Per report: post and kind from a generator seeded by its index range, so a run is
  // reproducible whatever the interleaving of the connections.
  std::mt19937_64 rng(0x9e3779b97f4a7c15ULL ^ begin);
  std::uniform_int_distribution<int> post_of(0, o.posts - 1);
  std::uniform_int_distribution<size_t> kind_of(0, kinds.size() - 1);
  uint64_t next = begin, in_flight = 0;
  while (result->acked < end - begin) {
    while (next < end && in_flight < static_cast<uint64_t>(o.window)) {
      const std::string post = PostName(post_of(rng));
      const std::string kind = kinds[kind_of(rng)];
      EventSpec spec;
      if (o.mix == "scoring") {
        spec = ScoringEvent(next, post);
      } else {
        spec.type = "terminal.incident_reported";
        spec.producer = "terminal-" + post;
        spec.actor = "guard-" + post;
        spec.observed_at = WallMicros();
        spec.body = [&](capnp::AnyPointer::Builder b) {
          auto r = b.initAs<wire::IncidentReported>();
          r.setPost(post);
          r.setKind(kind);
          r.setNote("reported by the terminal at " + post);
        };
      }
      spec.site = o.site;
      probe.Send(testing::PublishFrame(spec));
      ++next;
      ++in_flight;
    }
    auto frame = probe.Receive(milliseconds(100));
    for (; frame; frame = probe.Receive(milliseconds(0))) {
      testing::Reply r = testing::ParseReply(*frame);
      if (r.kind != testing::Reply::kAck) {
        result->error = r.kind == testing::Reply::kNack ? "nack " + r.code + ": " + r.message
                                                        : "an answer that is not an ack";
        return;
      }
      ++result->acked;
      --in_flight;
      result->first_seq = std::min(result->first_seq, r.seq);
      result->last_seq = std::max(result->last_seq, r.seq);
      if (result->acked == end - begin) break;
    }
    if (Steady::now() > deadline) {
      result->error = "timeout with " + std::to_string(result->acked) + " of " +
                      std::to_string(end - begin) + " acked";
      return;
    }
  }
}

int RunFill(const FillOptions& o) {
  nlohmann::ordered_json out = {{"reports", o.reports}, {"ok", false}};
  const auto kinds = SplitComma(o.kinds);
  if (o.mix != "reports" && o.mix != "scoring") {
    std::fprintf(stderr, "catchup_fill: --mix is reports or scoring\n");
    return 2;
  }
  if (kinds.empty() || o.posts < 1 || o.squads < 1 || o.connections < 1 || o.window < 1) {
    std::fprintf(stderr,
                 "catchup_fill: --kinds, --posts, --squads, --connections and --window "
                 "must not be empty or zero\n");
    return 2;
  }
  zmq::context_t ctx;
  const auto deadline = Steady::now() + std::chrono::duration_cast<Steady::duration>(
                                            std::chrono::duration<double>(o.timeout_s));

  // The roster: the duty officer at hq, one squad leader per squad (at its first post).
  std::vector<EventSpec> shifts = {Shift("otto", "hq", "duty_officer")};
  const int per_squad = (o.posts + o.squads - 1) / o.squads;
  for (int s = 0; s < o.squads && s * per_squad < o.posts; ++s)
    shifts.push_back(
        Shift("lead-" + std::to_string(s + 1), PostName(s * per_squad), "squad_leader"));
  {
    testing::IngestProbe probe(ctx, o.ingest);
    for (auto& spec : shifts) {
      spec.site = o.site;
      auto r = probe.Publish(spec, milliseconds(10000));
      if (!r || r->kind != testing::Reply::kAck) {
        out["error"] = "a shift.started was not acked";
        std::printf("%s\n", out.dump().c_str());
        return 1;
      }
    }
  }

  const auto start = Steady::now();
  std::vector<ConnectionResult> results(o.connections);
  std::vector<std::thread> threads;
  for (int c = 0; c < o.connections; ++c) {
    const uint64_t begin = o.reports * c / o.connections;
    const uint64_t end = o.reports * (c + 1) / o.connections;
    threads.emplace_back(RunConnection, std::ref(ctx), std::cref(o), std::cref(kinds), begin, end,
                         deadline, &results[c]);
  }
  for (auto& t : threads) t.join();
  const double seconds = SecondsSince(start);

  uint64_t acked = 0, first = UINT64_MAX, last = 0;
  std::string error;
  for (const auto& r : results) {
    acked += r.acked;
    if (r.acked > 0) first = std::min(first, r.first_seq);
    last = std::max(last, r.last_seq);
    if (error.empty()) error = r.error;
  }
  auto status = testing::QueryStatus(ctx, o.ingest, milliseconds(10000));
  out["shifts"] = shifts.size();
  out["acked"] = acked;
  out["seconds"] = seconds;
  out["rate"] = seconds > 0 ? acked / seconds : 0;
  out["first_report_seq"] = acked > 0 ? first : 0;
  out["last_report_seq"] = last;
  out["head_seq"] = status ? status->head_seq : 0;
  out["ok"] = error.empty() && acked == o.reports && status.has_value();
  if (!error.empty()) out["error"] = error;
  if (!status) out["error"] = "the bus did not answer a status request";
  std::printf("%s\n", out.dump().c_str());
  return out["ok"].get<bool>() ? 0 : 1;
}

// --- watch -----------------------------------------------------------------------------------

struct WatchOptions {
  std::string metrics, bus_metrics;
  uint64_t target = 0;
  int pid = 0, bus_pid = 0;
  double since = 0;
  int interval_ms = 25;
  double timeout_s = 900;
  bool drain = false;
};

// utime + stime of one /proc/.../stat line, in seconds.
std::optional<double> CpuSecondsOfStat(const std::string& line) {
  const auto paren = line.rfind(')');
  if (paren == std::string::npos) return std::nullopt;
  std::istringstream fields(line.substr(paren + 2));
  std::string f;
  unsigned long long utime = 0, stime = 0;
  // After the command: state is field 3; utime and stime are fields 14 and 15.
  for (int i = 3; i <= 15 && fields >> f; ++i) {
    if (i == 14) utime = std::stoull(f);
    if (i == 15) stime = std::stoull(f);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// utime + stime of a process (all its threads), in seconds; nullopt if it cannot be read.
std::optional<double> CpuSeconds(int pid) {
  if (pid <= 0) return std::nullopt;
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return std::nullopt;
  return CpuSecondsOfStat(line);
}

// CPU seconds (utime + stime) of each thread of a process, summed by thread name (the
// loop thread has the process's name; RocksDB's are rocksdb:low / rocksdb:high, ZeroMQ's
// ZMQbg/...).
nlohmann::ordered_json ThreadCpu(int pid) {
  std::map<std::string, double> by_name;
  std::error_code ec;
  const std::string dir = "/proc/" + std::to_string(pid) + "/task";
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    std::ifstream in(entry.path() / "stat");
    std::string line;
    if (!std::getline(in, line)) continue;
    const auto open = line.find('('), close = line.rfind(')');
    if (open == std::string::npos || close == std::string::npos) continue;
    const int tid = std::atoi(entry.path().filename().c_str());
    if (auto cpu = CpuSecondsOfStat(line))
      by_name[line.substr(open + 1, close - open - 1) + (tid == pid ? " (main)" : "")] += *cpu;
  }
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (const auto& [name, cpu] : by_name) out[name] = std::round(cpu * 100) / 100;
  return out;
}

// A /metrics endpoint read over one kept-alive connection: name (without labels) -> value
// (the first sample of that name).
class MetricsReader {
 public:
  explicit MetricsReader(const std::string& host_port) {
    const auto colon = host_port.rfind(':');
    host_ = host_port.substr(0, colon);
    port_ = std::stoi(host_port.substr(colon + 1));
    client_ = std::make_unique<httplib::Client>(host_, port_);
    client_->set_keep_alive(true);
    client_->set_connection_timeout(1, 0);
    client_->set_read_timeout(5, 0);
  }
  std::optional<std::map<std::string, double>> Read() {
    auto res = client_->Get("/metrics");
    if (!res || res->status != 200) return std::nullopt;
    std::map<std::string, double> out;
    std::istringstream in(res->body);
    for (std::string line; std::getline(in, line);) {
      if (line.empty() || line[0] == '#') continue;
      const auto space = line.rfind(' ');
      if (space == std::string::npos) continue;
      std::string name = line.substr(0, std::min(line.find('{'), space));
      out.emplace(name, std::strtod(line.c_str() + space + 1, nullptr));
    }
    return out;
  }

 private:
  std::string host_;
  int port_ = 0;
  std::unique_ptr<httplib::Client> client_;
};

double Value(const std::map<std::string, double>& m, const std::string& name) {
  auto it = m.find(name);
  return it == m.end() ? 0 : it->second;
}

int RunWatch(const WatchOptions& o) {
  nlohmann::ordered_json out = {{"target_seq", o.target}, {"ok", false}};
  MetricsReader service(o.metrics);
  std::optional<MetricsReader> bus;
  if (!o.bus_metrics.empty()) bus.emplace(o.bus_metrics);
  const auto bus_cpu_start = CpuSeconds(o.bus_pid);
  const auto deadline = Steady::now() + std::chrono::duration_cast<Steady::duration>(
                                            std::chrono::duration<double>(o.timeout_s));
  auto since_start = [&] { return static_cast<double>(WallMicros()) / 1e6 - o.since; };
  auto fail = [&](const std::string& why) {
    out["error"] = why;
    std::printf("%s\n", out.dump().c_str());
    return 1;
  };
  // Progress, about once a second: [seconds since start, events applied].
  nlohmann::json progress = nlohmann::json::array();
  double next_sample = 0;
  std::map<std::string, double> m;
  bool seen = false;
  while (true) {
    if (Steady::now() > deadline) return fail("timeout: not caught up");
    if (kill(o.pid, 0) != 0) return fail("the service exited");
    if (auto read = service.Read()) {
      m = std::move(*read);
      seen = true;
      const double t = since_start();
      const double applied = Value(m, "picket_service_events_applied_total");
      if (t >= next_sample) {
        progress.push_back({std::round(t * 1000) / 1000, applied});
        next_sample = std::floor(t) + 1;
      }
      if (applied >= static_cast<double>(o.target)) {
        const auto cpu = CpuSeconds(o.pid);
        const auto bus_cpu = CpuSeconds(o.bus_pid);
        out["seconds"] = t;
        out["events_applied"] = applied;
        out["applied_seq"] = Value(m, "picket_subscriber_applied_seq");
        out["catch_up_batches"] = Value(m, "picket_service_catch_up_batches_total");
        out["replayed_events"] = Value(m, "picket_subscriber_replayed_events_total");
        out["timers_fired"] = Value(m, "picket_service_timers_fired_total");
        out["apply_failures"] = Value(m, "picket_service_apply_failures_total");
        out["derived_acked_at_catch_up"] = Value(m, "picket_publisher_acked_total");
        out["derived_pending_at_catch_up"] = Value(m, "picket_publisher_pending");
        out["cpu_s"] = cpu ? *cpu : -1;
        out["cpu_s_by_thread"] = ThreadCpu(o.pid);
        out["bus_cpu_s"] = bus_cpu && bus_cpu_start ? *bus_cpu - *bus_cpu_start : -1;
        break;
      }
    } else if (seen) {
      return fail("the service's /metrics stopped answering");
    }
    std::this_thread::sleep_for(milliseconds(o.interval_ms));
  }
  progress.push_back({out["seconds"], out["events_applied"]});
  out["progress"] = progress;
  out["ok"] = true;
  if (o.drain) {
    // Drained: nothing pending in the publisher and everything on the bus applied, seen on
    // two reads in a row (the head may still move while the last acks arrive).
    int quiet = 0;
    while (quiet < 2) {
      if (Steady::now() > deadline) {
        out["ok"] = false;
        out["error"] = "timeout while draining the outbox";
        break;
      }
      std::this_thread::sleep_for(milliseconds(std::max(o.interval_ms, 100)));
      auto read = service.Read();
      std::optional<std::map<std::string, double>> b;
      if (bus) b = bus->Read();
      if (!read || (bus && !b)) continue;
      const double head = b ? Value(*b, "picket_bus_head_seq") : 0;
      const bool done = Value(*read, "picket_publisher_pending") == 0 &&
                        (!bus || Value(*read, "picket_subscriber_applied_seq") >= head);
      quiet = done ? quiet + 1 : 0;
      if (done) {
        out["drained_seconds"] = since_start();
        out["drained_head_seq"] = head;
        out["derived_acked"] = Value(*read, "picket_publisher_acked_total");
        out["derived_duplicates"] = Value(*read, "picket_publisher_duplicates_total");
        out["derived_nacked"] = Value(*read, "picket_publisher_nacked_total");
        out["drained_events_applied"] = Value(*read, "picket_service_events_applied_total");
        out["drained_catch_up_batches"] = Value(*read, "picket_service_catch_up_batches_total");
        out["drained_live_events"] = Value(*read, "picket_subscriber_live_events_total");
        out["drained_timers_fired"] = Value(*read, "picket_service_timers_fired_total");
        const auto cpu = CpuSeconds(o.pid);
        out["drained_cpu_s"] = cpu ? *cpu : -1;
      }
    }
  }
  std::printf("%s\n", out.dump().c_str());
  return out["ok"].get<bool>() ? 0 : 1;
}

}  // namespace
}  // namespace picket::bench

int main(int argc, char** argv) {
  using namespace picket::bench;
  CLI::App app{
      "catchup_fill: fills a bus with a backlog of reports, and watches a service catch up"};
  app.require_subcommand(1);
  FillOptions f;
  auto* fill = app.add_subcommand("fill", "record N terminal.incident_reported events");
  fill->add_option("--ingest", f.ingest, "the bus's ingest endpoint")->required();
  fill->add_option("--site", f.site, "the site id");
  fill->add_option("--reports", f.reports, "how many reports");
  fill->add_option("--posts", f.posts, "posts post-01 .. post-NN");
  fill->add_option("--squads", f.squads, "squads (one squad leader each)");
  fill->add_option("--kinds", f.kinds, "report kinds, comma-separated");
  fill->add_option("--mix", f.mix,
                   "reports (default) or scoring (patrol/access/escalation verdicts)");
  fill->add_option("--connections", f.connections, "DEALERs, one thread each");
  fill->add_option("--window", f.window, "publishes in flight per connection");
  fill->add_option("--timeout-s", f.timeout_s, "give up after this");
  WatchOptions w;
  auto* watch = app.add_subcommand("watch", "time a service's catch-up to a sequence number");
  watch->add_option("--metrics", w.metrics, "the service's /metrics host:port")->required();
  watch->add_option("--target", w.target, "caught up once this many events are applied")
      ->required();
  watch->add_option("--pid", w.pid, "the service's pid")->required();
  watch->add_option("--since", w.since, "the service's start (CLOCK_REALTIME seconds)")->required();
  watch->add_option("--bus-pid", w.bus_pid, "the bus's pid (for its CPU)");
  watch->add_option("--bus-metrics", w.bus_metrics, "the bus's /metrics host:port (for --drain)");
  watch->add_option("--interval-ms", w.interval_ms, "poll interval");
  watch->add_option("--timeout-s", w.timeout_s, "give up after this");
  watch->add_flag("--drain", w.drain, "then wait until the outbox has drained");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (fill->parsed()) return RunFill(f);
  return RunWatch(w);
}
