// Conversions between picket-scoring's wire messages (schemas/scoring.capnp, any
// registered event body, the envelope) and the core's values (scoring/core). No sockets,
// no storage.
//
// Any recorded event becomes a Fact by reflection over its registered body schema
// (wire/event_types.h): every scalar field by its schema name, so a rule may name any
// field of any registered type without code here. The same reflection gives the rules'
// EventCatalog.
//
// Untrusted input is read with the caller's ReadSafely: the readers here may throw
// kj::Exception on a malformed message, never anything else.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "picket/schemas/envelope.capnp.h"
#include "picket/schemas/scoring.capnp.h"
#include "runtime/command_access.h"
#include "scoring/core/commands.h"
#include "scoring/core/events.h"
#include "scoring/core/scoring_types.h"

namespace picket::scoring {

// The fields rules may name, of every registered event type: Bool -> kBool, integers ->
// kInt, Text and enums -> kText (lists, structs, Data and groups are left out; a union's
// members are all listed, and only the one set is in a Fact).
EventCatalog BuildEventCatalog();

// A recorded event as a Fact: seq, type, producer, actor, observedAt (recordedAt if 0) and
// recordedAt, and the scalar body fields of its registered type (none for an unregistered
// type). Nullopt and *why for a time outside 1970..9999.
std::optional<Fact> ToFact(wire::Event::Reader event, std::string* why);

// Fills an emitted event's type, actor, observedAt and body.
void FillEvent(wire::Event::Builder event, const OutgoingEvent& out);

std::optional<Command> ToCommand(wire::ScoringRequest::Reader request, wire::ScoringError* code,
                                 std::string* message);
bool IsQuery(wire::ScoringRequest::Reader request);
// Who may send `request` on a site with [security] (runtime/command_access.h).
// Queries need an officer; inspect, commend and void a supervisor acting as `actor`.
CommandAccess AccessOf(wire::ScoringRequest::Reader request);

std::string EncodeReply(const Reply& reply);
std::string EncodeError(wire::ScoringError code, std::string_view message);

}  // namespace picket::scoring
