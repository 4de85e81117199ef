#include "console/wire_convert.h"

#include "wire/event_types.h"

namespace picket::console {
namespace {

using Fn = std::function<void(ApplyContext&, const IncidentEvent&)>;

IncidentEvent Base(wire::Event::Reader e, uint64_t incident, uint64_t version) {
  IncidentEvent out;
  out.type = e.getType().cStr();
  out.seq = e.getSeq();
  out.recorded_at = e.getRecordedAt();
  out.actor = e.getActor().cStr();
  out.incident = incident;
  out.version = version;
  return out;
}

// Registers `type` with `fill(out, body)` adding the body's own fields.
template <typename Body, typename Fill>
void Register(ServiceHost& host, EventType<Body> type, const Fn& fn, Fill fill) {
  host.On(type, std::function<void(ApplyContext&, wire::Event::Reader, typename Body::Reader)>(
                    [fn, fill](ApplyContext& ctx, wire::Event::Reader e, typename Body::Reader b) {
                      if (b.getIncident() == 0) return;  // not an incident: nothing to show
                      IncidentEvent out = Base(e, b.getIncident(), b.getVersion());
                      fill(out, b);
                      fn(ctx, out);
                    }));
}

}  // namespace

void OnIncidentEvents(ServiceHost& host,
                      std::function<void(ApplyContext&, const IncidentEvent&)> fn) {
  namespace t = event_types;
  Register(host, t::kIncidentOpened, fn, [](IncidentEvent& o, wire::IncidentOpened::Reader b) {
    o.incident_type = b.getIncidentType().cStr();
    o.severity = static_cast<int>(b.getSeverity());
    o.group_key = b.getGroupKey().cStr();
    o.post = b.getPost().cStr();
    o.reported_by = b.getReportedBy().cStr();
    o.cancel_window_until = b.getCancelWindowUntil();
  });
  Register(host, t::kIncidentGrouped, fn,
           [](IncidentEvent& o, wire::IncidentGrouped::Reader b) { o.count = b.getCount(); });
  Register(host, t::kAlertRaised, fn, [](IncidentEvent& o, wire::AlertRaised::Reader b) {
    o.person = b.getPerson().cStr();
    o.level = b.getLevel();
    o.fallback = b.getFallback();
    o.target = b.getTarget().cStr();
    o.reason = b.getReason().cStr();
    o.incident_type = b.getIncidentType().cStr();
    o.post = b.getPost().cStr();
    o.severity = static_cast<int>(b.getSeverity());
    o.note = b.getNote().cStr();
  });
  Register(host, t::kIncidentEscalated, fn,
           [](IncidentEvent& o, wire::IncidentEscalated::Reader b) {
             o.level = b.getToLevel();
             o.fallback = b.getToFallback();
             o.reason = b.getReason().cStr();
           });
  Register(host, t::kLevelUnstaffed, fn,
           [](IncidentEvent& o, wire::LevelUnstaffed::Reader b) { o.level = b.getLevel(); });
  Register(host, t::kIncidentAcknowledged, fn,
           [](IncidentEvent& o, wire::IncidentAcknowledged::Reader b) { o.level = b.getLevel(); });
  Register(host, t::kIncidentUnacknowledged, fn,
           [](IncidentEvent& o, wire::IncidentUnacknowledged::Reader b) {
             o.timed_out = b.getTimedOut();
           });
  Register(host, t::kStepDone, fn, [](IncidentEvent& o, wire::StepDone::Reader b) {
    o.step = b.getStep().cStr();
    o.text = b.getText().cStr();
    o.mandatory = b.getMandatory();
  });
  Register(host, t::kNoteAdded, fn,
           [](IncidentEvent& o, wire::NoteAdded::Reader b) { o.text = b.getText().cStr(); });
  Register(host, t::kIncidentResolved, fn, [](IncidentEvent& o, wire::IncidentResolved::Reader b) {
    o.override_reason = b.getOverrideReason().cStr();
    for (auto s : b.getMissingSteps()) o.missing_steps.emplace_back(s.cStr());
  });
  Register(host, t::kIncidentReopened, fn,
           [](IncidentEvent& o, wire::IncidentReopened::Reader b) { o.count = b.getCount(); });
  Register(host, t::kIncidentSilenced, fn, [](IncidentEvent& o, wire::IncidentSilenced::Reader b) {
    o.until = b.getUntil();
    o.reason = b.getReason().cStr();
  });
  Register(host, t::kSilenceEnded, fn, [](IncidentEvent&, wire::SilenceEnded::Reader) {});
  Register(host, t::kIncidentReassigned, fn,
           [](IncidentEvent& o, wire::IncidentReassigned::Reader b) {
             o.to = b.getTo().cStr();
             o.reason = b.getReason().cStr();
             o.dropped_ack_by = b.getDroppedAckBy().cStr();
           });
  Register(host, t::kIncidentCancelled, fn, [](IncidentEvent&, wire::IncidentCancelled::Reader) {});
}

namespace {

using GateFn = std::function<void(ApplyContext&, const GateEvent&)>;

GateEvent GateBase(wire::Event::Reader e) {
  GateEvent out;
  out.type = e.getType().cStr();
  out.seq = e.getSeq();
  out.at = e.getRecordedAt();
  out.actor = e.getActor().cStr();
  return out;
}

std::string DirectionName(wire::Direction d) { return d == wire::Direction::OUT ? "out" : "in"; }

template <typename Body, typename Fill>
void RegisterGate(ServiceHost& host, EventType<Body> type, const GateFn& fn, Fill fill) {
  host.On(type, std::function<void(ApplyContext&, wire::Event::Reader, typename Body::Reader)>(
                    [fn, fill](ApplyContext& ctx, wire::Event::Reader e, typename Body::Reader b) {
                      GateEvent out = GateBase(e);
                      out.post = b.getPost().cStr();
                      out.gate = b.getGate().cStr();
                      out.person = b.getPerson().cStr();
                      fill(out, b);
                      fn(ctx, out);
                    }));
}

}  // namespace

void OnGateEvents(ServiceHost& host, std::function<void(ApplyContext&, const GateEvent&)> fn) {
  namespace t = event_types;
  RegisterGate(host, t::kAccessGranted, fn, [](GateEvent& o, wire::AccessGranted::Reader b) {
    o.pass_code = b.getPassCode().cStr();
    o.direction = DirectionName(b.getDirection());
  });
  RegisterGate(host, t::kAccessDenied, fn, [](GateEvent& o, wire::AccessDenied::Reader b) {
    o.pass_code = b.getPassCode().cStr();
    o.reason = b.getReason().cStr();
    o.direction = DirectionName(b.getDirection());
  });
  RegisterGate(host, t::kWatchlistHit, fn,
               [](GateEvent& o, wire::WatchlistHit::Reader b) { o.reason = b.getReason().cStr(); });
  RegisterGate(
      host, t::kUnregisteredEntry, fn,
      [](GateEvent& o, wire::UnregisteredEntry::Reader b) { o.reason = b.getNote().cStr(); });
}

void OnWalkUpEvents(ServiceHost& host, std::function<void(ApplyContext&, const WalkUpChange&)> fn) {
  auto add = [&](auto type) {
    using Body = typename decltype(type)::BodyType;
    host.On(type, std::function<void(ApplyContext&, wire::Event::Reader, typename Body::Reader)>(
                      [fn](ApplyContext& ctx, wire::Event::Reader e, typename Body::Reader b) {
                        fn(ctx, WalkUpChange{e.getType().cStr(), e.getSeq(), b.getPerson().cStr()});
                      }));
  };
  add(event_types::kWalkUpRequested);
  add(event_types::kWalkUpApproved);
  add(event_types::kWalkUpDenied);
}

}  // namespace picket::console
