// The queries of the access core (internal; reached through Access::OnCommand). They read
// the state and change nothing.
#pragma once

#include "access/core/access_config.h"
#include "access/core/commands.h"
#include "base/txn.h"

namespace picket::access {

// Answers `c`, which must be a query (IsQuery); the effects are always empty.
CommandResult RunQuery(const AccessConfig& config, const Command& c, Txn& state);

}  // namespace picket::access
