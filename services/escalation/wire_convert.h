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
#include "runtime/command_access.h"

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
// True for the queries: listOpen, getIncident, listOnDuty, listIncidents (they change
// nothing and need no command id).
bool IsQuery(wire::EscalationRequest::Reader request);
// Who may send `request` on a site with [security] (runtime/command_access.h).
// Every command needs an officer; a mutation acts as its `actor`.
CommandAccess AccessOf(wire::EscalationRequest::Reader request);

// Encoded EscalationReply frames.
std::string EncodeReply(const Reply& reply);
std::string EncodeError(wire::EscalationError code, std::string_view message);
// `frame` (an encoded EscalationReply) with `unpublished` set: the reply to a change whose
// events were not yet on the bus when it was sent.
std::string MarkUnpublished(const std::string& frame);

// The inverse of EncodeReply, for clients (picketctl): one EscalationReply frame (aligned
// or not) as the core's Reply. Returns nullopt and sets *error ("unreadable reply: ...")
// if it is not a readable EscalationReply. Never throws.
//
// Enum numbers are kept as they are, known or not: a reply from a newer service may
// carry a severity, state or error this build has no name for; it decodes to that
// number (SchemaName shows it as "unknown(N)") and encodes back to it. The core's enums
// are one byte: a number above 255 (the schema's enums are nowhere near) becomes 255.
std::optional<Reply> DecodeReply(std::string_view frame, std::string* error);

// The EscalationError codes only the adapter sends (EncodeError), which the core's
// CommandError has no enumerant for; a decoded Reply carries them by number.
inline constexpr CommandError kErrorMalformed =
    static_cast<CommandError>(static_cast<uint16_t>(wire::EscalationError::MALFORMED));
// (unauthorized is also the core's: an actor the site does not know.)
inline constexpr CommandError kErrorUnauthorized = CommandError::kUnauthorized;
// Nothing was applied; the same request (same commandId) may be retried.
inline constexpr CommandError kErrorUnavailable =
    static_cast<CommandError>(static_cast<uint16_t>(wire::EscalationError::UNAVAILABLE));

// The schema's lower-camel name (schemas/escalation.capnp) of a value, for people and
// JSON: "high", "acknowledged", "mandatorySteps", "unavailable"; what picketctl prints.
// Severity and IncidentState are named by the core (SeverityName, StateName, which
// wire_convert_test pins to the schema's enumerants); CommandError, whose core names
// (CommandErrorName) are snake_case and which lacks the adapter's codes, by the schema's
// EscalationError itself. A number the schema of this build does not know either shows
// as "unknown(N)" (0, never sent, is the schema's "unknown").
std::string SchemaName(Severity severity);
std::string SchemaName(IncidentState state);
std::string SchemaName(CommandError error);

}  // namespace picket::escalation
