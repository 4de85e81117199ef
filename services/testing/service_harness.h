// ServiceHarness: a real service's handlers on a real ServiceHost, in one process, driven
// by the test: its store is a real RocksDB in a temp dir, its bus a ScriptedBus on real
// sockets, its clock a ManualClock. Events go in, due timers fire when the test moves the
// clock, commands are answered, and what the service derived is read back from the bus's
// log. The multi-process tests (tests/) run the same services as processes; this is for
// walking a service through a scenario step by step, fast and deterministically.
//
//   ServiceHarness h(options);            // options.name, .tables, .commands (if any)
//   MyService service(h.host(), config);  // wires the handlers
//   REQUIRE(h.Start());
//   h.Publish(event);                     // recorded and sent as the bus would
//   REQUIRE(h.Settle());                  // applied, derived events published
//   REQUIRE(h.Advance(30 * kMicrosPerSecond));  // due timers fire
//   auto reply = h.Command(frame);
//   for (auto& e : h.Derived()) ...       // what the service published, in bus order
//
// Not thread-safe: the test's thread runs the host's loop.
#pragma once

#include <capnp/message.h>
#include <zmq.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/service_host.h"
#include "runtime/site_config.h"
#include "testing/manual_clock.h"
#include "testing/scripted_bus.h"
#include "wire/codec.h"
#include "wire/event_id.h"
#include "wire/event_types.h"

namespace picket::testing {

class ServiceHarness {
 public:
  // Uses options.name, .tables, .commands ("" = none; anything else binds
  // tcp://127.0.0.1:*) and the limits; the data directory, endpoints and signal
  // handling are the harness's. The clock starts at `start`.
  explicit ServiceHarness(ServiceHostOptions options, Micros start = kTestTime);
  ~ServiceHarness();

  ServiceHost& host() { return *host_; }
  ManualClock& clock() { return clock_; }
  ScriptedBus& bus() { return bus_; }
  const SiteConfig& site() const { return site_; }

  // Starts the host (call after the service has set its handlers) and waits until it has
  // caught up with what the bus recorded so far. False (and a Catch2 message) on failure.
  bool Start();
  // Records `event` (an encoded wire::Event, seq 0, e.g. from EventBuilder) as the bus
  // would, sends it live, and returns its seq.
  uint64_t Publish(const std::string& event);
  // Runs the loop until the service has applied every recorded event, its outbox is
  // empty and `also()` holds (e.g. worker results are in): the moment to check state.
  bool Settle(const std::function<bool()>& also = {},
              std::chrono::milliseconds timeout = std::chrono::milliseconds(10000));
  // Moves the clock by `by`, then Settle (timer rows now due fire).
  bool Advance(Micros by);
  // Sends one frame to the command endpoint and returns the reply (nullopt: none in time).
  std::optional<std::string> Command(const std::string& frame);
  // The same in two steps, for a reply that is held (e.g. until the bus acks): send now,
  // and run the loop until the reply arrives or `timeout` passes.
  void SendCommand(const std::string& frame);
  std::optional<std::string> AwaitReply(std::chrono::milliseconds timeout);
  // Runs the loop (and the scripted bus) until `done()` or `timeout`; returns done().
  bool RunUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout);
  // Every event the service published, in bus order (encoded, seq and recordedAt set).
  std::vector<std::string> Derived() const;
  // The value of `series` (name{labels}, as on /metrics) in the host's metrics, or -1.
  double Metric(const std::string& series) const;

 private:
  void Pump();

  ScratchDir dir_;
  zmq::context_t context_;
  ScriptedBus bus_;
  ManualClock clock_;
  SiteConfig site_;
  std::string name_;
  std::unique_ptr<ServiceHost> host_;
  std::unique_ptr<zmq::socket_t> client_;  // DEALER to the command endpoint
};

// Builds an encoded wire::Event of `type` (site "test-site", a random id, observedAt =
// the given time) whose body is a `Body` filled by `fill`. The producer is by default the
// type's owner (OwnerOf), or a terminal for an observation.
template <typename Body, typename Fill>
std::string MakeTypedEvent(EventType<Body> type, Micros observed_at, Fill fill,
                           std::string producer = "", const std::string& actor = "") {
  if (producer.empty()) {
    producer = std::string(OwnerOf(type.name));
    if (producer.empty()) producer = "gate-1-terminal";
  }
  capnp::MallocMessageBuilder b;
  auto e = b.initRoot<wire::Event>();
  EventId id = EventId::Random();
  e.setId(
      capnp::Data::Reader(reinterpret_cast<const capnp::byte*>(id.Bytes().data()), EventId::kSize));
  e.setSite("test-site");
  e.setType(std::string(type.name));
  e.setProducer(producer);
  e.setActor(actor);
  e.setObservedAt(observed_at);
  fill(e.getBody().template initAs<Body>());
  return Encode(b);
}

}  // namespace picket::testing
