#include "access/access_service.h"

#include <spdlog/spdlog.h>

#include "access/wire_convert.h"
#include "runtime/typed_commands.h"
#include "wire/event_types.h"

namespace picket::access {

AccessService::AccessService(ServiceHost& host, const AccessServiceConfig& config)
    : host_(host), config_(config), core_(config.access) {
  granted_ =
      &host.metrics().AddCounter("picket_access_granted_total", "pass scans granted (in and out)");
  denied_ = &host.metrics().AddCounter("picket_access_denied_total",
                                       "pass scans denied, whatever the reason");
  refused_ = &host.metrics().AddCounter(
      "picket_access_requests_refused_total",
      "commands refused as invalid or by the state (malformed and unavailable: "
      "picket_service_commands_refused_total)");
  const AccessConfig& core_config = config_.access;
  host.On(
      event_types::kPassScanned,
      [&core_config](wire::Event::Reader e, wire::PassScanned::Reader b, std::string* why) {
        return ToPassScanned(core_config, e, b, why);
      },
      [this](ApplyContext& ctx, const PassScanned& scan) {
        ApplyEffects(ctx, core_.OnPassScanned(scan, ctx.state()), ctx.seq());
      });
  host.On(
      event_types::kManualEntry,
      [&core_config](wire::Event::Reader e, wire::ManualEntry::Reader b, std::string* why) {
        return ToManualEntry(core_config, e, b, why);
      },
      [this](ApplyContext& ctx, const ManualEntry& entry) {
        ApplyEffects(ctx, core_.OnManualEntry(entry, ctx.state()), 0);
      });
  host.On(
      event_types::kVisitorArrival,
      [&core_config](wire::Event::Reader e, wire::VisitorArrival::Reader b, std::string* why) {
        return ToVisitorArrival(core_config, e, b, why);
      },
      [this](ApplyContext& ctx, const VisitorArrival& arrival) {
        ApplyEffects(ctx, core_.OnVisitorArrived(arrival, ctx.state()), 0);
      });
  host.SetTimerHandler(
      [this](ApplyContext& ctx, const TimerRow& row, Micros now) { OnTimer(ctx, row, now); });
  ServeCommands<wire::AccessRequest, Command>(
      host, {.parse = ParseOrRefuse<wire::AccessRequest>(&ToCommand, &EncodeError, refused_),
             .is_query = [](wire::AccessRequest::Reader r) { return IsQuery(r); },
             .access = &AccessOf,
             .run =
                 [this](const Command& command, Txn& state, ApplyContext* ctx) {
                   CommandResult result = core_.OnCommand(command, state, host_.clock().Now());
                   if (ctx) ApplyEffects(*ctx, result.effects, 0);
                   if (!result.reply.ok()) refused_->Inc();
                   return EncodeReply(result.reply);
                 },
             .failure = FailureReply(&EncodeError),
             // A change is answered once it is on the bus (a refusal changed nothing: at once).
             .publish_wait = WaitForBusIfAccepted<wire::AccessReply>(config_.reply_wait),
             .published = &MarkIfUnpublished<wire::AccessReply>});
}

void AccessService::ApplyEffects(ApplyContext& ctx, const Effects& effects, uint64_t scan_seq) {
  for (const auto& id : effects.cancel) ctx.CancelTimer(id);
  for (const auto& t : effects.set) ctx.SetTimer(t.id, t.due, t.payload);
  for (const auto& e : effects.events) {
    if (std::holds_alternative<AccessGranted>(e.body)) granted_->Inc();
    if (std::holds_alternative<AccessDenied>(e.body)) denied_->Inc();
    FillEvent(ctx.Emit(), e, scan_seq);
  }
}

void AccessService::OnTimer(ApplyContext& ctx, const TimerRow& row, Micros now) {
  ApplyEffects(ctx, core_.OnTimer(TimerFired{row.timer_id, row.due, row.payload}, ctx.state(), now),
               0);
}

}  // namespace picket::access
