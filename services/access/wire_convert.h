// Conversions between picket-access's wire messages (schemas/access.capnp, the terminal
// facts of schemas/terminal.capnp, the envelope) and the core's values (access/core). No
// sockets, no storage.
//
// Untrusted input (a request frame, an event body) is read with the caller's ReadSafely:
// the readers here may throw kj::Exception on a malformed message, never anything else.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "access/core/access.h"
#include "access/core/access_config.h"
#include "access/core/commands.h"
#include "access/core/events.h"
#include "picket/schemas/access.capnp.h"
#include "picket/schemas/envelope.capnp.h"
#include "picket/schemas/terminal.capnp.h"
#include "runtime/command_access.h"

namespace picket::access {

// The gate a terminal fact names: `gate` if set; else the gate whose id is `post`; else
// the one gate staffed by `post`; else `post` itself (which the core then refuses as
// unknown_gate). A terminal of a post with one gate need not name it.
std::string ResolveGate(const AccessConfig& config, std::string_view post, std::string_view gate);

// Gate facts as the core wants them: the guard is the envelope's actor, the time its
// observedAt (the terminal's; recordedAt if the terminal sent none). Nullopt and *why for
// a fact the core cannot judge (a direction this build does not know, a time outside
// TimeInRange).
std::optional<PassScanned> ToPassScanned(const AccessConfig& config, wire::Event::Reader event,
                                         wire::PassScanned::Reader body, std::string* why);
std::optional<ManualEntry> ToManualEntry(const AccessConfig& config, wire::Event::Reader event,
                                         wire::ManualEntry::Reader body, std::string* why);
std::optional<VisitorArrival> ToVisitorArrival(const AccessConfig& config,
                                               wire::Event::Reader event,
                                               wire::VisitorArrival::Reader body, std::string* why);

// Fills an emitted event's type, actor, observedAt and body from the core's event (id,
// site and producer are set by ApplyContext::Emit). `scan_seq` is the bus seq of the
// pass scan being judged, put in access.granted and access.denied (0 otherwise).
void FillEvent(wire::Event::Builder event, const OutgoingEvent& out, uint64_t scan_seq);

// A request as a core command. A request the core cannot take (an unknown union member,
// kind or action, malformed hours) returns nullopt with *message set; its error is
// invalidArgument (malformed for an unknown member).
std::optional<Command> ToCommand(wire::AccessRequest::Reader request, wire::AccessError* code,
                                 std::string* message);
// True for the queries (getPass, getPerson, listVisits, listOnSite, getCompliance,
// listWatchlist, listPendingWalkUps): they change nothing and need no command id.
bool IsQuery(wire::AccessRequest::Reader request);
// Who may send `request` on a site with [security] (runtime/command_access.h).
// Officers: queries, visitors, passes, check-outs, walk-up decisions (acting as `by`);
// admins: people, vehicles and the watchlist. A mutation acts as its `actor`.
CommandAccess AccessOf(wire::AccessRequest::Reader request);

// Encoded AccessReply frames.
std::string EncodeReply(const Reply& reply);
std::string EncodeError(wire::AccessError code, std::string_view message);

}  // namespace picket::access
