// console_fanout: the client of scripts/bench-console (docs/benchmarks.md). How long an
// alert recorded on the bus takes to reach the last of many live browsers.
//
//   console_fanout run --port P [--login L --password-file F] --ingest EP --site S
//                      [--clients 200] [--alerts 200] [--rate 10] [--label L]
//     opens --clients Server-Sent Events streams (sse_clients.h; with a login, one
//     picket-console session's cookie serves every stream, as tabs of one browser would),
//     waits until each has its hello, then publishes --alerts terminal.incident_reported at
//     --rate per second, each at a post of its own, so that picket-escalation opens an
//     incident and records escalation.alert_raised for each. For every alert: the latency
//     of each delivery (arrival at the client - the alert's recordedAt on the bus), of the
//     first and the last client to get it, and the spread between them (the fan-out
//     alone). One JSON line on stdout, a human line on stderr; exit 0
//     when every client got every alert within --timeout seconds after the last publish.
//
//   console_fanout peer --events EP --port-file F
//     the peer: a minimal SSE server pushing each alert from the bus's PUB endpoint
//     (sse_peer.h), until SIGTERM.
#include <httplib.h>
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>
#include <zmq.hpp>

#include "latency_histogram.h"
#include "picket/schemas/terminal.capnp.h"
#include "sse_clients.h"
#include "sse_peer.h"
#include "support/bus_probe.h"
#include "webhook_receiver.h"  // WallMicros

