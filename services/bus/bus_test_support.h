// Helpers for the bus's own tests: a temp dir, request builders, reply parsing, a DEALER
// client and waiting for conditions with a deadline. Test-only; not in picket_bus_lib.
#pragma once

#include <zmq.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "bus/log_store.h"
#include "picket/schemas/bus.capnp.h"
#include "support/process.h"
#include "wire/event_id.h"

namespace picket::bus_testing {

inline constexpr char kSite[] = "test-site";
inline constexpr Micros kT0 = 1'764'000'000'000'000;  // 2025-11-24, a plausible observedAt

// A fresh directory under $TMPDIR, removed with everything in it on destruction.
using testing::TempDir;

// An id whose last two bytes are `n` (and the first is 0xAB), for readable tests.
EventId TestId(uint32_t n);

// A BusRequest.publish of a valid event with `id`; `edit` may change the event after the
// defaults are set (site kSite, type "test.thing", producer "p1", observedAt kT0).
std::string PublishRequest(const EventId& id,
                           const std::function<void(wire::Event::Builder)>& edit = {});
// Any BusRequest, built by `fill`.
std::string Request(const std::function<void(wire::BusRequest::Builder)>& fill);
std::string ReplayRequestFrame(uint64_t from, uint64_t to, uint32_t credit, uint32_t max_batch = 0);
std::string CreditFrame(uint32_t events);

// A stored event (seq and recordedAt set) of about `body_bytes` bytes, for LogStore tests.
NewEvent StoredTestEvent(uint64_t seq, Micros recorded_at, const EventId& id,
                         size_t body_bytes = 0);

// A decoded BusReply, flattened for assertions.
struct Reply {
  wire::BusReply::Which which = wire::BusReply::ACK;
  std::string event_id;  // ack / nack
  uint64_t seq = 0;      // ack
  Micros recorded_at = 0;
  bool duplicate = false;
  wire::ErrorCode code = wire::ErrorCode::NONE;  // nack
  std::string message;
  std::vector<uint64_t> seqs;  // replayBatch: the events' seqs
  std::vector<std::string> ids;
  uint64_t last_seq = 0;  // replayEnd
  uint64_t head_seq = 0;  // replayBatch, replayEnd, status
  uint64_t first_seq = 0;
  std::vector<std::pair<std::string, uint64_t>> subscribers;  // status
};
// Parses a BusReply frame; nullopt (with *error) if it is not one. Uses no Catch macros,
// so threads other than the test's may call it.
std::optional<Reply> TryParseReply(const std::string& frame, std::string* error);
Reply ParseReply(const std::string& frame);  // FAILs the test if it is not a BusReply

// A DEALER (or REQ) connected to `endpoint`, with a 0 linger.
class Client {
 public:
  Client(zmq::context_t& ctx, const std::string& endpoint,
         zmq::socket_type type = zmq::socket_type::dealer);
  void Send(const std::string& frame);
  void SendFrames(const std::vector<std::string>& frames);
  // The frames of one waiting message, or nullopt right away if none is waiting.
  std::optional<std::vector<std::string>> TryReceive();
  zmq::socket_t& socket() { return socket_; }

 private:
  zmq::socket_t socket_;
};

// Calls `step` until it returns true or `timeout` passes; returns whether it succeeded.
bool WaitUntil(const std::function<bool()>& step,
               std::chrono::milliseconds timeout = std::chrono::milliseconds(10000));

// Runs `pump` (e.g. one server loop iteration) until `client` has a reply; returns its last
// frame parsed, or nullopt after the timeout.
std::optional<Reply> PumpForReply(
    Client& client, const std::function<void()>& pump,
    std::chrono::milliseconds timeout = std::chrono::milliseconds(10000));

}  // namespace picket::bus_testing
