#include "console/console_service.h"

#include <spdlog/spdlog.h>

#include <fstream>

#include "console/wire_convert.h"
#include "runtime/service_store.h"

namespace picket::console {
namespace {

// How the console connects to `section`'s endpoint: with its own key on a site with
// [security]. A service the site does not list is called plain (and so never answers: its
// calls end in 503 unavailable, and the start says why).
CurveClientKeys KeysFor(ServiceHost& host, const std::string& section) {
  std::string error;
  if (auto keys = host.keys().ClientOf(section, &error)) return *keys;
  spdlog::warn("console: calls to picket-{} will get no answer: {}", section, error);
  return {};
}

}  // namespace

ConsoleService::ConsoleService(ServiceHost& host, const ConsoleConfig& config)
    : host_(host),
      config_(config),
      state_(std::make_unique<ConsoleState>(config, host.store().applied_seq())),
      escalation_(ServiceTarget{&host.context(), "escalation", config.escalation_commands,
                                host.site().data_root, config.command_timeout,
                                KeysFor(host, "escalation")}),
      access_(ServiceTarget{&host.context(), "access", config.access_commands,
                            host.site().data_root, config.command_timeout,
                            KeysFor(host, "access")}),
      scoring_(ServiceTarget{&host.context(), "scoring", config.scoring_commands,
                             host.site().data_root, config.command_timeout,
                             KeysFor(host, "scoring")}),
      patrol_(ServiceTarget{&host.context(), "patrol", config.patrol_commands,
                            host.site().data_root, config.command_timeout,
                            KeysFor(host, "patrol")}) {
  ReadOnlyTxn view(host.store());
  IncidentBoard board(config.closed_kept, config.history_lines);
  LoadBoard(view, board, config.history_lines);
  state_->Loaded(std::move(board));
  state_->LoadedGates(LoadGateEvents(view));
  OnIncidentEvents(host, [this](ApplyContext& ctx, const IncidentEvent& e) {
    IncidentChange change = ApplyIncidentEvent(ctx.state(), e);
    host_.WhenApplied(e.seq, [this, change] { state_->Changed(change); });
  });
  OnGateEvents(host, [this](ApplyContext& ctx, const GateEvent& e) {
    AppendGateEvent(ctx.state(), e, config_.gate_feed);
    host_.WhenApplied(e.seq, [this, e] { state_->GateChanged(e); });
  });
  OnWalkUpEvents(host, [this](ApplyContext&, const WalkUpChange& w) {
    // Nothing stored: the page asks picket-access for the queue again on `walkup`.
    StreamEntry entry{w.seq, "walkup", DumpJson({{"type", w.type}, {"person", w.person}})};
    host_.WhenApplied(w.seq, [this, entry] { state_->stream().Push(entry); });
  });
  http_ = std::make_unique<ConsoleHttp>(*state_, config_, escalation_, access_, scoring_, patrol_,
                                        host.clock());
}

ConsoleService::~ConsoleService() { Stop(); }

bool ConsoleService::Start(std::string* error) {
  if (!http_->Start(error)) return false;
  std::ofstream(host_.data_dir() + "/console.json")
      << nlohmann::json({{"url", "http://" + http_->bound() + "/"}}).dump() << "\n";
  spdlog::info("console: serving http://{}/ ({} accounts)", http_->bound(),
               config_.accounts.size());
  return true;
}

void ConsoleService::Stop() { http_->Stop(); }

}  // namespace picket::console
