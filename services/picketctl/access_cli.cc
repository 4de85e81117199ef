#include "picketctl/access_cli.h"

#include <cstdlib>
#include <iostream>
#include <vector>

#include "picketctl/access_command.h"
#include "picketctl/access_request.h"
#include "picketctl/escalation_target.h"
#include "picketctl/incident_request.h"
#include "picketctl/publish_command.h"
#include "picketctl/tool_keys.h"
#include "runtime/config.h"

namespace picket {

struct AccessCli::State {
  CLI::App* access = nullptr;
  std::vector<std::pair<AccessVerb, CLI::App*>> verbs;
  AccessArgs args;
  std::string as;
  CommandTargetFlags target;
  std::string timeout = "5s";
  bool json = false;
  bool csv = false;
};

namespace {

using State = AccessCli::State;
using V = AccessVerb;

const char* kTime = "RFC 3339 (2026-11-28T14:00:00Z), now, +8h, +30m, +2d or -7d";

CLI::App* AddVerb(State& s, V verb, const std::string& help, const char* positional = nullptr,
                  const char* positional_help = nullptr) {
  auto* cmd = s.access->add_subcommand(std::string(AccessVerbName(verb)), help);
  s.verbs.emplace_back(verb, cmd);
  cmd->add_option("--config", s.target.config, "site.toml: where picket-access listens");
  cmd->add_option("--commands", s.target.commands,
                  "picket-access's command endpoint (overrides the config)");
  cmd->add_option("--key", s.target.key, kKeyFlagHelp);
  cmd->add_option("--timeout", s.timeout, "total wait for an answer, retries included (5s)");
  cmd->add_flag("--json", s.json, "print the reply as one JSON object");
  cmd->add_option("--as", s.as,
                  IsAccessQuery(verb) ? "the person asking (optional)"
                                      : "the person acting (default $PICKET_ACTOR; required)");
  if (positional != nullptr) cmd->add_option(positional, s.args.id, positional_help)->required();
  return cmd;
}

// A repeatable flag taking one value per occurrence (--alias A --alias B).
void AddList(CLI::App* cmd, const std::string& flag, std::vector<std::string>& into,
             const std::string& help) {
  cmd->add_option(flag, into, help)->allow_extra_args(false);
}

void AddPersonFlags(State& s, CLI::App* cmd, bool visitor) {
  cmd->add_option("--name", s.args.name, "the full name")->required();
  AddList(cmd, "--alias", s.args.aliases, "another name (repeatable, at most 16)");
  cmd->add_option("--company", s.args.company, "their company");
  if (visitor) cmd->add_option("--host", s.args.host, "the staff member visited")->required();
}

void AddCommands(State& s) {
  auto* reg = AddVerb(s, V::kRegisterPerson, "register a staff member or a contractor", "id",
                      "the person id: 1..64 of [A-Za-z0-9._@-]");
  AddPersonFlags(s, reg, false);
  reg->add_option("--kind", s.args.kind, "staff or contractor")->required();
  auto* pre = AddVerb(s, V::kPreRegister, "announce a visitor (by their host)", "id",
                      "the visitor's person id");
  AddPersonFlags(s, pre, true);
  pre->add_option("--expected", s.args.expected, std::string("when: ") + kTime)->required();
  auto* walk =
      AddVerb(s, V::kWalkUp, "register a visitor at the gate", "id", "the visitor's person id");
  AddPersonFlags(s, walk, true);
  walk->add_option("--approved-by", s.args.approved_by,
                   "the host or an officer (without it, where the site requires approval, the "
                   "request waits: picketctl access pending / approve / deny)");
  walk->add_option("--gate", s.args.gate, "the gate the visitor waits at");
  walk->add_option("--post", s.args.post, "your post (default: the gate's)");
  auto* vehicle = AddVerb(s, V::kRegisterVehicle, "register a vehicle by its plate", "plate",
                          "the plate as written (its id becomes veh.<PLATE>)");
  vehicle->add_option("--description", s.args.name, "what it is, e.g. \"white Volvo tanker\"")
      ->required();
  vehicle->add_option("--kind", s.args.kind, "visitor, contractor or staff")->required();
  vehicle->add_option("--company", s.args.company, "its company");
  vehicle->add_option("--host", s.args.host, "the staff member visited (visitor vehicles)");
  vehicle->add_option("--driver", s.args.driver, "its usual driver's person id");
  auto* issue = AddVerb(s, V::kIssuePass, "issue a pass to a registered person", "code",
                        "the pass code the scanner reads");
  issue->add_option("--person", s.args.person, "the holder's person id")->required();
  issue->add_option("--from", s.args.from, std::string("valid from: ") + kTime)->required();
  issue->add_option("--until", s.args.until, std::string("valid until: ") + kTime)->required();
  AddList(issue, "--gate", s.args.gates, "a gate it opens (repeatable; default: the kind's)");
  issue->add_option("--hours", s.args.hours, "HH:MM-HH:MM site local time (default: the kind's)");
  AddVerb(s, V::kRevoke, "revoke a pass", "code", "the pass code")
      ->add_option("--reason", s.args.reason, "why")
      ->required();
  AddVerb(s, V::kExtend, "move a pass's end later", "code", "the pass code")
      ->add_option("--until", s.args.until, std::string("valid until: ") + kTime)
      ->required();
  AddVerb(s, V::kCheckOut, "check someone out by hand", "person",
          "a person id, or the name a manual entry recorded")
      ->add_option("--gate", s.args.gate, "where they left");
  auto* add = AddVerb(s, V::kWatchAdd, "add a watchlist entry");
  add->add_option("--name", s.args.name, "a name or alias (matched ignoring case and spaces)");
  add->add_option("--person", s.args.person, "a person id");
  add->add_option("--reason", s.args.reason, "why")->required();
  add->add_option("--action", s.args.action, "deny, supervisor or notify")->required();
  AddVerb(s, V::kWatchRemove, "remove a watchlist entry", "entry", "the entry's number")
      ->add_option("--reason", s.args.reason, "why")
      ->required();
  AddVerb(s, V::kApprove, "approve a walk-up waiting for approval (registers the visitor)", "id",
          "the visitor's person id")
      ->add_option("--by", s.args.by,
                   "who approves: the visitor's host or an officer (required; default: the "
                   "person whose --key it is)");
  auto* deny = AddVerb(s, V::kDeny, "refuse a walk-up waiting for approval", "id",
                       "the visitor's person id");
  deny->add_option("--by", s.args.by,
                   "who refuses: the visitor's host or an officer (required; default: the "
                   "person whose --key it is)");
  deny->add_option("--reason", s.args.reason, "why")->required();
}

void AddQueries(State& s) {
  AddVerb(s, V::kPass, "one pass in full", "code", "the pass code");
  AddVerb(s, V::kPerson, "one person: passes and whether on site", "id", "the person id");
  auto* visits = AddVerb(s, V::kVisits, "visits that entered in [from, to) (at most 31 days)");
  visits->add_option("--from", s.args.from, kTime)->required();
  visits->add_option("--to", s.args.to, kTime)->required();
  AddVerb(s, V::kOnSite, "everyone on site now: the evacuation roll call")
      ->add_flag("--csv", s.csv, "RFC 4180 CSV with a header line");
  auto* comp = AddVerb(s, V::kCompliance, "registration compliance over [from, to)");
  comp->add_option("--post", s.args.post, "one post (default: every post)");
  comp->add_option("--from", s.args.from, kTime)->required();
  comp->add_option("--to", s.args.to, kTime)->required();
  AddVerb(s, V::kWatchlist, "every watchlist entry");
  AddVerb(s, V::kPending, "walk-ups waiting for approval, oldest first");
}

int RunVerb(State& s, AccessVerb verb, zmq::context_t& context, const Clock& clock) {
  const std::string who = AccessWho(verb);
  AccessArgs args = s.args;
  args.verb = verb;
  int exit_code = kExitUsage;
  auto target = ResolveCallTarget(who, s.timeout, kAccessService, s.target, std::cerr, &exit_code);
  if (!target) return exit_code;
  // The actor may come from the key (a person's): resolved before the arguments are
  // checked; nothing is sent for a bad one. The request actually sent is built again with
  // its own command id and time.
  args.actor = ResolveActing(s.as, target->identity, std::getenv("PICKET_ACTOR")).value_or("");
  if ((verb == V::kApprove || verb == V::kDeny) && args.by.empty() && target->identity.person)
    args.by = target->identity.name;
  if ((verb == V::kApprove || verb == V::kDeny) && args.by.empty()) {
    std::cerr << who << "--by PERSON is required\n";
    return kExitUsage;
  }
  std::string error;
  if (!BuildAccessRequest(args, std::string(16, '\0'), clock.Now(), &error)) {
    std::cerr << who << error << "\n";
    return kExitUsage;
  }
  AccessRunOptions options;
  options.timeout = target->timeout;
  options.endpoint = target->endpoint;
  options.curve = target->identity.curve;
  options.json = s.json;
  options.csv = s.csv;
  return RunAccessCommand(context, clock, args, options, std::cout, std::cerr);
}

}  // namespace

AccessCli::AccessCli(CLI::App& app) : state_(std::make_unique<State>()) {
  state_->access =
      app.add_subcommand("access", "picket-access: people, passes, the watchlist, who is on site");
  state_->access->require_subcommand(1);
  AddCommands(*state_);
  AddQueries(*state_);
}

AccessCli::~AccessCli() = default;

bool AccessCli::parsed() const { return state_->access->parsed(); }

int AccessCli::Run(zmq::context_t& context, const Clock& clock) {
  for (const auto& [verb, cmd] : state_->verbs) {
    if (cmd->parsed()) return RunVerb(*state_, verb, context, clock);
  }
  std::cerr << "picketctl access: which sub-command? (--help)\n";
  return kExitUsage;
}

}  // namespace picket
