#include "escalation/escalation_service.h"

#include <spdlog/spdlog.h>

#include "escalation/core/incident_keys.h"
#include "escalation/wire_convert.h"
#include "wire/codec.h"

namespace picket::escalation {

EscalationService::EscalationService(ServiceHost& host, const EscalationConfig& config)
    : host_(host), core_(config) {
  refused_ = &host.metrics().AddCounter("picket_escalation_requests_refused_total",
                                        "requests answered with an error (malformed included)");
  unreadable_timers_ = &host.metrics().AddCounter("picket_escalation_unreadable_timers_total",
                                                  "timer rows that were not escalation timers");
  host.SetEventHandler(
      [this](ApplyContext& ctx, wire::Event::Reader event) { OnEvent(ctx, event); });
  host.SetTimerHandler(
      [this](ApplyContext& ctx, const TimerRow& row, Micros now) { OnTimer(ctx, row, now); });
  host.SetCommandHandler([this](std::string_view frame) { return HandleRequest(frame); },
                         EncodeError(wire::EscalationError::MALFORMED,
                                     "the request is not an EscalationRequest or is too large"));
}

void EscalationService::ApplyEffects(ApplyContext& ctx, const Effects& effects) {
  // A cancel names the row the core knew of; a newer row of the same incident (after a
  // stale row fired) is not the core's to drop.
  for (const auto& t : effects.cancel)
    if (ctx.TimerDue(keys::TimerId(t.incident)) == t.due) ctx.CancelTimer(keys::TimerId(t.incident));
  for (const auto& t : effects.set)
    ctx.SetTimer(keys::TimerId(t.incident), t.due, keys::TimerPayload(t.version));
  for (const auto& e : effects.events) FillEvent(ctx.Emit(), e);
}

void EscalationService::OnEvent(ApplyContext& ctx, wire::Event::Reader event) {
  RecordedEvent recorded = ToRecordedEvent(event);
  ApplyEffects(ctx, core_.OnEvent(recorded, ctx.state(), host_.clock().Now()));
}

void EscalationService::OnTimer(ApplyContext& ctx, const TimerRow& row, Micros now) {
  auto incident = keys::DecodeTimerId(row.timer_id);
  auto version = keys::DecodeTimerPayload(row.payload);
  if (!incident || !version) {
    // Not ours (the row is consumed by the host's apply either way).
    unreadable_timers_->Inc();
    spdlog::warn("escalation: dropped an unreadable timer row");
    return;
  }
  ApplyEffects(ctx, core_.OnTimer(Timer{row.due, *incident, *version}, ctx.state(), now));
}

std::string EscalationService::HandleRequest(std::string_view frame) {
  std::string error;
  auto msg = DecodedMessage::Decode(frame, &error);
  if (!msg) {
    refused_->Inc();
    return EncodeError(wire::EscalationError::MALFORMED, "not a Cap'n Proto message: " + error);
  }
  std::string reply;
  bool ok = ReadSafely<wire::EscalationRequest>(
      *msg,
      [&](wire::EscalationRequest::Reader request) {
        wire::EscalationError code = wire::EscalationError::NONE;
        std::string message;
        auto command = ToCommand(request, &code, &message);
        if (!command) {
          refused_->Inc();
          reply = EncodeError(code, message);
          return;
        }
        const Micros now = host_.clock().Now();
        if (IsQuery(request)) {
          ReadOnlyTxn view(host_.store());
          reply = EncodeReply(*core_.OnCommand(*command, view, now).reply);
          return;
        }
        std::string apply_error;
        auto result = host_.ApplyCommand(
            CommandIdOf(request),
            [&](ApplyContext& ctx) {
              Effects fx = core_.OnCommand(*command, ctx.state(), now);
              ApplyEffects(ctx, fx);
              if (!fx.reply->ok()) refused_->Inc();
              return EncodeReply(*fx.reply);
            },
            &reply, &apply_error);
        if (result == ApplyResult::kFailed) {
          spdlog::error("escalation: a command failed: {}", apply_error);
          // Not recorded: a retry of the same command id applies it then.
          reply = EncodeError(wire::EscalationError::UNAVAILABLE,
                              "the command could not be stored; retry: " + apply_error);
        }
      },
      &error);
  if (!ok) {
    refused_->Inc();
    return EncodeError(wire::EscalationError::MALFORMED,
                       "the request is not a valid EscalationRequest: " + error);
  }
  return reply;
}

}  // namespace picket::escalation
