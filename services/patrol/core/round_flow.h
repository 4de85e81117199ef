// The steps shared by the fact handlers (patrol.cc), the timers (patrol_timers.cc) and the
// commands (commands.cc): a round's deadlines, starting it, verdicts on its checkpoints,
// and completing it. Internal to the core; Patrol is the public API.
//
// The deadline functions are pure. Each step writes through the PatrolStore and appends to
// the Effects; none of them checks whether it should run (the caller has decided).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "patrol/core/events.h"
#include "patrol/core/patrol_config.h"
#include "patrol/core/patrol_keys.h"
#include "patrol/core/patrol_store.h"

namespace picket::patrol {

// A scheduled round's start deadline: due + grace + extension (round_not_started).
Micros StartDeadline(const Round& r, const Route& route);
// The last instant a scheduled or not-started round may still be started (later, a start
// is an unscheduled round): due + grace + planned length + extension.
Micros StartableUntil(const Round& r, const Route& route);
// due - early <= at <= StartableUntil.
bool StartableAt(const Round& r, const Route& route, Micros at);
// An in-progress round's end deadline: start + planned length + grace + extension.
Micros EndDeadline(const Round& r, const Route& route);

// The first checkpoint without a verdict, in the round's order.
std::optional<size_t> NextPending(const Round& r);
// The anchor of checkpoint `i` of an ordered or random round: the time of the verdict
// before it (a scan's observed time, a miss's deadline), or the start for the first.
Micros AnchorOf(const Round& r, size_t i);
// The anchor of a scan at `at` on an any-order round: the latest counted scan observed
// at or before `at`, or the start.
Micros AnyOrderAnchor(const Round& r, Micros at);
// The anchor of checkpoint `i` for a scan at `at` (either kind of route).
Micros AnchorFor(const Round& r, const Route& route, size_t i, Micros at);
// Checkpoint i's deadline: anchor + leg_max + grace + extension (ordered and random
// routes), or the end deadline (any order).
Micros DeadlineOf(const Round& r, const Route& route, size_t i);
// The time of the latest verdict (a scan's observed time, a miss's deadline), or the start.
Micros LastVerdictTime(const Round& r);
bool HasLegTimer(const Route& route);

// The order a random route's round is walked in: a Fisher-Yates shuffle of the route's
// checkpoints driven by splitmix64 seeded with `entropy` (the same entropy, the same
// order). Other routes: the listed order.
std::vector<std::string> DrawOrder(const Route& route, uint64_t entropy);

// Where the steps write.
struct Flow {
  const PatrolConfig& config;
  PatrolStore& store;
  Effects& fx;

  void SetTimer(keys::RoundTimer kind, uint64_t round, Micros due);
  void CancelTimer(keys::RoundTimer kind, uint64_t round);
};

// Starts `r` (a bound open round, or a new one: r.id set, the caller indexed it by time)
// for `guard` at `at`: in progress, checkpoints in the order drawn from `entropy`, indexed
// active and by guard; emits round_started; sets the leg (ordered and random) and end
// timers. Saves r.
void StartRound(Flow& flow, Round& r, const Route& route, const std::string& guard, Micros at,
                uint64_t entropy);

// Declares checkpoint `i` missed at `deadline`; emits checkpoint_missed (actor, at). Does
// not save.
void MissCheckpoint(Flow& flow, Round& r, size_t i, Micros deadline, Micros lateness,
                    bool round_ended, const std::string& actor, Micros at);

// After a verdict changed: saves r; an in-progress round with nothing pending completes,
// otherwise (ordered and random) its leg timer moves to the next pending deadline.
void AfterVerdict(Flow& flow, Round& r, const Route& route, const std::string& actor);

// Completes r (every checkpoint has a verdict, or the guard ended it): ended_at = the last
// verdict's time; emits round_completed; cancels its leg and end timers; clears its active
// row. Saves r.
void CompleteRound(Flow& flow, Round& r, const std::string& actor);

// The guard ended r at `at`: every pending checkpoint is missed (round_ended), then the
// round completes (ended_early).
void EndByGuard(Flow& flow, Round& r, Micros at, const std::string& guard);

}  // namespace picket::patrol
