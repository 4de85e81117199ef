// bus-load: one publisher process for the multi-process tests. Publishes --count events
// with fresh ids as --producer, keeping --window of them in flight, resending any that is
// not acked within --resend-after-ms (same bytes, same id), until every one is acked or
// the --deadline-s passes (exit 3). Each ack is appended to --out as
// "<id hex> <seq> <duplicate 0|1>\n" and flushed, so a test can read what was acked even
// if this process is killed. Resends are counted in "<out>.resends" at the end. On a site
// with [security] it connects as a CURVE client: --key FILE (its .key file) and
// --server-key Z85 (the bus's public key).
#include <chrono>
#include <cstdio>
#include <cstring>
#include <deque>
#include <map>
#include <string>
#include <zmq.hpp>

#include "support/bus_probe.h"

using namespace picket;
using namespace picket::testing;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  std::string ingest, producer = "load", out_path, site = "test-site", key_file;
  CurveClientKeys curve;
  int count = 100, window = 16, resend_ms = 1000, deadline_s = 120;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--ingest")
      ingest = v;
    else if (k == "--producer")
      producer = v;
    else if (k == "--out")
      out_path = v;
    else if (k == "--site")
      site = v;
    else if (k == "--count")
      count = std::stoi(v);
    else if (k == "--window")
      window = std::stoi(v);
    else if (k == "--resend-after-ms")
      resend_ms = std::stoi(v);
    else if (k == "--key")
      key_file = v;
    else if (k == "--server-key")
      curve.server_public_key = v;
    else if (k == "--deadline-s")
      deadline_s = std::stoi(v);
    else {
      std::fprintf(stderr, "bus-load: unknown flag %s\n", k.c_str());
      return 2;
    }
  }
  if (ingest.empty() || out_path.empty()) {
    std::fprintf(stderr, "bus-load: --ingest and --out are required\n");
    return 2;
  }
  if (!key_file.empty()) {
    std::string error;
    auto own = ReadKeyFile(key_file, true, &error);
    if (!own) {
      std::fprintf(stderr, "bus-load: %s\n", error.c_str());
      return 2;
    }
    curve.own = *own;
  }
  if (curve.own.secret_key.empty() != curve.server_public_key.empty()) {
    std::fprintf(stderr, "bus-load: --key and --server-key go together\n");
    return 2;
  }
  FILE* out = std::fopen(out_path.c_str(), "a");
  if (!out) return 2;

  zmq::context_t ctx;
  IngestProbe probe(ctx, ingest, curve);
  struct InFlight {
    std::string frame;
    Clock::time_point sent;
  };
  std::map<EventId, InFlight> in_flight;
  int next = 0, acked = 0, resends = 0;
  auto deadline = Clock::now() + std::chrono::seconds(deadline_s);
  while (acked < count) {
    if (Clock::now() > deadline) {
      std::fprintf(stderr, "bus-load: deadline passed with %d of %d acked\n", acked, count);
      return 3;
    }
    while (next < count && static_cast<int>(in_flight.size()) < window) {
      EventSpec spec;
      spec.site = site;
      spec.producer = producer;
      spec.type = "load.event";
      std::string frame = PublishFrame(spec);
      probe.Send(frame);
      in_flight[spec.id] = InFlight{frame, Clock::now()};
      ++next;
    }
    if (auto frame = probe.Receive(std::chrono::milliseconds(50))) {
      Reply r = ParseReply(*frame);
      if (r.kind == Reply::kNack) {
        std::fprintf(stderr, "bus-load: nack %s: %s\n", r.code.c_str(), r.message.c_str());
        return 4;
      }
      auto it = in_flight.find(r.id);
      if (r.kind == Reply::kAck && it != in_flight.end()) {
        std::fprintf(out, "%s %llu %d\n", r.id.ToHex().c_str(),
                     static_cast<unsigned long long>(r.seq), r.duplicate ? 1 : 0);
        std::fflush(out);
        in_flight.erase(it);
        ++acked;
      }
    }
    auto now = Clock::now();
    for (auto& [id, f] : in_flight) {
      if (now - f.sent > std::chrono::milliseconds(resend_ms)) {
        probe.Send(f.frame);
        f.sent = now;
        ++resends;
      }
    }
  }
  std::fclose(out);
  FILE* r = std::fopen((out_path + ".resends").c_str(), "w");
  if (r) {
    std::fprintf(r, "%d\n", resends);
    std::fclose(r);
  }
  return 0;
}
