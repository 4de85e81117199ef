// Conversions between picket-patrol's wire messages (schemas/patrol.capnp, the terminal
// facts of schemas/terminal.capnp, the envelope) and the core's values (patrol/core). No
// sockets, no storage.
//
// Untrusted input (a request frame, an event body) is read with the caller's ReadSafely:
// the readers here may throw kj::Exception on a malformed message, never anything else.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "patrol/core/commands.h"
#include "patrol/core/events.h"
#include "patrol/core/patrol.h"
#include "picket/schemas/envelope.capnp.h"
#include "picket/schemas/patrol.capnp.h"
#include "picket/schemas/terminal.capnp.h"
#include "runtime/command_access.h"

namespace picket::patrol {

// Who and when of a terminal fact: producer, actor (the guard: required), observedAt
// (recordedAt if the terminal sent none) and recordedAt. Nullopt and *why for a fact the
// core cannot judge: no guard, or a time outside TimeInRange (1970..9999).
std::optional<FactSource> ToFactSource(wire::Event::Reader event, std::string* why);

std::optional<RoundStart> ToRoundStart(wire::Event::Reader event, wire::PatrolStart::Reader body,
                                       std::string* why);
std::optional<CheckpointScan> ToCheckpointScan(wire::Event::Reader event,
                                               wire::CheckpointScanned::Reader body,
                                               std::string* why);
std::optional<RoundEnd> ToRoundEnd(wire::Event::Reader event, wire::PatrolEnd::Reader body,
                                   std::string* why);

// Fills an emitted event's type, actor, observedAt and body from the core's event (id,
// site and producer are set by ApplyContext::Emit).
void FillEvent(wire::Event::Builder event, const OutgoingEvent& out);

// A request as a core command. A request the core cannot take returns nullopt with *code
// and *message set (invalidArgument; malformed for an unknown union member).
std::optional<Command> ToCommand(wire::PatrolRequest::Reader request, wire::PatrolError* code,
                                 std::string* message);
// True for the queries (listRounds, getRound, currentRounds, getCompletion).
bool IsQuery(wire::PatrolRequest::Reader request);
// Who may send `request` on a site with [security] (runtime/command_access.h).
// Queries need an officer; extend, excuse and cancel a supervisor acting as `actor`.
CommandAccess AccessOf(wire::PatrolRequest::Reader request);

// Encoded PatrolReply frames.
std::string EncodeReply(const Reply& reply);
std::string EncodeError(wire::PatrolError code, std::string_view message);

}  // namespace picket::patrol
