// From picket-escalation's bus events (schemas/escalation.capnp) to the core's
// IncidentEvent values, and the registration of one typed handler per event type on the
// host. The readers stop here: the core never sees Cap'n Proto.
#pragma once

#include <functional>

#include "console/core/gate_feed.h"
#include "console/core/incident_model.h"
#include "runtime/service_host.h"

namespace picket::console {

// Registers a handler for every escalation event type the read model folds; each gets
// the event as an IncidentEvent (seq, time, actor and the body's fields filled in). A
// body the host cannot decode never reaches `fn` (the host counts and logs it).
void OnIncidentEvents(ServiceHost& host,
                      std::function<void(ApplyContext&, const IncidentEvent&)> fn);

// The same for picket-access's gate decisions (the Gates page's feed).
void OnGateEvents(ServiceHost& host, std::function<void(ApplyContext&, const GateEvent&)> fn);

// A change of picket-access's queue of walk-ups waiting for approval
// (access.walkup_requested, access.walkup_approved, access.walkup_denied). Not stored: the
// Gates page asks picket-access for the queue again when the stream says it changed.
struct WalkUpChange {
  std::string type;  // the event's type
  uint64_t seq = 0;
  std::string person;
};
void OnWalkUpEvents(ServiceHost& host, std::function<void(ApplyContext&, const WalkUpChange&)> fn);

}  // namespace picket::console
