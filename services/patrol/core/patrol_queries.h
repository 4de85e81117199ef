// The queries of the patrol core (internal; reached through Patrol::OnCommand). They read
// the state and change nothing.
#pragma once

#include "base/txn.h"
#include "patrol/core/commands.h"
#include "patrol/core/patrol_config.h"

namespace picket::patrol {

// Answers `c`, which must be a query (IsQuery); the effects are always empty.
CommandResult RunQuery(const PatrolConfig& config, const Command& c, Txn& state);

}  // namespace picket::patrol
