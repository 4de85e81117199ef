// picket-terminal's wire conversions (adapter): the core's neutral values to bus events,
// and the events a terminal follows (gate decisions, incidents at its post) to the values
// its Session takes (terminal/core/session.h).
//
// Pure functions over Cap'n Proto readers and builders; no sockets, no storage. The
// readers come from the service kit's typed handlers, which have decoded the body already.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "picket/schemas/access.capnp.h"
#include "picket/schemas/envelope.capnp.h"
#include "picket/schemas/escalation.capnp.h"
#include "terminal/core/effects.h"
#include "terminal/core/session.h"

namespace picket::terminal {

// Sets `out`'s type, actor, observedAt and body from `e`. Each field is set by name on
// the type's registered body struct (wire/event_types.h): Text as it is, Bool from "true"
// or "false", an enum by its enumerant's name, integers in decimal. False and *error for a
// type that is not registered, or a field its body does not have or cannot take: a bug in
// the core, never the guard's input (the core only emits what it validated).
bool FillEvent(const OutgoingEvent& e, wire::Event::Builder out, std::string* error);

// A gate decision as the terminal reads it: the session's Decision, whose scan_event_id
// the adapter fills from scan_seq (the bus seq of the terminal.pass_scanned judged), and
// the post it is for (a terminal takes only its own post's).
struct DecisionOnWire {
  uint64_t scan_seq = 0;
  std::string post;
  Decision decision;
};
DecisionOnWire FromGranted(wire::AccessGranted::Reader granted);
DecisionOnWire FromDenied(wire::AccessDenied::Reader denied);

// An incident opened: the session's IncidentInfo, whose trigger_event_id the adapter
// fills from trigger_seq when the trigger was one of its own events.
struct IncidentOnWire {
  uint64_t trigger_seq = 0;
  IncidentInfo info;
};
IncidentOnWire FromOpened(wire::IncidentOpened::Reader opened);

}  // namespace picket::terminal
