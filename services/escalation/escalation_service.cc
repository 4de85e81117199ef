#include "escalation/escalation_service.h"

#include <spdlog/spdlog.h>

#include "escalation/core/incident_keys.h"
#include "escalation/wire_convert.h"
#include "runtime/typed_commands.h"
#include "wire/text_check.h"

namespace picket::escalation {

EscalationService::EscalationService(ServiceHost& host, const EscalationConfig& config)
    : host_(host), core_(config) {
  refused_ = &host.metrics().AddCounter(
      "picket_escalation_requests_refused_total",
      "requests refused as invalid or by the incident's state (malformed and unavailable: "
      "picket_service_commands_refused_total)");
  unreadable_timers_ = &host.metrics().AddCounter("picket_escalation_unreadable_timers_total",
                                                  "timer rows that were not escalation timers");
  unmatched_triggers_ = &host.metrics().AddCounter(
      "picket_escalation_unmatched_triggers_total",
      "events of a trigger type (an incident report, a panic, ...) that no rule matched: "
      "no incident");
  host.SetEventHandler(
      [this](ApplyContext& ctx, wire::Event::Reader event) { OnEvent(ctx, event); });
  host.SetTimerHandler(
      [this](ApplyContext& ctx, const TimerRow& row, Micros now) { OnTimer(ctx, row, now); });
  ServeCommands<wire::EscalationRequest, Command>(
      host, {.parse = ParseOrRefuse<wire::EscalationRequest>(&ToCommand, &EncodeError, refused_),
             .is_query = [](wire::EscalationRequest::Reader r) { return IsQuery(r); },
             .access = &AccessOf,
             .run =
                 [this](const Command& command, Txn& state, ApplyContext* ctx) {
                   Effects fx = core_.OnCommand(command, state, host_.clock().Now());
                   if (ctx) ApplyEffects(*ctx, fx);
                   if (!fx.reply->ok()) refused_->Inc();
                   return EncodeReply(*fx.reply);
                 },
             .failure = FailureReply(&EncodeError),
             // A change is answered once it is on the bus (a refusal changed nothing: at once).
             .publish_wait = [&config](std::string_view reply) -> Micros {
               std::string error;
               auto decoded = DecodeReply(reply, &error);
               return decoded && decoded->ok() ? config.reply_wait : 0;
             },
             .published = [](const std::string& reply,
                             bool on_bus) { return on_bus ? reply : MarkUnpublished(reply); }});
}

void EscalationService::ApplyEffects(ApplyContext& ctx, const Effects& effects) {
  // A cancel names the row the core knew of; a newer row of the same incident (after a
  // stale row fired) is not the core's to drop.
  for (const auto& t : effects.cancel)
    if (ctx.TimerDue(keys::TimerId(t.incident)) == t.due)
      ctx.CancelTimer(keys::TimerId(t.incident));
  for (const auto& t : effects.set)
    ctx.SetTimer(keys::TimerId(t.incident), t.due, keys::TimerPayload(t.version));
  for (const auto& e : effects.events) FillEvent(ctx.Emit(), e);
}

void EscalationService::OnEvent(ApplyContext& ctx, wire::Event::Reader event) {
  RecordedEvent recorded = ToRecordedEvent(event);
  Effects fx = core_.OnEvent(recorded, ctx.state(), host_.clock().Now());
  if (fx.unmatched_trigger) {
    unmatched_triggers_->Inc();
    uint64_t held_back = 0;
    if (unmatched_log_.Allow(host_.clock().Now(), &held_back)) {
      std::string fields;
      for (const auto& [name, value] : recorded.fields)
        fields += " " + name + "='" + std::string(TruncateUtf8(value, 64)) + "'";
      std::string more =
          held_back == 0 ? "" : " (" + std::to_string(held_back) + " more were not logged)";
      spdlog::warn("escalation: no rule matches {} #{}{}: no incident opened{}", recorded.type,
                   recorded.seq, fields, more);
    }
  }
  ApplyEffects(ctx, fx);
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

}  // namespace picket::escalation
