// picket-notify's wire conversion: the alert_raised events it reads, as the core's Alert,
// and the core's delivery events (AttemptEvent, StopEvent) as notify.delivery_* events
// (schemas/escalation.capnp AlertRaised; schemas/notify.capnp DeliveryAttempt,
// DeliveryStopped).
#pragma once

#include <optional>
#include <string>

#include "notify/core/notifier.h"
#include "picket/schemas/envelope.capnp.h"
#include "picket/schemas/escalation.capnp.h"

namespace picket::notify {

inline constexpr size_t kMaxAlertTextBytes = 256;   // person, target, reason; type and post cut
inline constexpr size_t kMaxAlertNoteBytes = 2000;  // escalation keeps no longer a note

// The alert `event` (of type escalation.alert_raised, body decoded) carries, or nullopt
// with *why if it is unusable: an id that is not 16 bytes, no person, or a person, target
// or reason over kMaxAlertTextBytes. What a pager only shows (type, post, note) is cut at
// a character boundary instead; a severity this build does not know is "".
std::optional<Alert> AlertFromWire(wire::Event::Reader event, wire::AlertRaised::Reader body,
                                   std::string* why);

// Fills `event` (from ApplyContext::Emit) as the notify.delivery_* event of `e`.
void ToWire(const AttemptEvent& e, wire::Event::Builder event);
void ToWire(const StopEvent& e, wire::Event::Builder event);

}  // namespace picket::notify
