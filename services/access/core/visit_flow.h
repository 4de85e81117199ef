// The steps shared by the gate handlers (access.cc) and the commands
// (access_commands.cc): opening and closing a visit with its overstay timer, and
// reporting watchlist hits. Internal to the core; Access is the public API.
//
// Each step writes through the AccessStore and appends to the caller's Effects; none of
// them checks anything (the caller has decided).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "access/core/access_config.h"
#include "access/core/access_store.h"
#include "access/core/events.h"

namespace picket::access {

// Every name a person is known by (name and aliases), for watchlist matching.
std::vector<std::string> NamesOf(const Person& p);
// A vehicle's normalized plate, for AccessStore::MatchWatchlist; "" for anyone else.
std::string WatchPlateOf(const std::optional<Person>& p);

// The overstay timer of `visit`, raising overstay number `number` at `due`.
TimerSet OverstayTimer(uint64_t visit, Micros due, uint32_t number);
// When the first overstay of a pass valid until `valid_until` falls due.
Micros FirstOverstayDue(const AccessConfig& config, Micros valid_until);

// Emits access.watchlist_hit for each entry; `person` is what the event names.
void EmitHits(const std::vector<WatchlistEntry>& hits, const std::string& post,
              const std::string& gate, const std::string& person, const std::string& actor,
              Micros at, Effects* fx);

// Opens visit `v` (v.id taken here): the arrival of v.person (if any) gives the wait;
// writes the visit and the on_site row. Returns the id.
uint64_t OpenVisit(AccessStore& store, Visit* v);

// Ends `v` at `at` (checked_out_at, exit gate, by whom), clears on_site, cancels the
// overstay timer, and emits visitor_checked_out for kinds that track visits, for manual
// entries, and for any check-out by command (so every command has its event).
void CloseVisit(const AccessConfig& config, AccessStore& store, Visit* v, Micros at,
                const std::string& gate, const std::string& actor, bool by_command, Effects* fx);

}  // namespace picket::access
