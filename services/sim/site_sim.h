// SiteSim: a simulated site's people, from a seed: the guards at the post terminals, the
// visitors at the gates, the patrols, the incidents and the duty officers. Pure: no clock,
// no sockets; the adapter (site_driver.h) types its lines into real picket-terminal
// processes and runs its commands with picketctl, so everything goes through the real
// system.
//
// What it does, from `start`:
//   - the officers go on shift (`officer_post`, `officer_role`), and the staff member the
//     visitors come to see is registered;
//   - every post's first guard logs in and acknowledges the post orders (a login again
//     every `relogin`: a terminal that restarted has forgotten its guard; one that did not
//     answers already_logged_in, which changes nothing); every `shift_length` the next
//     guard of the post takes over;
//   - visitors arrive at the gate posts (posts with gates), `visitors_per_hour` in all
//     (exponential gaps). Most are registered first (an access command registers them and
//     issues a pass; the pass is scanned 20 s later, and scanned out after a stay of 2-10
//     minutes); `unregistered_share` of them walk up with no pass: their code is scanned
//     (denied), then the guard announces them with /visitor, or (one in three) lets them
//     in by hand with /manual and a reason; one in three of them (half of those announced)
//     is also registered as a walk-up without approval (`picketctl access walk-up`: it
//     waits in picket-access's queue), approved by an officer 30 s..2 min later
//     (`access approve`), given a pass and let in with it like a registered visitor;
//   - incidents are reported at random posts, `incidents_per_hour` in all, each of a kind
//     of `incident_kinds`; `panic_share` of them are a panic instead;
//   - a scheduled round (OnRoundScheduled, from patrol.round_scheduled) is started at its
//     due time, unless it is one of `round_skip_share` (then nobody starts it: patrol's
//     round_not_started); its checkpoints are scanned in order, one every 30..70 % of the
//     route's leg_max, each skipped with `checkpoint_skip_share` (a missed checkpoint);
//   - a linked post's network link goes down now and then (`offline_every`, for
//     `offline_min..max`): kLinkDown, then kLinkUp;
//   - the duty officers acknowledge an incident's first alert (OnAlertRaised, level 1)
//     with `ack_share`, after `ack_delay_min..max`; some acknowledged incidents are
//     resolved (`resolve_share`, 30..90 s after the acknowledgement, with an override
//     reason, as steps may be missing).
//
// Visitor ids and pass codes carry a tag of the start time ("v<tag>-<n>", "V<tag>-<n>"),
// so a second run against the same site does not reuse the first one's passes.
//
// Deterministic: the same model, seed and start give the same actions at the same times,
// and a reaction (to a round, an alert) depends only on the seed and what it reacts to
// (its id), not on when it arrives or in which order with others.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "base/clock.h"

