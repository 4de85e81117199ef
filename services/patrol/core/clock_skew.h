// How far each terminal's clock is off the bus's (patrol.h, "Skew"), one sample per
// terminal fact. Internal to the core.
#pragma once

#include <optional>
#include <string>

#include "patrol/core/events.h"
#include "patrol/core/patrol.h"
#include "patrol/core/patrol_store.h"

namespace picket::patrol {

// Feeds the sample source.at - source.recorded of source.terminal (posted at `post`) into
// its TerminalClock and saves it. Returns the patrol.clock_skew to emit, if any: at once
// for a sample over +skew_limit, or when a window closes with its largest sample below
// -skew_limit; at most one per terminal per window. The event's actor is empty (it is
// about the terminal, not the guard) and its time is the bus time of the sample. A fact
// without a terminal gives no sample.
std::optional<OutgoingEvent> SampleClock(const PatrolConfig& config, PatrolStore& store,
                                         const std::string& post, const FactSource& source);

}  // namespace picket::patrol
