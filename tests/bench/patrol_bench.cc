// patrol_bench: the client of scripts/bench-patrol (docs/benchmarks.md, "Patrol deadlines
// and verdicts"). Against a running picket-bus and picket-patrol configured by the script
// (route "timed": one checkpoint, any order, leg_max 60 min, grace 0, at post
// "bench-timers"; route "walk": checkpoints W-1..W-100 in order, leg_min 0, leg_max 1 h,
// at post "bench-walk"):
//
//   1. timers: --deadlines rounds of "timed" are started, each by its own guard, with
//      observed times chosen so their end deadlines (start + 60 min) are spread evenly over
//      --spread seconds beginning --lead seconds after the start of the setup. Once
//      picket-patrol has taken every start (its patrol.round_started events are on the bus),
//      the deadlines that fall in the next --measure seconds are watched: each gives one
//      patrol.checkpoint_missed whose `deadline` is the due time. Reported: fired - due,
//      as the bus recorded the verdict (recordedAt - deadline) and as the service handled
//      the timer (its `lateness`), p50/p99/max, with every other deadline still pending;
//   2. one verdict cell per --rates entry: walkers (rounds of "walk", one guard each) are
//      started, then checkpoint scans are published at that rate for --seconds, each the
//      next checkpoint of a walker; latency = the verdict's recordedAt on the bus - the
//      moment the scan was sent. Every scan must be accepted exactly once.
//
// One JSON line per cell on stdout, a human line on stderr. Exit status 0 when every
// deadline and scan got exactly its verdict, 1 otherwise, 2 on bad flags.
#include <capnp/message.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <zmq.hpp>

#include "latency_histogram.h"
#include "picket/schemas/envelope.capnp.h"
#include "picket/schemas/patrol.capnp.h"
#include "picket/schemas/terminal.capnp.h"
#include "support/bus_probe.h"
#include "wire/codec.h"
#include "wire/event_id.h"

