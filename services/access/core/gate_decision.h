// The decision on one pass scan at a gate, as a pure function of values the caller has
// loaded: the gate's config, the pass, the watchlist entries matching its holder, whether
// the holder is on site, and the scan's time. No Txn, no state: Access (access.h) loads
// the inputs, calls DecideScan and carries out the result.
//
// Decision order (docs/access.md), the first that applies wins:
//   entering (in):  unknown_gate, unknown_pass, revoked, watchlist, not_yet_valid,
//                   expired, wrong_gate, outside_hours, anti_passback
//   leaving (out):  unknown_gate, unknown_pass, anti_passback
// Why this order: first whether the scan can be judged at all (the gate, the pass); then
// the refusals that mean "this person must not come in" whatever the time (revoked, a
// watchlist entry), so the security reason is the one on the bus even when the pass has
// also expired; then the pass's time window; then where and when it may be used; and
// anti-passback last, since it is the one reason that depends on earlier scans and is
// most often a guard's or a turnstile's mistake rather than a person's.
// Leaving is never refused for a pass's validity, gate or hours, nor for a watchlist
// entry: whoever is inside with an expired or revoked pass must be able to go out (that
// is when their visit and its overstay timer end).
//
// Validity edges: the window is [valid_from, valid_until): a scan at exactly valid_from
// is valid, one at exactly valid_until is expired.
//
// Pure; thread-safe as values are.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "access/core/access_config.h"
#include "access/core/access_types.h"
#include "access/core/events.h"

namespace picket::access {

struct ScanInputs {
  const GateConfig* gate = nullptr;  // nullptr: the scan's gate is not configured
  const Pass* pass = nullptr;        // nullptr: no pass with the scanned code
  std::vector<WatchlistEntry> hits;  // entries matching the pass's holder (entering only)
  bool on_site = false;              // the holder has an open visit
  Direction direction = Direction::kIn;
  bool supervisor_present = false;  // the scan names an officer as supervisor
  Micros at = 0;                    // when the scan happened
};

struct ScanDecision {
  std::optional<DenyReason> denied;  // nullopt: granted
  // The watchlist entries to report (every hit on an entry, whatever the decision; none
  // when leaving).
  std::vector<WatchlistEntry> hits;
  bool granted() const { return !denied; }
};

ScanDecision DecideScan(const AccessConfig& config, const ScanInputs& in);

// The gates a pass opens (its own, else its kind's default; empty = every gate) and the
// hours it may be used (its own, else its kind's default; none = any time).
bool PassOpensGate(const AccessConfig& config, const Pass& pass, std::string_view gate);
std::optional<DailyHours> PassHours(const AccessConfig& config, const Pass& pass);

}  // namespace picket::access
