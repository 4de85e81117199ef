// Conversions between picket-escalation's wire messages (schemas/escalation.capnp, the
// envelope) and the core's values (escalation/core). No sockets, no storage.
//
// Untrusted input (a request frame, an event body) is read with the caller's ReadSafely:
// the readers here may throw kj::Exception on a malformed message, never anything else.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "escalation/core/commands.h"
#include "escalation/core/escalation.h"
#include "escalation/core/events.h"
#include "picket/schemas/envelope.capnp.h"
#include "picket/schemas/escalation.capnp.h"

namespace picket::escalation {

// A recorded bus event as the core wants it: envelope fields, and the body's fields (of
// its registered schema, event_rules.h) by snake_case name as text: texts as they are,
// numbers in decimal, bools "true"/"false", enums by enumerant name. Lists and structs
// are skipped. An event type without a registered body gets no body fields.
RecordedEvent ToRecordedEvent(wire::Event::Reader event);

// "passCode" -> "pass_code".
std::string SnakeCase(std::string_view camel);

// Fills an emitted event's type, actor, observedAt and body from the core's event. The
// id, site and producer are already set by ApplyContext::Emit.
void FillEvent(wire::Event::Builder event, const OutgoingEvent& out);

// A request as a core command. Refused requests (no actor, a text over the limit, an
// unknown union member) return nullopt with *error_code and *message set.
std::optional<Command> ToCommand(wire::EscalationRequest::Reader request,
                                 wire::EscalationError* error_code, std::string* message);
// The request's commandId (16 bytes) or "" when absent or of another size.
std::string CommandIdOf(wire::EscalationRequest::Reader request);
// True for listOpen and getIncident (they change nothing and need no command id).
bool IsQuery(wire::EscalationRequest::Reader request);

// Encoded EscalationReply frames.
std::string EncodeReply(const Reply& reply);
std::string EncodeError(wire::EscalationError code, std::string_view message);

}  // namespace picket::escalation
