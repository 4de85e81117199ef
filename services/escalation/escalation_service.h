// EscalationService: picket-escalation's adapter. It connects the pure core (Escalation)
// to the runtime's ServiceHost:
//
//   bus event      -> ToRecordedEvent -> Escalation::OnEvent   (inside the exactly-once apply)
//   timer row      -> Timer           -> Escalation::OnTimer   (fired once, in one batch)
//   command frame  -> ToCommand       -> Escalation::OnCommand (ApplyCommand: once per id)
//   query frame    -> ToCommand       -> Escalation::OnCommand on a read-only view
//
// and the core's Effects back: each OutgoingEvent is emitted (outbox, then bus) with its
// wire body; timer rows are cancelled, then set, in the same batch as the state. So an
// acknowledgement and the cancellation of the incident's step are one write: no alert can
// be raised for that incident after the ack is recorded.
//
// Commands go through the kit's typed endpoint (runtime/typed_commands.h): every request
// gets exactly one EscalationReply; a frame that is not an EscalationRequest gets
// error = malformed, one that could not be stored error = unavailable. Runs on the host's
// loop thread only.
//
// The reply to a command that changed something (and to a repeat of one) is held until
// the bus has acked its events and every event emitted before them (an alert a timer
// raised just before an ack included), at most config.reply_wait; after that it is sent
// with `unpublished` set. So an officer told "acknowledged" without that flag knows the
// ack is on the bus, after every alert raised before it: picket-notify, which checks the
// bus's head before each page (docs/notify.md), will not page for an earlier version.
#pragma once

#include <string>
#include <string_view>

#include "escalation/core/escalation.h"
#include "escalation/core/escalation_config.h"
#include "runtime/log_limiter.h"
#include "runtime/service_host.h"

namespace picket::escalation {

class EscalationService {
 public:
  // Registers the handlers with `host` (before host.Run/Start). `config` and `host` must
  // outlive this.
  EscalationService(ServiceHost& host, const EscalationConfig& config);

 private:
  void OnEvent(ApplyContext& ctx, wire::Event::Reader event);
  void OnTimer(ApplyContext& ctx, const TimerRow& row, Micros now);
  static void ApplyEffects(ApplyContext& ctx, const Effects& effects);

  ServiceHost& host_;
  Escalation core_;
  Counter* refused_ = nullptr;
  Counter* unreadable_timers_ = nullptr;
  Counter* unmatched_triggers_ = nullptr;
  LogLimiter unmatched_log_{5, 60 * kMicrosPerSecond};  // at most 5 lines a minute
};

}  // namespace picket::escalation
