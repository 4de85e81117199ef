// AccessService: picket-access's adapter. It connects the pure core (Access) to the
// runtime's ServiceHost:
//
//   terminal.pass_scanned    -> ToPassScanned    -> Access::OnPassScanned   (exactly once)
//   terminal.manual_entry    -> ToManualEntry    -> Access::OnManualEntry
//   terminal.visitor_arrived -> ToVisitorArrival -> Access::OnVisitorArrived
//   timer row (overstay)     -> TimerFired       -> Access::OnTimer
//   command frame            -> ToCommand        -> Access::OnCommand (ApplyCommand: once per id)
//   query frame              -> ToCommand        -> Access::OnCommand on a read-only view
//
// and the core's Effects back: timer rows cancelled, then set, and each OutgoingEvent
// emitted (outbox, then bus), in the same batch as the state. So a visit and its overstay
// timer never disagree, and a decision is recorded exactly once per scan however often
// the service is killed and restarted.
//
// The decision on a scan (access.granted / access.denied) carries the scan's bus seq
// (scanSeq): the terminal that published the scan learns its seq from the bus's ack and
// waits for the decision naming it (docs/protocol.md, "The gate's answer").
//
// Commands go through the kit's typed endpoint (runtime/typed_commands.h): every request
// gets exactly one AccessReply; a change is answered once its events are on the bus, or
// after reply_wait with `unpublished` set. Runs on the host's loop thread only.
#pragma once

#include "access/access_config_toml.h"
#include "access/core/access.h"
#include "runtime/service_host.h"

namespace picket::access {

class AccessService {
 public:
  // Registers the handlers with `host` (before host.Run/Start). `config` and `host` must
  // outlive this.
  AccessService(ServiceHost& host, const AccessServiceConfig& config);

 private:
  void ApplyEffects(ApplyContext& ctx, const Effects& effects, uint64_t scan_seq);
  void OnTimer(ApplyContext& ctx, const TimerRow& row, Micros now);

  ServiceHost& host_;
  const AccessServiceConfig& config_;
  Access core_;
  Counter* granted_ = nullptr;
  Counter* denied_ = nullptr;
  Counter* refused_ = nullptr;
};

}  // namespace picket::access
