// access_bench: the client of scripts/bench-access (docs/benchmarks.md). Against a running
// picket-bus and picket-access:
//
//   1. setup: registers --people staff members, each with a pass (over picket-access's
//      command endpoint, pipelined), then scans --on-site of them in through the bus;
//   2. one latency cell per --rates entry: scans published at that rate for --seconds (at
//      least --min-count scans), each person in then out, one scan in 20 an unknown pass;
//      latency = the decision's recordedAt on the bus - the moment the scan was sent;
//   3. a sustained cell: --burst scans sent as fast as the bus acks them (a window of 512
//      in flight); scans/s = scans / (last decision's recordedAt - first scan's recordedAt).
//
// Decisions are matched to their scans by the decision's scanSeq (the seq the bus acked the
// scan with), read back through the replay endpoint after each cell. Every scan must get
// exactly one decision, the one expected. One JSON line per cell on stdout, a human line on
// stderr. Exit status 0 when every scan got its decision, 1 otherwise, 2 on bad flags.
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
#include "picket/schemas/access.capnp.h"
#include "picket/schemas/envelope.capnp.h"
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

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct Options {
  std::string ingest, replay, commands;
  int people = 100000;
  int on_site = 10000;
  std::vector<double> rates = {1, 100, 1000};
  double seconds = 10;
  int min_count = 30;
  int burst = 20000;
};

std::string PersonId(int i) { return "p" + std::to_string(i); }
std::string PassCode(int i) { return "PASS-" + std::to_string(i); }

// Sends every frame over one DEALER with up to `window` in flight; true if every reply is
// an AccessReply without error.
bool Pipeline(zmq::context_t& ctx, const std::string& endpoint,
              const std::vector<std::string>& frames, size_t window) {
  zmq::socket_t dealer(ctx, zmq::socket_type::dealer);
  dealer.set(zmq::sockopt::linger, 0);
  dealer.connect(endpoint);
  size_t sent = 0, answered = 0;
  bool ok = true;
  while (answered < frames.size()) {
    while (sent < frames.size() && sent - answered < window)
      dealer.send(zmq::buffer(frames[sent++]), zmq::send_flags::none);
    zmq::pollitem_t item{dealer.handle(), 0, ZMQ_POLLIN, 0};
    if (zmq::poll(&item, 1, std::chrono::milliseconds(30000)) == 0) {
      std::fprintf(stderr, "access_bench: no reply from picket-access within 30 s\n");
      return false;
    }
    zmq::message_t m;
    while (dealer.recv(m, zmq::recv_flags::dontwait)) {
      ++answered;
      std::string bytes = m.to_string(), why;
      auto msg = DecodedMessage::Decode(bytes, &why);
      auto r = msg ? msg->Root<wire::AccessReply>() : wire::AccessReply::Reader();
      if (!msg || r.getError() != wire::AccessError::NONE) {
        if (ok)
          std::fprintf(stderr, "access_bench: a setup command was refused: %s\n",
                       msg ? r.getMessage().cStr() : why.c_str());
        ok = false;
      }
    }
  }
  return ok;
}

std::string Command(const std::function<void(wire::AccessRequest::Builder)>& fill) {
  capnp::MallocMessageBuilder b;
  auto r = b.initRoot<wire::AccessRequest>();
  r.setActor("bench-admin");
  EventId id = EventId::Random();
  r.setCommandId(capnp::Data::Reader(reinterpret_cast<const capnp::byte*>(id.Bytes().data()), 16));
  fill(r);
  return Encode(b);
}

std::string ScanFrame(const std::string& code, bool in, const EventId& id) {
  EventSpec spec;
  spec.id = id;
  spec.site = "bench";
  spec.type = "terminal.pass_scanned";
  spec.producer = "gate-1-terminal";
  spec.actor = "guard-1";
  spec.observed_at = NowMicros();
  spec.body = [&](capnp::AnyPointer::Builder b) {
    auto s = b.initAs<wire::PassScanned>();
    s.setPost("gate-1");
    s.setPassCode(code);
    s.setDirection(in ? wire::Direction::IN : wire::Direction::OUT);
  };
  return testing::PublishFrame(spec);
}

