// The peer of the console fan-out benchmark (scripts/bench-console, docs/benchmarks.md): a
// minimal Server-Sent Events server that pushes every escalation.alert_raised the bus
// publishes to every connected client, as it arrives.
//
// One thread, one poll loop over the bus's PUB endpoint (a SUB socket subscribed to
// "escalation.alert_raised"), the listening socket and the clients. Any GET gets
// `200 text/event-stream` (no session, no chunking: the body runs until the connection
// closes), a hello, then for each alert
//
//   id: <seq>
//   event: alert
//   data: {"seq": <seq>, "at": <recordedAt>}
//
// written to every client without blocking (what a socket does not take now is kept and
// sent when it can). No store, no read model, no thread per client: what is left is what
// any fan-out must do, which is what the console is compared with.
#pragma once

#include <atomic>
#include <string>

namespace picket::bench {

struct SsePeerOptions {
  std::string events;     // the bus's PUB endpoint
  std::string port_file;  // where the bound port is written (127.0.0.1, any free port)
};

// Runs until `stop` is set. Returns 0, or 1 with a message on stderr.
int RunSsePeer(const SsePeerOptions& options, const std::atomic<bool>& stop);

}  // namespace picket::bench
