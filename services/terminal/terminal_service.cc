#include "terminal/terminal_service.h"

#include <spdlog/spdlog.h>

#include "terminal/core/screen.h"
#include "terminal/wire_convert.h"
#include "wire/event_id.h"
#include "wire/event_types.h"

namespace picket::terminal {
namespace {

constexpr size_t kMaxOwn = 4096;

std::string IdHex(wire::Event::Reader event) {
  auto id = event.getId();
  auto parsed =
      EventId::FromBytes(std::string_view(reinterpret_cast<const char*>(id.begin()), id.size()));
  return parsed ? parsed->ToHex() : "";
}

bool Is(wire::Event::Reader event, std::string_view type) {
  return std::string_view(event.getType().cStr(), event.getType().size()) == type;
}

}  // namespace

TerminalService::TerminalService(ServiceHost& host, const TerminalConfig& config, Print print,
                                 Draw draw)
    : host_(host),
      config_(config),
      session_(config),
      print_(std::move(print)),
      draw_(std::move(draw)) {
  host.SetEventHandler([this](ApplyContext& ctx, wire::Event::Reader e) { OnEvent(ctx, e); });
  host.loop().Every(kMicrosPerSecond, [this] { CheckConnection(); });
  host.Post([this] {
    if (draw_) draw_(session_.screen());
    CheckConnection();
  });
}

void TerminalService::OnLine(std::string line) {
  host_.Post([this, line = std::move(line)] {
    Take(session_.HandleLine(line, host_.clock().Now()));
    CheckConnection();
  });
}

void TerminalService::OnEvent(ApplyContext& ctx, wire::Event::Reader event) {
  const Micros now = host_.clock().Now();
  const std::string_view producer(event.getProducer().cStr(), event.getProducer().size());
  if (producer == host_.name()) {
    own_[event.getSeq()] = IdHex(event);
    while (own_.size() > kMaxOwn) own_.erase(own_.begin());
    return;
  }
  auto body = event.getBody();
  if (Is(event, event_types::kAccessGranted.name) || Is(event, event_types::kAccessDenied.name)) {
    DecisionOnWire d = Is(event, event_types::kAccessGranted.name)
                           ? FromGranted(body.getAs<wire::AccessGranted>())
                           : FromDenied(body.getAs<wire::AccessDenied>());
    if (d.post != config_.post) return;
    d.decision.scan_event_id = OwnId(d.scan_seq);
    if (d.decision.scan_event_id.empty()) return;  // another terminal's scan at this post
    Take(session_.OnDecision(d.decision, now), &ctx);
  } else if (Is(event, event_types::kIncidentOpened.name)) {
    IncidentOnWire i = FromOpened(body.getAs<wire::IncidentOpened>());
    i.info.trigger_event_id = OwnId(i.trigger_seq);
    Take(session_.OnIncidentOpened(i.info, now), &ctx);
  } else if (Is(event, event_types::kRoundCompleted.name)) {
    auto done = body.getAs<wire::RoundCompleted>();
    if (std::string_view(done.getPost().cStr()) != config_.post) return;
    Take(session_.OnRoundClosed(done.getOnTime(), done.getLate(), done.getMissed(), now), &ctx);
  } else if (Is(event, event_types::kStepDone.name)) {
    auto step = body.getAs<wire::StepDone>();
    Take(session_.OnStepDone(step.getIncident(), step.getStep().cStr(), now), &ctx);
  } else if (Is(event, event_types::kIncidentResolved.name)) {
    Take(session_.OnIncidentClosed(body.getAs<wire::IncidentResolved>().getIncident(), "resolved",
                                   now),
         &ctx);
  } else if (Is(event, event_types::kIncidentCancelled.name)) {
    Take(session_.OnIncidentClosed(body.getAs<wire::IncidentCancelled>().getIncident(), "cancelled",
                                   now),
         &ctx);
  }
}

std::string TerminalService::OwnId(uint64_t seq) const {
  auto it = own_.find(seq);
  return it == own_.end() ? "" : it->second;
}

void TerminalService::Take(const Effects& fx, ApplyContext* ctx) {
  std::vector<std::string> ids;
  std::string error;
  auto emit = [&](ApplyContext& c) {
    ids.clear();
    for (const OutgoingEvent& e : fx.events) {
      auto out = c.Emit();
      if (!FillEvent(e, out, &error)) throw StoreError(error);  // a bug: keep nothing of it
      ids.push_back(IdHex(out.asReader()));
    }
  };
  bool kept = true;
  if (!fx.events.empty()) {
    if (ctx != nullptr) {
      emit(*ctx);
    } else {
      const std::string cause =
          "line/" + std::to_string(host_.clock().Now()) + "/" + std::to_string(++inputs_);
      kept = host_.ApplyLocal(cause, emit, &error) != ApplyResult::kFailed;
    }
  }
  std::vector<std::string> lines = RenderLines(fx);
  if (kept) {
    for (size_t i = 0; i < fx.events.size() && i < ids.size(); ++i)
      session_.BindEventId(fx.events[i].ref, ids[i]);
  } else {
    spdlog::error("terminal: {}", error);
    lines.push_back("ERR not_kept the terminal could not store this (" + error +
                    "): say it by radio");
  }
  if (print_ && !lines.empty()) print_(lines);
  if (draw_ && fx.screen_changed) draw_(session_.screen());
  ArmDeadline();
}

void TerminalService::CheckConnection() {
  const Micros now = host_.clock().Now();
  const Micros heard = host_.bus_last_heard();
  const bool connected = heard > 0 && now - heard <= 3 * host_.site().bus.heartbeat_interval;
  const size_t depth = host_.unpublished();
  if (reported_ && connected == connected_ && depth == depth_) return;
  reported_ = true;
  connected_ = connected;
  depth_ = depth;
  Take(session_.OnConnection(connected, depth, now));
}

void TerminalService::ArmDeadline() {
  if (deadline_timer_ != 0) host_.loop().CancelTimer(deadline_timer_);
  deadline_timer_ = 0;
  if (auto due = session_.NextDeadline()) {
    deadline_timer_ = host_.loop().At(*due, [this] {
      deadline_timer_ = 0;
      Take(session_.OnTimer(host_.clock().Now()));
    });
  }
}

}  // namespace picket::terminal
