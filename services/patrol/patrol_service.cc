#include "patrol/patrol_service.h"

#include <spdlog/spdlog.h>

#include "patrol/wire_convert.h"
#include "runtime/typed_commands.h"
#include "wire/event_types.h"

namespace picket::patrol {

PatrolService::PatrolService(ServiceHost& host, const PatrolServiceConfig& config)
    : host_(host), config_(config), core_(config.patrol) {
  MetricsRegistry& m = host.metrics();
  missed_ = &m.AddCounter("picket_patrol_checkpoints_missed_total",
                          "checkpoints declared missed (deadline passed or round ended)");
  not_started_ = &m.AddCounter("picket_patrol_rounds_not_started_total",
                               "scheduled rounds not started by due + grace");
  rejected_ = &m.AddCounter("picket_patrol_scans_rejected_total",
                            "checkpoint scans not counted, whatever the reason");
  refused_ =
      &m.AddCounter("picket_patrol_requests_refused_total",
                    "commands refused as invalid or by the state (malformed and unavailable: "
                    "picket_service_commands_refused_total)");
  host.On(event_types::kPatrolStart, &ToRoundStart, [this](ApplyContext& ctx, const RoundStart& f) {
    ApplyEffects(ctx, core_.OnRoundStarted(f, ctx.state()));
  });
  host.On(event_types::kCheckpointScanned, &ToCheckpointScan,
          [this](ApplyContext& ctx, const CheckpointScan& f) {
            ApplyEffects(ctx, core_.OnCheckpointScanned(f, ctx.state()));
          });
  host.On(event_types::kPatrolEnd, &ToRoundEnd, [this](ApplyContext& ctx, const RoundEnd& f) {
    ApplyEffects(ctx, core_.OnRoundEnded(f, ctx.state()));
  });
  host.SetTimerHandler([this](ApplyContext& ctx, const TimerRow& row, Micros now) {
    ApplyEffects(ctx,
                 core_.OnTimer(TimerFired{row.timer_id, row.due, row.payload}, ctx.state(), now));
  });
  ServeCommands<wire::PatrolRequest, Command>(
      host, {.parse = ParseOrRefuse<wire::PatrolRequest>(&ToCommand, &EncodeError, refused_),
             .is_query = [](wire::PatrolRequest::Reader r) { return IsQuery(r); },
             .access = &AccessOf,
             .run =
                 [this](const Command& command, Txn& state, ApplyContext* ctx) {
                   CommandResult result = core_.OnCommand(command, state, host_.clock().Now());
                   if (ctx) ApplyEffects(*ctx, result.effects);
                   if (!result.reply.ok()) refused_->Inc();
                   return EncodeReply(result.reply);
                 },
             .failure = FailureReply(&EncodeError),
             // A change is answered once it is on the bus (a refusal changed nothing: at once).
             .publish_wait = WaitForBusIfAccepted<wire::PatrolReply>(config_.reply_wait),
             .published = &MarkIfUnpublished<wire::PatrolReply>});
  host.Post([this] { OnStart(); });
}

void PatrolService::OnStart() {
  const Micros now = host_.clock().Now();
  std::string error;
  // The cause only has to be unique per input: OnStart itself is idempotent.
  auto result = host_.ApplyLocal(
      "patrol.start." + std::to_string(now),
      [&](ApplyContext& ctx) { ApplyEffects(ctx, core_.OnStart(ctx.state(), now)); }, &error);
  if (result == ApplyResult::kFailed)
    spdlog::error("patrol: could not arm the schedules' timers: {}", error);
}

void PatrolService::ApplyEffects(ApplyContext& ctx, const Effects& effects) {
  for (const auto& id : effects.cancel) ctx.CancelTimer(id);
  for (const auto& t : effects.set) ctx.SetTimer(t.id, t.due, t.payload);
  for (const auto& e : effects.events) {
    if (std::holds_alternative<CheckpointMissed>(e.body)) missed_->Inc();
    if (std::holds_alternative<RoundNotStarted>(e.body)) not_started_->Inc();
    if (std::holds_alternative<CheckpointRejected>(e.body)) rejected_->Inc();
    FillEvent(ctx.Emit(), e);
  }
}

}  // namespace picket::patrol
