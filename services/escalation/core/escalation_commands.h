// The command and query handlers of the escalation core (internal; reached through
// Escalation::OnCommand). Each checks the incident's state first and refuses with an
// error Reply before changing anything; on success it follows IncidentFlow's pattern.
#pragma once

#include "escalation/core/commands.h"
#include "escalation/core/incident_flow.h"

namespace picket::escalation {

// Runs `c` against the flow's state and returns its reply (never throws for bad input).
Reply RunCommand(IncidentFlow& flow, const Command& c);

}  // namespace picket::escalation
