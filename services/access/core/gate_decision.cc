#include "access/core/gate_decision.h"

#include <algorithm>

namespace picket::access {
namespace {

// The watchlist's verdict on an entry: kWatchlist if any entry refuses it. A supervisor
// entry refuses unless the scan names a supervisor; a notify entry never refuses.
bool WatchlistRefuses(const std::vector<WatchlistEntry>& hits, bool supervisor_present) {
  return std::any_of(hits.begin(), hits.end(), [&](const WatchlistEntry& e) {
    return e.action == WatchAction::kDeny ||
           (e.action == WatchAction::kAdmitWithSupervisor && !supervisor_present);
  });
}

bool InsideHours(const std::optional<DailyHours>& hours, int local_minute) {
  return !hours || hours->Contains(local_minute);
}

}  // namespace

bool PassOpensGate(const AccessConfig& config, const Pass& pass, std::string_view gate) {
  const auto& gates = pass.gates.empty() ? config.RulesFor(pass.kind).default_gates : pass.gates;
  return gates.empty() || std::find(gates.begin(), gates.end(), gate) != gates.end();
}

std::optional<DailyHours> PassHours(const AccessConfig& config, const Pass& pass) {
  return pass.hours ? pass.hours : config.RulesFor(pass.kind).default_hours;
}

ScanDecision DecideScan(const AccessConfig& config, const ScanInputs& in) {
  ScanDecision d;
  if (!in.gate) return d.denied = DenyReason::kUnknownGate, d;
  if (!in.pass) return d.denied = DenyReason::kUnknownPass, d;
  const Pass& pass = *in.pass;
  if (in.direction == Direction::kOut) {
    if (!in.on_site) d.denied = DenyReason::kAntiPassback;
    return d;
  }
  d.hits = in.hits;
  const int minute = ToLocal(config.zone, in.at).minute_of_day();
  if (pass.revoked)
    d.denied = DenyReason::kRevoked;
  else if (WatchlistRefuses(in.hits, in.supervisor_present))
    d.denied = DenyReason::kWatchlist;
  else if (in.at < pass.valid_from)
    d.denied = DenyReason::kNotYetValid;
  else if (in.at >= pass.valid_until)
    d.denied = DenyReason::kExpired;
  else if (!PassOpensGate(config, pass, in.gate->id))
    d.denied = DenyReason::kWrongGate;
  else if (!InsideHours(in.gate->hours, minute) || !InsideHours(PassHours(config, pass), minute))
    d.denied = DenyReason::kOutsideHours;
  else if (in.on_site)
    d.denied = DenyReason::kAntiPassback;
  return d;
}

}  // namespace picket::access
