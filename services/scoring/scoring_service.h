// ScoringService: picket-scoring's adapter. It connects the pure core (Scoring) to the
// runtime's ServiceHost:
//
//   every recorded event of a type some rule names -> ToFact -> Scoring::OnEvent
//   (exactly once, in seq order); scoring.entry_voided of its own -> OnEvent (a rebuild
//   replays supervisors' voids)
//   timer row (award/<period>) -> Scoring::OnTimer, once the service has caught up
//   command frame -> ToCommand -> Scoring::OnCommand (ApplyCommand: once per id)
//   query frame   -> ToCommand -> Scoring::OnCommand on a read-only view
//   start of the process -> Scoring::OnStart (award timers; idempotent)
//
// A derived event whose producer is not the service its namespace names (a forged
// patrol.checkpoint_accepted published by a terminal) never reaches it: the kit skips and
// counts it (picket_service_events_foreign_total, runtime/service_host.h).
//
// An award timer that falls due while the service is still catching up on the bus (after
// a restart) is put back by a second: the period's totals must include every event of it
// before the best post is chosen. Runs on the host's loop thread only.
#pragma once

#include <set>
#include <string>

#include "runtime/service_host.h"
#include "scoring/core/scoring.h"
#include "scoring/scoring_config_toml.h"

namespace picket::scoring {

class ScoringService {
 public:
  // Registers the handlers with `host` (before host.Run/Start) and posts the start-up
  // apply. `config` and `host` must outlive this.
  ScoringService(ServiceHost& host, const ScoringServiceConfig& config);

 private:
  void OnEvent(ApplyContext& ctx, wire::Event::Reader event);
  void ApplyEffects(ApplyContext& ctx, const Effects& effects);
  void OnStart();

  ServiceHost& host_;
  const ScoringServiceConfig& config_;
  Scoring core_;
  std::set<std::string, std::less<>> scored_types_;  // the rules' event types
  Counter* awarded_ = nullptr;
  Counter* voided_ = nullptr;
  Counter* refused_ = nullptr;
};

}  // namespace picket::scoring
