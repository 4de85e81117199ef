#include "scoring/scoring_service.h"

#include <spdlog/spdlog.h>

#include "runtime/typed_commands.h"
#include "scoring/wire_convert.h"
#include "wire/event_types.h"

namespace picket::scoring {

ScoringService::ScoringService(ServiceHost& host, const ScoringServiceConfig& config)
    : host_(host), config_(config), core_(config.scoring) {
  for (const Rule& r : config.scoring.rules) scored_types_.insert(r.event);
  scored_types_.insert(std::string(event_names::kEntryVoided));
  MetricsRegistry& m = host.metrics();
  awarded_ = &m.AddCounter("picket_scoring_entries_total", "ledger entries made");
  voided_ = &m.AddCounter("picket_scoring_voids_total",
                          "entries voided, by a supervisor or a reversing rule");
  refused_ =
      &m.AddCounter("picket_scoring_requests_refused_total",
                    "commands refused as invalid or by the state (malformed and unavailable: "
                    "picket_service_commands_refused_total)");
  host.SetEventHandler(
      [this](ApplyContext& ctx, wire::Event::Reader event) { OnEvent(ctx, event); });
  host.SetTimerHandler([this](ApplyContext& ctx, const TimerRow& row, Micros now) {
    if (!host_.caught_up()) {  // the period's events may not all be applied yet
      ctx.SetTimer(row.timer_id, now + kMicrosPerSecond, row.payload);
      return;
    }
    ApplyEffects(ctx,
                 core_.OnTimer(TimerFired{row.timer_id, row.due, row.payload}, ctx.state(), now));
  });
  ServeCommands<wire::ScoringRequest, Command>(
      host, {.parse = ParseOrRefuse<wire::ScoringRequest>(&ToCommand, &EncodeError, refused_),
             .is_query = [](wire::ScoringRequest::Reader r) { return IsQuery(r); },
             .access = &AccessOf,
             .run =
                 [this](const Command& command, Txn& state, ApplyContext* ctx) {
                   CommandResult result = core_.OnCommand(command, state, host_.clock().Now());
                   if (ctx) ApplyEffects(*ctx, result.effects);
                   if (!result.reply.ok()) refused_->Inc();
                   return EncodeReply(result.reply);
                 },
             .failure = FailureReply(&EncodeError),
             .publish_wait = WaitForBusIfAccepted<wire::ScoringReply>(config_.reply_wait),
             .published = &MarkIfUnpublished<wire::ScoringReply>});
  host.Post([this] { OnStart(); });
}

void ScoringService::OnEvent(ApplyContext& ctx, wire::Event::Reader event) {
  const auto type = event.getType();
  const std::string_view name(type.cStr(), type.size());
  if (!scored_types_.count(name)) return;
  std::string why;
  auto fact = ToFact(event, &why);
  if (!fact) throw MalformedEvent(why);
  ApplyEffects(ctx, core_.OnEvent(*fact, ctx.state()));
}

void ScoringService::OnStart() {
  const Micros now = host_.clock().Now();
  std::string error;
  auto result = host_.ApplyLocal(
      "scoring.start." + std::to_string(now),
      [&](ApplyContext& ctx) { ApplyEffects(ctx, core_.OnStart(ctx.state(), now)); }, &error);
  if (result == ApplyResult::kFailed)
    spdlog::error("scoring: could not arm the award timers: {}", error);
}

void ScoringService::ApplyEffects(ApplyContext& ctx, const Effects& effects) {
  for (const auto& id : effects.cancel) ctx.CancelTimer(id);
  for (const auto& t : effects.set) ctx.SetTimer(t.id, t.due, t.payload);
  for (const auto& e : effects.events) {
    if (std::holds_alternative<PointsAwarded>(e.body)) awarded_->Inc();
    if (std::holds_alternative<EntryVoided>(e.body)) voided_->Inc();
    FillEvent(ctx.Emit(), e);
  }
}

}  // namespace picket::scoring
