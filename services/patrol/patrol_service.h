// PatrolService: picket-patrol's adapter. It connects the pure core (Patrol) to the
// runtime's ServiceHost:
//
//   terminal.round_started       -> ToRoundStart     -> Patrol::OnRoundStarted      (exactly once)
//   terminal.checkpoint_scanned  -> ToCheckpointScan -> Patrol::OnCheckpointScanned
//   terminal.round_ended         -> ToRoundEnd       -> Patrol::OnRoundEnded
//   timer row (schedule, start, leg, end deadlines) -> Patrol::OnTimer
//   command frame -> ToCommand -> Patrol::OnCommand (ApplyCommand: once per id)
//   query frame   -> ToCommand -> Patrol::OnCommand on a read-only view
//   start of the process -> Patrol::OnStart (schedules get their timers; idempotent)
//
// and the core's Effects back: timer rows cancelled, then set, and each OutgoingEvent
// emitted (outbox, then bus), in the same batch as the state. So a round and its
// deadlines never disagree, and each deadline fires once however often the service is
// killed: one that fell during a downtime fires at start, with its lateness.
//
// Commands go through the kit's typed endpoint (runtime/typed_commands.h): every request
// gets exactly one PatrolReply; a change is answered once its events are on the bus, or
// after reply_wait with `unpublished` set. Runs on the host's loop thread only.
#pragma once

#include "patrol/core/patrol.h"
#include "patrol/patrol_config_toml.h"
#include "runtime/service_host.h"

namespace picket::patrol {

class PatrolService {
 public:
  // Registers the handlers with `host` (before host.Run/Start) and posts the start-up
  // apply. `config` and `host` must outlive this.
  PatrolService(ServiceHost& host, const PatrolServiceConfig& config);

 private:
  void ApplyEffects(ApplyContext& ctx, const Effects& effects);
  void OnStart();

  ServiceHost& host_;
  const PatrolServiceConfig& config_;
  Patrol core_;
  Counter* missed_ = nullptr;
  Counter* not_started_ = nullptr;
  Counter* rejected_ = nullptr;
  Counter* refused_ = nullptr;
};

}  // namespace picket::patrol