// One scan sent: what it should get, and when it went.
struct Sent {
  int64_t sent_at = 0;
  std::string expect;  // "granted" or a deny reason
};

// Publishes scans and collects their acks. `next(k)` gives the k-th scan (code, in,
// expected); `pace` 0 = as fast as the window allows.
class Terminal {
 public:
  Terminal(zmq::context_t& ctx, const std::string& ingest)
      : socket_(ctx, zmq::socket_type::dealer) {
    socket_.set(zmq::sockopt::linger, 0);
    socket_.set(zmq::sockopt::sndhwm, 0);
    socket_.set(zmq::sockopt::rcvhwm, 0);
    socket_.connect(ingest);
  }

  struct Result {
    std::map<uint64_t, Sent> by_seq;
    size_t nacked = 0;
    bool timed_out = false;
  };

  template <typename Next>
  Result Run(int count, double rate, Next next) {
    Result out;
    std::map<EventId, Sent> pending;
    const auto start = Clock::now();
    int sent = 0;
    size_t acked = 0;
    auto deadline =
        Clock::now() + std::chrono::seconds(60) +
        std::chrono::milliseconds(rate > 0 ? static_cast<int64_t>(count * 1000 / rate) : 0);
    while (acked < static_cast<size_t>(count)) {
      if (Clock::now() > deadline) {
        out.timed_out = true;
        break;
      }
      auto due = rate > 0
                     ? start + std::chrono::microseconds(static_cast<int64_t>(sent * 1e6 / rate))
                     : Clock::now();
      bool can_send = sent < count && (rate > 0 ? Clock::now() >= due : pending.size() < 512);
      if (can_send) {
        auto [code, in, expect] = next(sent);
        EventId id = EventId::Random();
        std::string frame = ScanFrame(code, in, id);
        pending[id] = Sent{NowMicros(), expect};
        socket_.send(zmq::buffer(frame), zmq::send_flags::none);
        ++sent;
        continue;
      }
      int wait_ms = 5;
      if (rate > 0 && sent < count) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(due - Clock::now());
        wait_ms = static_cast<int>(std::max<int64_t>(0, std::min<int64_t>(left.count(), 5)));
      }
      zmq::pollitem_t item{socket_.handle(), 0, ZMQ_POLLIN, 0};
      zmq::poll(&item, 1, std::chrono::milliseconds(wait_ms));
      zmq::message_t m;
      while (socket_.recv(m, zmq::recv_flags::dontwait)) {
        Reply r = ParseReply(m.to_string());
        auto it = pending.find(r.id);
        if (it == pending.end()) continue;
        ++acked;
        if (r.kind == Reply::kAck)
          out.by_seq[r.seq] = it->second;
        else
          ++out.nacked;
        pending.erase(it);
      }
    }
    return out;
  }

 private:
  zmq::socket_t socket_;
};

struct Decisions {
  std::map<uint64_t, std::pair<std::string, int64_t>> by_scan;  // scanSeq -> (outcome, recordedAt)
  size_t doubled = 0;
  int64_t first_scan_recorded = 0;
};