namespace picket::sim {

struct SimGuard {
  std::string id, code;  // the login code in plain text: a simulated guard types it
};

struct SimPost {
  std::string post;
  std::vector<std::string> gates;  // empty: not a gate post (no visitors)
  std::vector<SimGuard> guards;    // on duty in turn, a shift each, the first first; >= 1
  bool linked = false;             // it reaches the bus through a link the sim can cut
};

struct SimRoute {
  std::string post;
  std::vector<std::string> checkpoints;  // tags, in order
  Micros leg_max = 60 * kMicrosPerSecond;
};

struct SimModel {
  std::vector<SimPost> posts;                 // at least one
  std::map<std::string, SimRoute> routes;     // by route id
  std::vector<std::string> incident_kinds;    // what /incident accepts; empty: no reports
  std::vector<std::string> officers;          // at least one: who acknowledges, registers
  std::string officer_post = "hq";            // the officers go on shift there at the start,
  std::string officer_role = "duty_officer";  // with this role (escalation alerts it)
  std::string host = "sim-host";              // the staff member visitors come to see
  double visitors_per_hour = 30;
  double unregistered_share = 0.2;
  double incidents_per_hour = 4;
  double panic_share = 0.1;
  double round_skip_share = 0.1;
  double checkpoint_skip_share = 0.1;
  double ack_share = 0.8;
  Micros ack_delay_min = 5 * kMicrosPerSecond, ack_delay_max = 40 * kMicrosPerSecond;
  double resolve_share = 0.6;
  Micros relogin = 5 * 60 * kMicrosPerSecond;
  // Every shift_length from the start, a post with several guards hands over to the next
  // (/logout, then /login and /ack); 0 = the first guard stays on.
  Micros shift_length = 0;
  // A linked post's link goes down about every `offline_every` (in all; 0 = never) for
  // offline_min..max: the terminal is offline while the guard goes on working.
  Micros offline_every = 0;
  Micros offline_min = 30 * kMicrosPerSecond, offline_max = 2 * 60 * kMicrosPerSecond;
};

// Empty = valid; else one sentence per problem.
std::vector<std::string> ValidateSimModel(const SimModel& model);

struct SimAction {
  enum class Kind { kType, kCommand, kLinkDown, kLinkUp };
  Micros at = 0;
  Kind kind = Kind::kType;
  std::string post;                  // kType: whose terminal; kLink*: whose link
  std::string line;                  // kType: the line typed
  std::vector<std::string> command;  // kCommand: picketctl's arguments (no --config)
  // Equality for the determinism tests.
  bool operator==(const SimAction&) const = default;
};

class SiteSim {
 public:
  // `model` must be valid (ValidateSimModel).
  SiteSim(SimModel model, uint64_t seed, Micros start);

  // Every action due at or before `now`, in time order (ties in the order planned), each
  // once.
  std::vector<SimAction> Due(Micros now);
  // When the next planned action is due (visitors and incidents are always coming).
  Micros NextDue();

  // patrol.round_scheduled: `round` of `route` due at `due`. Unknown routes are ignored;
  // each round is reacted to once.
  void OnRoundScheduled(uint64_t round, const std::string& route, Micros due);
  // escalation.alert_raised at `at`: the first alert (level 1, first pass) of an incident
  // may be acknowledged. Each incident is reacted to once.
  void OnAlertRaised(uint64_t incident, uint32_t level, uint32_t pass, Micros at);
  // escalation.incident_acknowledged at `at`: it may be resolved. Once per incident.
  void OnAcknowledged(uint64_t incident, Micros at);

  // Counters for the log.
  uint64_t visitors() const { return visitors_; }
  uint64_t incidents() const { return incidents_; }

 private:
  void Plan(SimAction action);
  void Type(Micros at, const std::string& post, std::string line);
  void Command(Micros at, std::vector<std::string> command);
  void PlanLogins(Micros at);
  void PlanHandovers(Micros at);
  const SimGuard& OnDuty(const SimPost& post, Micros at) const;
  void PlanVisitor(Micros at);
  void PlanQueuedWalkUp(Micros at, const SimPost& post, const std::string& person,
                        const std::string& suffix);
  void PlanIncident(Micros at);
  void PlanOffline(Micros at);
  // Generates arrivals (visitors, incidents, logins) up to `now`.
  void Generate(Micros now);
  // A generator for one stream or reaction: depends on the seed and `key` only.
  std::mt19937_64 RngFor(const std::string& key) const;

  SimModel model_;
  uint64_t seed_;
  std::string tag_;  // in pass codes and visitor ids: this run's, from the start time
  // Visitors and incidents each draw from their own stream, so how often Due is called
  // does not change what is drawn.
  std::mt19937_64 visitor_rng_, incident_rng_, offline_rng_;
  std::multimap<Micros, SimAction> planned_;
  Micros start_ = 0;
  Micros next_visitor_ = 0, next_incident_ = 0, next_login_ = 0, next_offline_ = 0;
  double offline_per_hour_ = 0;  // outages an hour over all linked posts (0: none)
  Micros next_shift_ = 0;
  std::vector<size_t> linked_posts_;
  std::map<std::string, Micros> down_until_;  // a link is not cut again while it is down
  uint64_t visitors_ = 0, incidents_ = 0;
  std::set<uint64_t> rounds_seen_, alerts_seen_, acks_seen_;
  std::vector<size_t> gate_posts_;
};

}  // namespace picket::sim
