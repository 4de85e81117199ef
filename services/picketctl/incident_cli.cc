#include "picketctl/incident_cli.h"

#include <cstdlib>
#include <iostream>
#include <vector>

#include "picketctl/bus_target.h"
#include "picketctl/escalation_target.h"
#include "picketctl/incident_command.h"
#include "picketctl/incident_request.h"
#include "picketctl/publish_command.h"
#include "picketctl/tool_keys.h"
#include "picketctl/watch_command.h"
#include "runtime/config.h"

namespace picket {

struct IncidentCli::State {
  CLI::App* incident = nullptr;
  std::vector<std::pair<IncidentVerb, CLI::App*>> verbs;
  IncidentArgs args;
  std::string as;
  EscalationTargetFlags target;
  std::string timeout = "5s";
  bool json = false;

  CLI::App* watch = nullptr;
  BusTargetFlags bus;
  std::string watch_timeout = "5s";
  int64_t from = 0;  // signed, so that a negative value is an error, not a wrap
  CLI::Option* from_opt = nullptr;
  AlertWatchOptions watch_options;
};

namespace {

using State = IncidentCli::State;

CLI::App* AddVerb(State& s, IncidentVerb verb, const std::string& help) {
  auto* cmd = s.incident->add_subcommand(std::string(IncidentVerbName(verb)), help);
  s.verbs.emplace_back(verb, cmd);
  cmd->add_option("--config", s.target.config, "site.toml: where picket-escalation listens");
  cmd->add_option("--commands", s.target.commands,
                  "picket-escalation's command endpoint (overrides the config)");
  cmd->add_option("--key", s.target.key, kKeyFlagHelp);
  cmd->add_option("--timeout", s.timeout, "total wait for an answer, retries included (5s)");
  cmd->add_option("--as", s.as, "the person acting (default $PICKET_ACTOR; required otherwise)");
  if (verb != IncidentVerb::kList)
    cmd->add_option("id", s.args.incident, "the incident id")->required();
  return cmd;
}

void AddVerbs(State& s) {
  auto* list = AddVerb(s, IncidentVerb::kList,
                       "the pending, open and acknowledged incidents; with --from and --to, "
                       "those first opened in that range (any state)");
  list->add_flag("--json", s.json, "one JSON object instead of a table");
  list->add_option("--from", s.args.opened_from,
                   "first opened at or after: 2026-11-28T14:00:00Z, now, -7d (with --to)");
  list->add_option("--to", s.args.opened_to,
                   "first opened before (with --from; at most 31 days on)");
  list->add_option("--post", s.args.post, "only the incidents at this post (with --from, --to)");
  auto* show = AddVerb(s, IncidentVerb::kShow, "one incident: procedure, history, deadlines");
  show->add_flag("--json", s.json, "one JSON object instead of text");
  AddVerb(s, IncidentVerb::kAcknowledge, "acknowledge: stops escalation");
  AddVerb(s, IncidentVerb::kUnacknowledge, "give an acknowledgement back: escalation resumes");
  AddVerb(s, IncidentVerb::kStepDone, "mark a procedure step done")
      ->add_option("step", s.args.step, "the step id")
      ->required();
  AddVerb(s, IncidentVerb::kNote, "add a note")
      ->add_option("text", s.args.text, "the note")
      ->required();
  AddVerb(s, IncidentVerb::kResolve, "resolve (needs the mandatory steps or --override)")
      ->add_option("--override", s.args.override_reason,
                   "why it is resolved without every mandatory step");
  auto* reassign = AddVerb(s, IncidentVerb::kReassign, "make someone the assignee");
  reassign->add_option("--to", s.args.to, "the new assignee")->required();
  reassign->add_option("--reason", s.args.reason, "why");
  auto* silence = AddVerb(s, IncidentVerb::kSilence, "no alerts for a while");
  silence->add_option("--for", s.args.duration, "how long, e.g. 15m (at most 24h)")->required();
  silence->add_option("--reason", s.args.reason, "why")->required();
  AddVerb(s, IncidentVerb::kCancel, "cancel a panic within its cancel window");
}

void AddWatch(State& s) {
  s.watch = s.incident->add_subcommand("watch", "print alerts as they arrive (Ctrl-C stops)");
  s.watch->add_option("--config", s.bus.config, "site.toml: the bus endpoints");
  s.watch->add_option("--events", s.bus.events, "bus events (PUB) endpoint");
  s.watch->add_option("--replay", s.bus.replay, "bus replay endpoint");
  s.watch->add_option("--key", s.bus.key, kKeyFlagHelp);
  s.watch->add_option("--timeout", s.watch_timeout, "how long to wait for the bus at start");
  s.watch->add_option("--person", s.watch_options.person, "only this person's alerts");
  s.from_opt = s.watch->add_option("--from", s.from, "replay from this seq (default: live)");
  s.watch->add_flag("--json", s.watch_options.json, "one JSON object per line");
}

int RunWatch(State& s, zmq::context_t& context, EventLoop& loop) {
  const std::string who = "picketctl incident watch: ";
  WatchOptions options;
  auto timeout = ParseDurationMicros(s.watch_timeout);
  if (!timeout || *timeout <= 0) {
    std::cerr << who << "--timeout: '" << s.watch_timeout << "' is not a duration like 5s\n";
    return kExitUsage;
  }
  options.timeout = *timeout;
  if (s.from_opt->count() > 0) {
    if (s.from <= 0) {
      std::cerr << who << "--from is a sequence number, which starts at 1\n";
      return kExitUsage;
    }
    options.from = static_cast<uint64_t>(s.from);
  }
  std::string error;
  bool bus_missing = false;
  auto target = ResolveBusTarget(s.bus, &error, &bus_missing);
  if (!target) {
    std::cerr << who << error << "\n";
    return bus_missing ? kExitNoAnswer : kExitUsage;
  }
  if (!RequireEndpoint(target->endpoints.events, "events", &error) ||
      !RequireEndpoint(target->endpoints.replay, "replay", &error)) {
    std::cerr << who << error << "\n";
    return kExitUsage;
  }
  options.events = target->endpoints.events;
  options.replay = target->endpoints.replay;
  options.curve = target->identity.curve;
  options.watch = s.watch_options;
  WatchSession session(context, loop, options, std::cout, std::cerr);
  int code = session.Start();
  if (code != kExitOk) return code;
  loop.Run();  // until Ctrl-C / SIGTERM
  return kExitOk;
}

int RunVerb(State& s, IncidentVerb verb, zmq::context_t& context, const Clock& clock) {
  const std::string who = "picketctl incident " + std::string(IncidentVerbName(verb)) + ": ";
  IncidentArgs args = s.args;
  args.verb = verb;
  args.now = clock.Now();
  int exit_code = kExitUsage;
  auto target =
      ResolveCallTarget(who, s.timeout, kEscalationService, s.target, std::cerr, &exit_code);
  if (!target) return exit_code;
  auto actor = ResolveActing(s.as, target->identity, std::getenv("PICKET_ACTOR"));
  if (!actor && IsMutatingVerb(verb)) {
    std::cerr << who << "who is acting? give --as PERSON (or set $PICKET_ACTOR)\n";
    return kExitUsage;
  }
  args.actor = actor.value_or("");
  IncidentRunOptions options;
  options.timeout = target->timeout;
  options.endpoint = target->endpoint;
  options.curve = target->identity.curve;
  options.json = s.json;
  return RunIncidentCommand(context, clock, args, options, std::cout, std::cerr);
}

}  // namespace

IncidentCli::IncidentCli(CLI::App& app) : state_(std::make_unique<State>()) {
  state_->incident = app.add_subcommand("incident", "incidents: list, show, act on, watch");
  state_->incident->require_subcommand(1);
  AddVerbs(*state_);
  AddWatch(*state_);
}

IncidentCli::~IncidentCli() = default;

bool IncidentCli::parsed() const { return state_->incident->parsed(); }

int IncidentCli::Run(zmq::context_t& context, EventLoop& loop, const Clock& clock) {
  if (state_->watch->parsed()) return RunWatch(*state_, context, loop);
  for (const auto& [verb, cmd] : state_->verbs) {
    if (cmd->parsed()) return RunVerb(*state_, verb, context, clock);
  }
  std::cerr << "picketctl incident: which sub-command? (--help)\n";
  return kExitUsage;
}

}  // namespace picket
