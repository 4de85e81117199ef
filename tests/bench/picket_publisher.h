// The picket-bus backend of bus_bench: one DEALER per publisher on the bus's ingest
// ROUTER, speaking schemas/bus.capnp (one frame = BusRequest.publish(Event); answers are
// BusReply.ack / BusReply.nack carrying the event id, in any order).
#pragma once

#include <zmq.hpp>

#include <cstddef>
#include <string>

#include "publisher_tally.h"
#include "runtime/curve_keys.h"

namespace picket::bench {

struct PicketTarget {
  std::string endpoint;        // the bus's ingest endpoint, e.g. tcp://127.0.0.1:7401
  std::string site = "bench";  // must equal the bus's site id
  // A registered type whose body is ShiftEnded: its `person` pads the frame to size (the bus
  // refuses a body on an unregistered type). Recording it changes no roster: nobody of that
  // name is on duty.
  std::string type = "shift.ended";
  size_t frame_bytes = 200;  // size of each encoded BusRequest frame (rounded to words)
  // A bus on a site with [security]: every publisher connects as a CURVE client with these
  // keys (plain if they are), and publishes as `producer`, the key's identity (the bus
  // takes an event only from the identity it names). Plain: "bench-<index>".
  CurveClientKeys curve;
  std::string producer;
};

// The size of the frame PicketPublisher actually sends for `target` (a multiple of 8 bytes,
// the smallest >= target.frame_bytes that the envelope allows).
size_t PicketFrameBytes(const PicketTarget& target);

// Publishes events as publisher number `index` until the tally's schedule says stop, then
// drains the answers still outstanding (or records a timeout in the tally). Every event has
// a fresh random 16-byte id, observedAt = now, and a ShiftEnded body whose `person` pads the
// frame to size.
// `context` must outlive the call; it may be shared by concurrent publishers.
void RunPicketPublisher(zmq::context_t& context, const PicketTarget& target, int index,
                        PublisherTally& tally);

}  // namespace picket::bench