namespace picket::bench {
namespace {

using Clock = std::chrono::steady_clock;
using testing::EventSpec;
using testing::ParseReply;
using testing::Reply;

constexpr int64_t kSecond = 1'000'000;
constexpr int kWalkCheckpoints = 100;
constexpr int64_t kTimedLegMax = 3600 * kSecond;  // the script's route "timed"

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct Options {
  std::string ingest, replay;
  int deadlines = 100000;
  double spread = 3600;
  double lead = 90;
  double measure = 120;
  std::vector<double> rates = {100, 1000};
  double seconds = 10;
  int min_count = 100;
};

EventSpec Fact(const std::string& type, const std::string& guard, int64_t at,
               const std::function<void(capnp::AnyPointer::Builder)>& body) {
  EventSpec spec;
  spec.site = "bench";
  spec.type = type;
  spec.producer = "bench-terminal";
  spec.actor = guard;
  spec.observed_at = at;
  spec.body = body;
  return spec;
}

EventSpec StartFrame(const std::string& post, const std::string& route,
                       const std::string& guard, int64_t at) {
  return Fact("terminal.round_started", guard, at, [&](capnp::AnyPointer::Builder b) {
    auto s = b.initAs<wire::PatrolStart>();
    s.setPost(post);
    s.setRoute(route);
  });
}

EventSpec ScanFrame(const std::string& guard, const std::string& tag) {
  return Fact("terminal.checkpoint_scanned", guard, NowMicros(),
              [&](capnp::AnyPointer::Builder b) {
                auto s = b.initAs<wire::CheckpointScanned>();
                s.setPost("bench-walk");
                s.setTag(tag);
              });
}

// Publishes the events made by `make(k)`, at `rate` per second (0: as fast as 512 in flight
// allow), and waits for every ack. Returns the send time (µs) of each acked frame by its
// index, or nullopt if a publish was refused or acks stopped coming.
template <typename Make>
std::optional<std::vector<int64_t>> Publish(zmq::socket_t& socket, int count, double rate,
                                            Make make) {
  std::vector<int64_t> sent_at(static_cast<size_t>(count), 0);
  std::map<EventId, int> pending;
  const auto start = Clock::now();
  int sent = 0, acked = 0;
  auto last_progress = Clock::now();
  while (acked < count) {
    if (Clock::now() - last_progress > std::chrono::seconds(60)) {
      std::fprintf(stderr, "patrol_bench: no ack from the bus for 60 s\n");
      return std::nullopt;
    }
    auto due = rate > 0 ? start + std::chrono::microseconds(static_cast<int64_t>(sent * 1e6 / rate))
                        : Clock::now();
    if (sent < count && (rate > 0 ? Clock::now() >= due : pending.size() < 512)) {
      EventSpec spec = make(sent);
      std::string frame = testing::PublishFrame(spec);
      pending[spec.id] = sent;
      sent_at[static_cast<size_t>(sent)] = NowMicros();
      socket.send(zmq::buffer(frame), zmq::send_flags::none);
      ++sent;
      continue;
    }
    int wait_ms = 5;
    if (rate > 0 && sent < count) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(due - Clock::now());
      wait_ms = static_cast<int>(std::max<int64_t>(0, std::min<int64_t>(left.count(), 5)));
    }
    zmq::pollitem_t item{socket.handle(), 0, ZMQ_POLLIN, 0};
    zmq::poll(&item, 1, std::chrono::milliseconds(wait_ms));
    zmq::message_t m;
    while (socket.recv(m, zmq::recv_flags::dontwait)) {
      Reply r = ParseReply(m.to_string());
      auto it = pending.find(r.id);
      if (it == pending.end()) continue;
      if (r.kind != Reply::kAck) {
        std::fprintf(stderr, "patrol_bench: a publish was refused: %s\n", r.message.c_str());
        return std::nullopt;
      }
      pending.erase(it);
      ++acked;
      last_progress = Clock::now();
    }
  }
  return sent_at;
}

// Reads the log from `*next` on, handing each event to `fn`, until `done()` or `timeout`.
template <typename Fn, typename Done>
bool Follow(zmq::context_t& ctx, const std::string& replay, uint64_t* next, Fn fn, Done done,
            std::chrono::seconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (true) {
    auto log = testing::ReplayAll(ctx, replay, *next, std::chrono::milliseconds(30000));
    if (log) {
      for (const auto& e : *log) {
        *next = e.seq + 1;
        std::string why;
        auto msg = DecodedMessage::Decode(e.event, &why);
        if (msg) fn(e, msg->Root<wire::Event>());
      }
    }
    if (done()) return true;
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

void Print(const nlohmann::json& j) {
  std::printf("%s\n", j.dump().c_str());
  std::fflush(stdout);
}

bool TimerCell(zmq::context_t& ctx, zmq::socket_t& socket, const Options& o, uint64_t* next) {
  const int n = o.deadlines;
  const int64_t t0 = NowMicros();
  const int64_t first_due = t0 + static_cast<int64_t>(o.lead * kSecond);
  auto due_of = [&](int i) {
    return first_due + static_cast<int64_t>(static_cast<double>(i) * o.spread * kSecond / n);
  };
  std::fprintf(stderr, "patrol_bench: starting %d rounds, deadlines over %.0f s from +%.0f s\n",
               n, o.spread, o.lead);
  auto sent = Publish(socket, n, 0, [&](int i) {
    return StartFrame("bench-timers", "timed", "t" + std::to_string(i), due_of(i) - kTimedLegMax);
  });
  if (!sent) return false;
  int started = 0;
  Follow(
      ctx, o.replay, next,
      [&](const testing::LoggedEvent& e, wire::Event::Reader) {
        if (e.type == "patrol.round_started") ++started;
      },
      [&] { return started >= n; }, std::chrono::seconds(600));
  const int64_t taken = NowMicros();
  std::fprintf(stderr, "patrol_bench: picket-patrol took %d starts in %.1f s\n", started,
               (taken - t0) / 1e6);
  if (started < n) return false;
  // Watch the deadlines due from 5 s after the last start was taken, for --measure s.
  const int64_t from = std::max(first_due, taken + 5 * kSecond);
  const int64_t to = from + static_cast<int64_t>(o.measure * kSecond);
  if (to > due_of(n - 1)) {
    std::fprintf(stderr, "patrol_bench: the measured window ends after the last deadline\n");
    return false;
  }
  int expected = 0;
  for (int i = 0; i < n; ++i) expected += due_of(i) >= from && due_of(i) < to;
  LatencyHistogram on_bus, handled;
  std::map<int64_t, int> seen;  // deadline -> verdicts
  int in_window = 0;
  bool ok = Follow(
      ctx, o.replay, next,
      [&](const testing::LoggedEvent& e, wire::Event::Reader ev) {
        if (e.type != "patrol.checkpoint_missed") return;
        auto m = ev.getBody().getAs<wire::CheckpointMissed>();
        const int64_t due = m.getDeadline();
        if (++seen[due] > 1 || due < from || due >= to) return;
        ++in_window;
        on_bus.Record(static_cast<uint64_t>(std::max<int64_t>(0, e.recorded_at - due)) * 1000);
        handled.Record(static_cast<uint64_t>(std::max<int64_t>(0, m.getLateness())) * 1000);
      },
      [&] { return in_window >= expected && NowMicros() > to + 2 * kSecond; },
      std::chrono::seconds(static_cast<int64_t>(o.measure) + 120));
  size_t doubled = 0;
  for (const auto& [due, count] : seen) doubled += count > 1;
  const double ms = 1e-6;
  Print({{"cell", "timers"},
         {"pending", n},
         {"spread_s", o.spread},
         {"measured", in_window},
         {"expected", expected},
         {"doubled", doubled},
         {"on_bus_p50_ms", on_bus.ValueAtQuantile(0.5) * ms},
         {"on_bus_p99_ms", on_bus.ValueAtQuantile(0.99) * ms},
         {"on_bus_max_ms", on_bus.max() * ms},
         {"handled_p50_ms", handled.ValueAtQuantile(0.5) * ms},
         {"handled_p99_ms", handled.ValueAtQuantile(0.99) * ms},
         {"handled_max_ms", handled.max() * ms}});
  std::fprintf(stderr,
               "patrol_bench: timers: %d of %d deadlines in %.0f s with %d pending: fired - due "
               "on the bus p50 %.2f ms, p99 %.2f ms, max %.2f ms (handled p99 %.2f ms)\n",
               in_window, expected, o.measure, n, on_bus.ValueAtQuantile(0.5) * ms,
               on_bus.ValueAtQuantile(0.99) * ms, on_bus.max() * ms,
               handled.ValueAtQuantile(0.99) * ms);
  return ok && in_window == expected && doubled == 0;
}

bool VerdictCell(zmq::context_t& ctx, zmq::socket_t& socket, const Options& o, double rate,
                 int cell, uint64_t* next) {
  const int count = std::max(o.min_count, static_cast<int>(rate * o.seconds));
  const int walkers = (count + kWalkCheckpoints - 1) / kWalkCheckpoints;
  auto guard = [&](int w) { return "w" + std::to_string(cell) + "-" + std::to_string(w); };
  if (!Publish(socket, walkers, 0,
               [&](int w) { return StartFrame("bench-walk", "walk", guard(w), NowMicros()); }))
    return false;
  int started = 0;
  Follow(
      ctx, o.replay, next,
      [&](const testing::LoggedEvent& e, wire::Event::Reader ev) {
        if (e.type == "patrol.round_started" &&
            std::string(ev.getBody().getAs<wire::RoundStarted>().getRoute().cStr()) == "walk")
          ++started;
      },
      [&] { return started >= walkers; }, std::chrono::seconds(60));
  if (started < walkers) return false;
  // Scan k: walker k % walkers, its checkpoint k / walkers + 1.
  auto key = [&](int k) {
    return guard(k % walkers) + "|W-" + std::to_string(k / walkers + 1);
  };
  auto sent = Publish(socket, count, rate, [&](int k) {
    return ScanFrame(guard(k % walkers), "W-" + std::to_string(k / walkers + 1));
  });
  if (!sent) return false;
  std::map<std::string, int> index;
  for (int k = 0; k < count; ++k) index[key(k)] = k;
  std::map<int, int64_t> verdict_at;
  size_t doubled = 0, rejected = 0;
  Follow(
      ctx, o.replay, next,
      [&](const testing::LoggedEvent& e, wire::Event::Reader ev) {
        std::string k;
        if (e.type == "patrol.checkpoint_accepted") {
          auto a = ev.getBody().getAs<wire::CheckpointAccepted>();
          k = std::string(a.getGuard().cStr()) + "|" + a.getCheckpoint().cStr();
        } else if (e.type == "patrol.checkpoint_rejected") {
          auto r = ev.getBody().getAs<wire::CheckpointRejected>();
          k = std::string(r.getGuard().cStr()) + "|" + r.getCheckpoint().cStr();
          if (index.count(k)) ++rejected;
          return;
        } else {
          return;
        }
        auto it = index.find(k);
        if (it == index.end()) return;
        if (!verdict_at.emplace(it->second, e.recorded_at).second) ++doubled;
      },
      [&] { return verdict_at.size() + rejected >= static_cast<size_t>(count); },
      std::chrono::seconds(120));
  LatencyHistogram h;
  for (const auto& [k, at] : verdict_at)
    h.Record(static_cast<uint64_t>(std::max<int64_t>(0, at - (*sent)[static_cast<size_t>(k)])) *
             1000);
  const size_t missing = static_cast<size_t>(count) - verdict_at.size() - rejected;
  const double ms = 1e-6;
  Print({{"cell", "verdicts"},
         {"rate", rate},
         {"scans", count},
         {"walkers", walkers},
         {"missing", missing},
         {"rejected", rejected},
         {"doubled", doubled},
         {"p50_ms", h.ValueAtQuantile(0.5) * ms},
         {"p99_ms", h.ValueAtQuantile(0.99) * ms},
         {"max_ms", h.max() * ms}});
  std::fprintf(stderr,
               "patrol_bench: verdicts %.0f/s: %d scans, p50 %.2f ms, p99 %.2f ms, max %.2f ms%s\n",
               rate, count, h.ValueAtQuantile(0.5) * ms, h.ValueAtQuantile(0.99) * ms,
               h.max() * ms, missing + rejected + doubled ? " (NOT every scan accepted once)" : "");
  return missing == 0 && rejected == 0 && doubled == 0;
}

int Run(const Options& o) {
  zmq::context_t ctx;
  zmq::socket_t socket(ctx, zmq::socket_type::dealer);
  socket.set(zmq::sockopt::linger, 0);
  socket.set(zmq::sockopt::sndhwm, 0);
  socket.set(zmq::sockopt::rcvhwm, 0);
  socket.connect(o.ingest);
  uint64_t next = 1;
  bool ok = true;
  int cell = 0;
  for (double rate : o.rates) ok = VerdictCell(ctx, socket, o, rate, cell++, &next) && ok;
  ok = TimerCell(ctx, socket, o, &next) && ok;
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace picket::bench

int main(int argc, char** argv) {
  picket::bench::Options o;
  CLI::App app{"patrol_bench: deadline precision and verdict latency of picket-patrol"};
  app.add_option("--ingest", o.ingest, "the bus's ingest endpoint")->required();
  app.add_option("--replay", o.replay, "the bus's replay endpoint")->required();
  app.add_option("--deadlines", o.deadlines, "pending round deadlines")
      ->check(CLI::Range(100, 10'000'000));
  app.add_option("--spread", o.spread, "seconds the deadlines are spread over")
      ->check(CLI::Range(10.0, 86400.0));
  app.add_option("--lead", o.lead, "seconds from the setup's start to the first deadline")
      ->check(CLI::Range(5.0, 3000.0));
  app.add_option("--measure", o.measure, "seconds of deadlines watched")
      ->check(CLI::Range(1.0, 86400.0));
  app.add_option("--rates", o.rates, "scans per second of the verdict cells");
  app.add_option("--seconds", o.seconds, "sending time per verdict cell");
  app.add_option("--min-count", o.min_count, "at least this many scans per verdict cell");
  CLI11_PARSE(app, argc, argv);
  return picket::bench::Run(o);
}
