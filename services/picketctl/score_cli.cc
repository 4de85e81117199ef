#include "picketctl/score_cli.h"

#include <cstdlib>
#include <iostream>
#include <vector>

#include "picketctl/escalation_target.h"
#include "picketctl/incident_request.h"
#include "picketctl/publish_command.h"
#include "picketctl/score_command.h"
#include "picketctl/score_request.h"
#include "picketctl/tool_keys.h"
#include "runtime/config.h"

namespace picket {

struct ScoreCli::State {
  CLI::App* score = nullptr;
  std::vector<std::pair<ScoreVerb, CLI::App*>> verbs;
  ScoreArgs args;
  std::string as;
  CommandTargetFlags target;
  std::string timeout = "5s";
  bool json = false;
  bool csv = false;
};

namespace {

using State = ScoreCli::State;
using V = ScoreVerb;

const char* kTime = "RFC 3339 (2026-11-28T14:00:00Z), now, -8h, -7d or +1h";

CLI::App* AddVerb(State& s, V verb, const std::string& help) {
  auto* cmd = s.score->add_subcommand(std::string(ScoreVerbName(verb)), help);
  s.verbs.emplace_back(verb, cmd);
  cmd->add_option("--config", s.target.config, "site.toml: where picket-scoring listens");
  cmd->add_option("--commands", s.target.commands,
                  "picket-scoring's command endpoint (overrides the config)");
  cmd->add_option("--key", s.target.key, kKeyFlagHelp);
  cmd->add_option("--timeout", s.timeout, "total wait for an answer, retries included (5s)");
  cmd->add_flag("--json", s.json, "print the reply as one JSON object");
  cmd->add_option("--as,--actor", s.as,
                  IsScoreQuery(verb) ? "the person asking (optional; not recorded)"
                                     : "the supervisor acting (default $PICKET_ACTOR; required)");
  return cmd;
}

// A repeatable flag taking one value per occurrence (--pass uniform --pass badge).
void AddList(CLI::App* cmd, const std::string& flag, std::vector<std::string>& into,
             const std::string& help) {
  cmd->add_option(flag, into, help)->allow_extra_args(false);
}

void AddPeriod(State& s, CLI::App* cmd, const char* fallback) {
  cmd->add_option("--period", s.args.period,
                  std::string("shift, day, week or month (default ") + fallback + ")");
}

void AddAt(State& s, CLI::App* cmd) {
  cmd->add_option("--at", s.args.at, std::string("a time in the period (default now): ") + kTime);
}

void AddLimit(State& s, CLI::App* cmd, const char* fallback) {
  cmd->add_option("--limit", s.args.limit,
                  std::string("at most this many rows, 1..1000 (default ") + fallback + ")");
}

void AddCommands(State& s) {
  auto* inspect = AddVerb(s, V::kInspect, "record an inspection of a post: its findings");
  inspect->add_option("post", s.args.post, "the post inspected")->required();
  inspect->add_option("--guard", s.args.guard, "the guard on post (optional)");
  AddList(inspect, "--pass", s.args.passes, "a category that passed, CATEGORY[:note] (repeatable)");
  AddList(inspect, "--fault", s.args.faults,
          "a category found at fault, CATEGORY[:note] (repeatable)");
  auto* commend = AddVerb(s, V::kCommend, "record a commendation of a guard and/or a post");
  commend->add_option("--guard", s.args.guard, "the guard commended");
  commend->add_option("--post", s.args.post, "the post commended");
  commend->add_option("--reason", s.args.reason, "why")->required();
  auto* void_entry =
      AddVerb(s, V::kVoid, "void a ledger entry (it stays, marked, and stops counting)");
  void_entry->add_option("entry", s.args.entry, "the entry's number")->required();
  void_entry->add_option("--reason", s.args.reason, "why")->required();
}

void AddQueries(State& s) {
  auto* board = AddVerb(s, V::kLeaderboard, "ranked totals of guards, posts or squads in a period");
  AddPeriod(s, board, "day");
  AddAt(s, board);
  board->add_option("--by", s.args.by, "guard (default), post or squad");
  AddLimit(s, board, "all, up to 1000");
  board->add_flag("--csv", s.csv, "RFC 4180 CSV with a header line");
  auto* explain =
      AddVerb(s, V::kExplain, "a subject's total in a period and every entry behind it");
  explain->add_option("--guard", s.args.guard, "a guard's entries");
  explain->add_option("--post", s.args.post, "a post's entries");
  explain->add_option("--squad", s.args.squad, "a squad's entries");
  AddPeriod(s, explain, "day");
  AddAt(s, explain);
  AddVerb(s, V::kEntry, "one ledger entry in full")
      ->add_option("entry", s.args.entry, "the entry's number")
      ->required();
  auto* awards = AddVerb(s, V::kAwards, "the best-post awards, latest first");
  AddPeriod(s, awards, "week");
  AddLimit(s, awards, "10");
}

int RunVerb(State& s, ScoreVerb verb, zmq::context_t& context, const Clock& clock) {
  const std::string who = ScoreWho(verb);
  ScoreArgs args = s.args;
  args.verb = verb;
  int exit_code = kExitUsage;
  auto target = ResolveCallTarget(who, s.timeout, kScoringService, s.target, std::cerr, &exit_code);
  if (!target) return exit_code;
  // The actor may come from the key (a person's): resolved before the arguments are
  // checked; nothing is sent for a bad one. The request actually sent is built again with
  // its own command id and time.
  args.actor = ResolveActing(s.as, target->identity, std::getenv("PICKET_ACTOR")).value_or("");
  std::string error;
  if (!BuildScoreRequest(args, std::string(16, '\0'), clock.Now(), &error)) {
    std::cerr << who << error << "\n";
    return kExitUsage;
  }
  ScoreRunOptions options;
  options.timeout = target->timeout;
  options.endpoint = target->endpoint;
  options.curve = target->identity.curve;
  options.json = s.json;
  options.csv = s.csv;
  return RunScoreCommand(context, clock, args, options, std::cout, std::cerr);
}

}  // namespace

ScoreCli::ScoreCli(CLI::App& app) : state_(std::make_unique<State>()) {
  state_->score = app.add_subcommand(
      "score", "picket-scoring: leaderboards, entries, awards; inspect, commend, void");
  state_->score->require_subcommand(1);
  AddCommands(*state_);
  AddQueries(*state_);
}

ScoreCli::~ScoreCli() = default;

bool ScoreCli::parsed() const { return state_->score->parsed(); }

int ScoreCli::Run(zmq::context_t& context, const Clock& clock) {
  for (const auto& [verb, cmd] : state_->verbs) {
    if (cmd->parsed()) return RunVerb(*state_, verb, context, clock);
  }
  std::cerr << "picketctl score: which sub-command? (--help)\n";
  return kExitUsage;
}

}  // namespace picket