// Reads the log from `from` until every scan in `scans` has a decision or `timeout` passes.
Decisions Collect(zmq::context_t& ctx, const std::string& replay, uint64_t from,
                  const std::map<uint64_t, Sent>& scans, std::chrono::seconds timeout) {
  Decisions d;
  auto deadline = Clock::now() + timeout;
  uint64_t next = from;
  while (true) {
    auto log = testing::ReplayAll(ctx, replay, next, std::chrono::milliseconds(30000));
    if (log) {
      for (const auto& e : *log) {
        next = e.seq + 1;
        if (scans.count(e.seq) &&
            (d.first_scan_recorded == 0 || e.recorded_at < d.first_scan_recorded))
          d.first_scan_recorded = e.recorded_at;
        if (e.type != "access.granted" && e.type != "access.denied") continue;
        std::string why;
        auto msg = DecodedMessage::Decode(e.event, &why);
        auto body = msg->Root<wire::Event>().getBody();
        uint64_t scan = 0;
        std::string outcome = "granted";
        if (e.type == "access.granted") {
          scan = body.getAs<wire::AccessGranted>().getScanSeq();
        } else {
          auto denied = body.getAs<wire::AccessDenied>();
          scan = denied.getScanSeq();
          outcome = denied.getReason().cStr();
        }
        if (!d.by_scan.emplace(scan, std::make_pair(outcome, e.recorded_at)).second) ++d.doubled;
      }
    }
    size_t found = 0;
    for (const auto& [seq, s] : scans) found += d.by_scan.count(seq);
    if (found == scans.size() || Clock::now() > deadline) return d;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

// Judges one cell and prints it; true if every scan got exactly its expected decision.
bool Report(const std::string& cell, double rate, const Terminal::Result& sent,
            const Decisions& d) {
  LatencyHistogram h;
  size_t missing = 0, wrong = 0;
  int64_t last_decision = 0;
  for (const auto& [seq, s] : sent.by_seq) {
    auto it = d.by_scan.find(seq);
    if (it == d.by_scan.end()) {
      ++missing;
      continue;
    }
    if (it->second.first != s.expect) ++wrong;
    last_decision = std::max(last_decision, it->second.second);
    h.Record(static_cast<uint64_t>(std::max<int64_t>(0, it->second.second - s.sent_at)) * 1000);
  }
  const double ms = 1e-6;
  nlohmann::json j = {{"cell", cell},
                      {"rate", rate},
                      {"scans", sent.by_seq.size()},
                      {"nacked", sent.nacked},
                      {"missing", missing},
                      {"wrong", wrong},
                      {"doubled", d.doubled},
                      {"p50_ms", h.ValueAtQuantile(0.5) * ms},
                      {"p99_ms", h.ValueAtQuantile(0.99) * ms},
                      {"max_ms", h.max() * ms}};
  if (cell == "sustained" && last_decision > d.first_scan_recorded) {
    j["scans_per_s"] = sent.by_seq.size() * 1e6 / (last_decision - d.first_scan_recorded);
  }
  std::printf("%s\n", j.dump().c_str());
  std::fflush(stdout);
  std::fprintf(
      stderr, "access_bench: %s %s: %zu scans, p50 %.2f ms, p99 %.2f ms, max %.2f ms%s\n",
      cell.c_str(), rate > 0 ? (std::to_string(static_cast<int>(rate)) + "/s").c_str() : "",
      sent.by_seq.size(), h.ValueAtQuantile(0.5) * ms, h.ValueAtQuantile(0.99) * ms, h.max() * ms,
      j.contains("scans_per_s")
          ? (", " + std::to_string(static_cast<int>(j["scans_per_s"].get<double>())) + " scans/s")
                .c_str()
          : "");
  bool ok = missing == 0 && wrong == 0 && d.doubled == 0 && sent.nacked == 0 && !sent.timed_out;
  if (!ok)
    std::fprintf(stderr, "access_bench: %s: %zu missing, %zu wrong, %zu doubled, %zu nacked%s\n",
                 cell.c_str(), missing, wrong, d.doubled, sent.nacked,
                 sent.timed_out ? ", timed out" : "");
  return ok;
}

int Run(const Options& o) {
  zmq::context_t ctx;
  const int64_t now = NowMicros();
  const int64_t year = 365LL * 24 * 3600 * 1'000'000;
  std::fprintf(stderr, "access_bench: registering %d people with a pass each\n", o.people);
  auto setup_start = Clock::now();
  std::vector<std::string> frames;
  frames.reserve(static_cast<size_t>(o.people) * 2);
  for (int i = 0; i < o.people; ++i) {
    frames.push_back(Command([&](wire::AccessRequest::Builder r) {
      auto p = r.initRegisterPerson();
      p.setPerson(PersonId(i));
      p.setName("Person " + std::to_string(i));
      p.setKind(wire::PassKind::STAFF);
    }));
    frames.push_back(Command([&](wire::AccessRequest::Builder r) {
      auto p = r.initIssuePass();
      p.setCode(PassCode(i));
      p.setPerson(PersonId(i));
      p.setValidFrom(now - 3600LL * 1'000'000);
      p.setValidUntil(now + year);
    }));
  }
  if (!Pipeline(ctx, o.commands, frames, 256)) return 1;
  frames.clear();
  double setup_s = std::chrono::duration<double>(Clock::now() - setup_start).count();
  std::fprintf(stderr, "access_bench: %d commands in %.1f s; now %d people on site\n", o.people * 2,
               setup_s, o.on_site);

  bool ok = true;
  Terminal terminal(ctx, o.ingest);
  // Everyone of [0, on_site) goes in and stays: the site has that many people on it.
  {
    auto sent = terminal.Run(o.on_site, 0, [&](int k) {
      return std::make_tuple(PassCode(k), true, std::string("granted"));
    });
    auto d =
        Collect(ctx, o.replay, sent.by_seq.begin()->first, sent.by_seq, std::chrono::seconds(120));
    ok = Report("fill", 0, sent, d) && ok;
  }
  // Scans of the people not on site, each in then out; after every 20 of those, one
  // unknown pass.
  int cursor = o.on_site;
  auto mixed = [&](int base, int k) {
    if (k % 21 == 20)
      return std::make_tuple("UNKNOWN-" + std::to_string(k), true, std::string("unknown_pass"));
    int j = k - k / 21;
    int person = base + (j / 2) % (o.people - base);
    return std::make_tuple(PassCode(person), j % 2 == 0, std::string("granted"));
  };
  for (double rate : o.rates) {
    int count = std::max(o.min_count, static_cast<int>(rate * o.seconds));
    const int base = cursor;
    auto sent = terminal.Run(count, rate, [&](int k) { return mixed(base, k); });
    cursor = std::min(o.people - 2, cursor + count / 2 + 2);
    if (sent.by_seq.empty()) return 1;
    auto d =
        Collect(ctx, o.replay, sent.by_seq.begin()->first, sent.by_seq, std::chrono::seconds(120));
    ok = Report("rate", rate, sent, d) && ok;
  }
  // Sustained: a burst of unknown passes and in/out pairs, as fast as acks come.
  {
    int base = cursor;
    auto sent = terminal.Run(o.burst, 0, [&](int k) {
      int person = base + (k / 2) % std::max(1, o.people - base);
      return std::make_tuple(PassCode(person), k % 2 == 0, std::string("granted"));
    });
    if (sent.by_seq.empty()) return 1;
    auto d =
        Collect(ctx, o.replay, sent.by_seq.begin()->first, sent.by_seq, std::chrono::seconds(300));
    ok = Report("sustained", 0, sent, d) && ok;
  }
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace picket::bench

int main(int argc, char** argv) {
  picket::bench::Options o;
  CLI::App app{"access_bench: gate decision latency and throughput of picket-access"};
  app.add_option("--ingest", o.ingest, "the bus's ingest endpoint")->required();
  app.add_option("--replay", o.replay, "the bus's replay endpoint")->required();
  app.add_option("--commands", o.commands, "picket-access's command endpoint")->required();
  app.add_option("--people", o.people, "people registered, each with a pass")
      ->check(CLI::Range(100, 10'000'000));
  app.add_option("--on-site", o.on_site, "of them, scanned in and left on site");
  app.add_option("--rates", o.rates, "scans per second of the latency cells");
  app.add_option("--seconds", o.seconds, "sending time per latency cell");
  app.add_option("--min-count", o.min_count, "at least this many scans per latency cell");
  app.add_option("--burst", o.burst, "scans of the sustained cell");
  CLI11_PARSE(app, argc, argv);
  if (o.on_site >= o.people) {
    std::fprintf(stderr, "access_bench: --on-site must be below --people\n");
    return 2;
  }
  return picket::bench::Run(o);
}