namespace picket::bench {
namespace {

using Steady = std::chrono::steady_clock;

struct RunOptions {
  int port = 0, clients = 200, alerts = 200;
  double rate = 10, timeout = 60;
  std::string login, password_file, ingest, site = "bench", label = "console";
};

std::atomic<bool> g_stop{false};
void OnSignal(int) { g_stop.store(true); }

// Logs in and returns the session cookie ("name=value"), or "" with *error.
std::string Login(int port, const std::string& login, const std::string& password_file,
                  std::string* error) {
  std::ifstream in(password_file);
  std::string password;
  std::getline(in, password);
  httplib::Client client("127.0.0.1", port);
  auto res =
      client.Post("/api/login", nlohmann::json{{"login", login}, {"password", password}}.dump(),
                  "application/json");
  if (!res || res->status != 200) {
    *error = "login failed: " +
             (res ? std::to_string(res->status) + " " + res->body : std::string("no answer"));
    return "";
  }
  std::string cookie = res->get_header_value("Set-Cookie");
  return cookie.substr(0, cookie.find(';'));
}

testing::EventSpec Report(const std::string& site, int i) {
  testing::EventSpec spec;
  spec.site = site;
  spec.type = "terminal.incident_reported";
  spec.producer = "terminal-bench";
  spec.actor = "guard-bench";
  spec.observed_at = WallMicros();
  const std::string post = "fanout-" + std::to_string(i);
  spec.body = [post](capnp::AnyPointer::Builder b) {
    auto r = b.initAs<wire::IncidentReported>();
    r.setPost(post);
    r.setKind("bench");
    r.setNote("fan-out benchmark");
  };
  return spec;
}

double Ms(uint64_t micros) { return static_cast<double>(micros) / 1000.0; }

int Run(const RunOptions& o) {
  std::string error, cookie;
  if (!o.login.empty()) {
    cookie = Login(o.port, o.login, o.password_file, &error);
    if (cookie.empty()) return std::fprintf(stderr, "console_fanout: %s\n", error.c_str()), 1;
  }
  SseClients clients;
  if (!clients.Open({.port = o.port, .cookie = cookie}, o.clients, &error))
    return std::fprintf(stderr, "console_fanout: %s\n", error.c_str()), 1;
  const auto ready_by = Steady::now() + std::chrono::seconds(30);
  while (clients.ready() + clients.failed() < o.clients && Steady::now() < ready_by)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  if (clients.ready() < o.clients)
    return std::fprintf(stderr, "console_fanout: %d of %d streams open (%s)\n", clients.ready(),
                        o.clients, clients.first_failure().c_str()),
           1;

  zmq::context_t ctx(1);
  testing::IngestProbe probe(ctx, o.ingest);
  const auto gap =
      std::chrono::duration_cast<Steady::duration>(std::chrono::duration<double>(1 / o.rate));
  auto next = Steady::now();
  for (int i = 0; i < o.alerts; ++i) {
    std::this_thread::sleep_until(next);
    next += gap;
    auto reply = probe.Publish(Report(o.site, i), std::chrono::seconds(10));
    if (!reply || reply->kind != testing::Reply::kAck)
      return std::fprintf(stderr, "console_fanout: the bus did not ack report %d\n", i), 1;
  }
  const auto done_by = Steady::now() + std::chrono::duration_cast<Steady::duration>(
                                           std::chrono::duration<double>(o.timeout));
  while (clients.min_alerts() < static_cast<size_t>(o.alerts) && clients.failed() == 0 &&
         Steady::now() < done_by)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  const int failed = clients.failed();
  const std::string failure = clients.first_failure();
  clients.Close();

  struct PerAlert {
    int64_t recorded_at = 0, first = INT64_MAX, last = 0;
    int got = 0;
  };
  std::map<uint64_t, PerAlert> alerts;
  LatencyHistogram every, last, first, spread;
  for (const auto& list : clients.deliveries())
    for (const Delivery& d : list) {
      PerAlert& a = alerts[d.seq];
      a.recorded_at = d.recorded_at;
      a.first = std::min(a.first, d.arrived_at);
      a.last = std::max(a.last, d.arrived_at);
      ++a.got;
      every.Record(static_cast<uint64_t>(std::max<int64_t>(0, d.arrived_at - d.recorded_at)) *
                   1000);
    }
  int complete = 0;
  for (const auto& [seq, a] : alerts) {
    if (a.got != o.clients) continue;
    ++complete;
    last.Record(static_cast<uint64_t>(std::max<int64_t>(0, a.last - a.recorded_at)) * 1000);
    first.Record(static_cast<uint64_t>(std::max<int64_t>(0, a.first - a.recorded_at)) * 1000);
    spread.Record(static_cast<uint64_t>(a.last - a.first) * 1000);
  }
  const bool ok =
      complete == o.alerts && alerts.size() == static_cast<size_t>(o.alerts) && failed == 0;
  auto ms = [](const LatencyHistogram& h, double q) { return Ms(h.ValueAtQuantile(q) / 1000); };
  nlohmann::json line = {{"label", o.label},
                         {"clients", o.clients},
                         {"alerts", o.alerts},
                         {"rate", o.rate},
                         {"alerts_seen", alerts.size()},
                         {"alerts_at_every_client", complete},
                         {"deliveries", every.count()},
                         {"last_client_p50_ms", ms(last, 0.5)},
                         {"last_client_p99_ms", ms(last, 0.99)},
                         {"last_client_max_ms", Ms(last.max() / 1000)},
                         {"first_client_p50_ms", ms(first, 0.5)},
                         {"first_client_p99_ms", ms(first, 0.99)},
                         {"spread_p50_ms", ms(spread, 0.5)},
                         {"spread_p99_ms", ms(spread, 0.99)},
                         {"delivery_p50_ms", ms(every, 0.5)},
                         {"delivery_p99_ms", ms(every, 0.99)},
                         {"ok", ok}};
  if (!failure.empty()) line["error"] = failure;
  std::printf("%s\n", line.dump().c_str());
  std::fprintf(stderr,
               "%s: %d clients, %d alerts at %.0f/s: last client p50 %.2f ms, p99 %.2f ms; "
               "first client p50 %.2f ms; first to last p50 %.2f ms, p99 %.2f ms; "
               "%d alerts reached every client%s%s\n",
               o.label.c_str(), o.clients, o.alerts, o.rate, ms(last, 0.5), ms(last, 0.99),
               ms(first, 0.5), ms(spread, 0.5), ms(spread, 0.99), complete,
               failure.empty() ? "" : "; ", failure.c_str());
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace picket::bench

int main(int argc, char** argv) {
  using namespace picket::bench;
  CLI::App app{"console_fanout: picket-console's SSE fan-out benchmark client and its peer"};
  app.require_subcommand(1);
  RunOptions run;
  auto* r = app.add_subcommand("run", "open the streams, publish alerts, measure");
  r->add_option("--port", run.port, "the SSE server's port on 127.0.0.1")->required();
  r->add_option("--login", run.login, "a picket-console login (none: the peer)");
  r->add_option("--password-file", run.password_file, "its password, first line");
  r->add_option("--ingest", run.ingest, "the bus's ingest endpoint")->required();
  r->add_option("--site", run.site, "the site id");
  r->add_option("--clients", run.clients, "streams")->check(CLI::Range(1, 10000));
  r->add_option("--alerts", run.alerts, "alerts to publish")->check(CLI::Range(1, 1000000));
  r->add_option("--rate", run.rate, "alerts per second")->check(CLI::Range(0.1, 100000.0));
  r->add_option("--timeout", run.timeout, "seconds to wait after the last publish");
  r->add_option("--label", run.label, "the cell's name");
  SsePeerOptions peer;
  auto* p = app.add_subcommand("peer", "the minimal SSE server (until SIGTERM)");
  p->add_option("--events", peer.events, "the bus's PUB endpoint")->required();
  p->add_option("--port-file", peer.port_file, "where to write the port")->required();
  CLI11_PARSE(app, argc, argv);
  if (*p) {
    std::signal(SIGTERM, OnSignal);
    std::signal(SIGINT, OnSignal);
    return RunSsePeer(peer, g_stop);
  }
  return Run(run);
}
