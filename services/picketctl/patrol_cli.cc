#include "picketctl/patrol_cli.h"

#include <cstdlib>
#include <iostream>
#include <vector>

#include "picketctl/escalation_target.h"
#include "picketctl/incident_request.h"
#include "picketctl/patrol_command.h"
#include "picketctl/patrol_request.h"
#include "picketctl/publish_command.h"
#include "picketctl/tool_keys.h"
#include "runtime/config.h"

namespace picket {

struct PatrolCli::State {
  CLI::App* patrol = nullptr;
  std::vector<std::pair<PatrolVerb, CLI::App*>> verbs;
  PatrolArgs args;
  std::string as;
  CommandTargetFlags target;
  std::string timeout = "5s";
  bool json = false;
  bool csv = false;
};

namespace {

using State = PatrolCli::State;
using V = PatrolVerb;

const char* kTime = "RFC 3339 (2026-11-28T14:00:00Z), now, -8h, -7d or +1h";

CLI::App* AddVerb(State& s, V verb, const std::string& help) {
  auto* cmd = s.patrol->add_subcommand(std::string(PatrolVerbName(verb)), help);
  s.verbs.emplace_back(verb, cmd);
  cmd->add_option("--config", s.target.config, "site.toml: where picket-patrol listens");
  cmd->add_option("--commands", s.target.commands,
                  "picket-patrol's command endpoint (overrides the config)");
  cmd->add_option("--key", s.target.key, kKeyFlagHelp);
  cmd->add_option("--timeout", s.timeout, "total wait for an answer, retries included (5s)");
  cmd->add_flag("--json", s.json, "print the reply as one JSON object");
  cmd->add_option("--as,--actor", s.as,
                  IsPatrolQuery(verb) ? "the person asking (optional; not recorded)"
                                      : "the supervisor acting (default $PICKET_ACTOR; required)");
  if (verb != V::kCurrent && verb != V::kRounds && verb != V::kCompletion)
    cmd->add_option("round", s.args.round, "the round's number")->required();
  return cmd;
}

void AddWindow(State& s, CLI::App* cmd) {
  cmd->add_option("--from", s.args.from,
                  std::string("start, inclusive (default: 24 h before --to): ") + kTime);
  cmd->add_option("--to", s.args.to, std::string("end, exclusive (default: now): ") + kTime);
  cmd->add_flag("--csv", s.csv, "RFC 4180 CSV with a header line");
}

void AddCommands(State& s) {
  auto* extend = AddVerb(s, V::kExtend, "move a round's pending deadlines later");
  extend->add_option("--by", s.args.by, "how much later: 1m .. 12h, e.g. 10m")->required();
  extend->add_option("--reason", s.args.reason, "why")->required();
  auto* excuse = AddVerb(s, V::kExcuse, "excuse a missed checkpoint (counts as neither)");
  excuse->add_option("checkpoint", s.args.checkpoint, "the checkpoint's tag")->required();
  excuse->add_option("--reason", s.args.reason, "why")->required();
  AddVerb(s, V::kCancel, "cancel a round (scheduled, not started or in progress)")
      ->add_option("--reason", s.args.reason, "why")
      ->required();
}

void AddQueries(State& s) {
  auto* rounds = AddVerb(s, V::kRounds,
                         "rounds due (or started, when unscheduled) in [from, to), by default "
                         "the last 24 hours (at most 31 days)");
  AddWindow(s, rounds);
  rounds->add_option("--post", s.args.post, "one post (default: every post)");
  rounds->add_option("--guard", s.args.guard, "one guard's rounds (default: everyone's)");
  rounds->add_option("--route", s.args.route, "one route (default: every route)");
  AddVerb(s, V::kRound, "one round with each checkpoint's verdict");
  AddVerb(s, V::kCurrent, "the rounds in progress: how far along, which checkpoint is next")
      ->add_option("--post", s.args.post, "one post (default: every post)");
  auto* completion = AddVerb(s, V::kCompletion,
                             "completion rates per guard or post over [from, to), by default "
                             "the last 24 hours (at most 31 days)");
  completion->add_option("--by", s.args.group, "guard (default) or post");
  AddWindow(s, completion);
}

int RunVerb(State& s, PatrolVerb verb, zmq::context_t& context, const Clock& clock) {
  const std::string who = PatrolWho(verb);
  PatrolArgs args = s.args;
  args.verb = verb;
  int exit_code = kExitUsage;
  auto target = ResolveCallTarget(who, s.timeout, kPatrolService, s.target, std::cerr, &exit_code);
  if (!target) return exit_code;
  // The actor may come from the key (a person's): resolved before the arguments are
  // checked; nothing is sent for a bad one. The request actually sent is built again with
  // its own command id and time.
  args.actor = ResolveActing(s.as, target->identity, std::getenv("PICKET_ACTOR")).value_or("");
  std::string error;
  if (!BuildPatrolRequest(args, std::string(16, '\0'), clock.Now(), &error)) {
    std::cerr << who << error << "\n";
    return kExitUsage;
  }
  PatrolRunOptions options;
  options.timeout = target->timeout;
  options.endpoint = target->endpoint;
  options.curve = target->identity.curve;
  options.json = s.json;
  options.csv = s.csv;
  return RunPatrolCommand(context, clock, args, options, std::cout, std::cerr);
}

}  // namespace

PatrolCli::PatrolCli(CLI::App& app) : state_(std::make_unique<State>()) {
  state_->patrol = app.add_subcommand(
      "patrol", "picket-patrol: rounds, checkpoint verdicts, completion; extend, excuse, cancel");
  state_->patrol->require_subcommand(1);
  AddCommands(*state_);
  AddQueries(*state_);
}

PatrolCli::~PatrolCli() = default;

bool PatrolCli::parsed() const { return state_->patrol->parsed(); }

int PatrolCli::Run(zmq::context_t& context, const Clock& clock) {
  for (const auto& [verb, cmd] : state_->verbs) {
    if (cmd->parsed()) return RunVerb(*state_, verb, context, clock);
  }
  std::cerr << "picketctl patrol: which sub-command? (--help)\n";
  return kExitUsage;
}

}  // namespace picket
