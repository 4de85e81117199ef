// A raw client of the picket-bus protocol for tests: builds events byte by byte, sends
// any frame (good or bad) and reads the log back through replay. It deliberately does not
// use the runtime's publisher or subscriber, so tests can check those against it.
#pragma once

#include <zmq.hpp>

#include <capnp/any.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "runtime/curve_keys.h"
#include "wire/event_id.h"

namespace picket::testing {

struct BusEndpoints {
  std::string ingest, events, replay, http;
  int pid = 0;
};

// Parses the bus's DATA_DIR/ready file; nullopt if absent or incomplete.
std::optional<BusEndpoints> ReadBusReady(const std::string& data_dir);

// Writes a site.toml for a test site in `dir` (ipc endpoints inside `dir`, HTTP on a free
// port) and returns its path. `bus_extra` is appended inside [bus].
std::string WriteSiteConfig(const std::string& dir, const std::string& site, bool sync,
                            const std::string& bus_extra = "");

struct EventSpec {
  EventId id = EventId::Random();
  std::string site = "test-site";
  std::string type = "demo.tick";
  std::string producer = "probe";
  std::string actor;
  int64_t observed_at = 1'764'000'000'000'000;
  // Sets the body (e.g. b.initAs<wire::IncidentReported>()...); none if empty.
  std::function<void(capnp::AnyPointer::Builder)> body;
};
// The encoded BusRequest.publish frame for `spec`.
std::string PublishFrame(const EventSpec& spec);

struct Reply {
  enum Kind { kAck, kNack, kOther } kind = kOther;
  EventId id;
  uint64_t seq = 0;
  bool duplicate = false;
  std::string code;  // ErrorCodeName for a nack
  std::string message;
};
// Decodes a BusReply frame that must be an ack or a nack.
Reply ParseReply(const std::string& frame);

// Every client below connects plain, or as a CURVE client with `curve` when it is secure
// (a site with [security]: runtime/curve_keys.h).

// Makes `socket` a CURVE client with `curve`'s keys (call before connect); nothing for
// plain keys. For a test's own sockets of other kinds (REQ, SUB).
void SecureClient(zmq::socket_t& socket, const CurveClientKeys& curve);

// A DEALER connected to the bus ingest.
class IngestProbe {
 public:
  IngestProbe(zmq::context_t& ctx, const std::string& endpoint, const CurveClientKeys& curve = {});
  void Send(const std::string& frame);
  void SendMultipart(const std::vector<std::string>& frames);
  // The last frame of the next reply, or nullopt after `timeout`.
  std::optional<std::string> Receive(std::chrono::milliseconds timeout);
  // Every frame of the next reply (the echoed envelope, then the reply), or nullopt after
  // `timeout`.
  std::optional<std::vector<std::string>> ReceiveFrames(std::chrono::milliseconds timeout);
  // Send + Receive + ParseReply; nullopt on timeout.
  std::optional<Reply> Publish(const EventSpec& spec, std::chrono::milliseconds timeout);

 private:
  zmq::socket_t socket_;
};

struct LoggedEvent {
  uint64_t seq = 0;
  EventId id;
  std::string type, producer;
  int64_t recorded_at = 0;
  std::string event;  // the whole recorded wire::Event, encoded (to read its body)
};
// Reads [from, head] through the replay endpoint (with credit flow control). nullopt if
// the bus does not answer within `timeout`.
std::optional<std::vector<LoggedEvent>> ReplayAll(zmq::context_t& ctx,
                                                  const std::string& replay_endpoint, uint64_t from,
                                                  std::chrono::milliseconds timeout,
                                                  const CurveClientKeys& curve = {});

struct BusStatus {
  uint64_t head_seq = 0, first_seq = 0;
  std::map<std::string, uint64_t> applied;  // subscriber -> applied seq it reported
};
// BusRequest.status on `endpoint` (ingest or replay); nullopt without an answer in time.
std::optional<BusStatus> QueryStatus(zmq::context_t& ctx, const std::string& endpoint,
                                     std::chrono::milliseconds timeout,
                                     const CurveClientKeys& curve = {});

// One request frame to a service's command endpoint over a fresh DEALER; the reply
// frame, or nullopt without one within `timeout`.
std::optional<std::string> CallEndpoint(zmq::context_t& ctx, const std::string& endpoint,
                                        const std::string& frame, std::chrono::milliseconds timeout,
                                        const CurveClientKeys& curve = {});

}  // namespace picket::testing
