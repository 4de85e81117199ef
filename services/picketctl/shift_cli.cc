#include "picketctl/shift_cli.h"

#include <capnp/message.h>
#include <capnp/serialize.h>

#include <cstdlib>
#include <iostream>
#include <sstream>

#include "picket/schemas/escalation.capnp.h"
#include "picketctl/bus_target.h"
#include "picketctl/escalation_target.h"
#include "picketctl/event_input.h"
#include "picketctl/incident_command.h"
#include "picketctl/incident_format.h"
#include "picketctl/publish_command.h"
#include "picketctl/tool_keys.h"
#include "runtime/config.h"
#include "wire/event_names.h"

namespace picket {

struct ShiftCli::State {
  CLI::App* shift = nullptr;
  CLI::App *start = nullptr, *end = nullptr, *list = nullptr;
  std::string person, post, role, as;
  BusTargetFlags bus;
  EscalationTargetFlags escalation;
  std::string timeout = "5s";
  bool json = false;
};

namespace {

using State = ShiftCli::State;
constexpr auto kReplace = nlohmann::ordered_json::error_handler_t::replace;

void AddBusFlags(CLI::App* cmd, State& s) {
  cmd->add_option("person", s.person, "who")->required();
  cmd->add_option("--as", s.as, "the person recording it (default $PICKET_ACTOR)");
  cmd->add_option("--config", s.bus.config, "site.toml: the bus endpoints and the site id");
  cmd->add_option("--ingest", s.bus.ingest, "bus ingest endpoint (overrides the config)");
  cmd->add_option("--key", s.bus.key, kKeyFlagHelp);
  cmd->add_option("--timeout", s.timeout, "how long to wait for the bus, e.g. 5s");
}

std::optional<Micros> Timeout(const State& s, const std::string& who) {
  auto t = ParseDurationMicros(s.timeout);
  if (!t || *t <= 0) {
    std::cerr << who << "--timeout: '" << s.timeout << "' is not a duration like 5s\n";
    return std::nullopt;
  }
  return t;
}

// Publishes one shift event; on success prints `done` and the seq it got.
int PublishShift(State& s, zmq::context_t& context, EventLoop& loop, const Clock& clock,
                 std::string_view type, const nlohmann::ordered_json& body,
                 const std::string& done) {
  const std::string who =
      "picketctl shift " + std::string(s.start->parsed() ? "start" : "end") + ": ";
  auto timeout = Timeout(s, who);
  if (!timeout) return kExitUsage;
  std::string error;
  bool bus_missing = false;
  auto target = ResolveBusTarget(s.bus, &error, &bus_missing);
  if (!target) {
    std::cerr << who << error << "\n";
    return bus_missing ? kExitNoAnswer : kExitUsage;
  }
  std::string actor =
      ResolveActing(s.as, target->identity, std::getenv("PICKET_ACTOR")).value_or("");
  if (actor.empty()) {
    std::cerr << who << "who is recording it? give --as PERSON (or set $PICKET_ACTOR)\n";
    return kExitUsage;
  }
  if (!RequireEndpoint(target->endpoints.ingest, "ingest", &error)) {
    std::cerr << who << error << "\n";
    return kExitUsage;
  }
  EventFlags flags;
  flags.type = std::string(type);
  flags.actor = actor;
  flags.body = body.dump();
  const std::string producer = target->identity.Producer("picketctl");
  auto encoded = EncodeEventFromFlags(flags, {target->site, producer, clock.Now()}, &error);
  if (!encoded) {
    std::cerr << who << error << "\n";
    return kExitUsage;
  }
  std::ostringstream seq;
  std::ostringstream problem;
  PublishSession session(context, loop, target->endpoints.ingest, target->identity.curve, *timeout,
                         seq, problem);
  if (!session.Start(&error)) {
    std::cerr << who << error << "\n";
    return kExitUsage;
  }
  session.Add("the " + std::string(type) + " event", std::move(encoded), "");
  session.InputDone();
  if (!session.Finished()) loop.Run();
  if (!session.Finished()) return kExitFailed;  // stopped by a signal
  if (session.ExitCode() != kExitOk) {
    std::cerr << who << problem.str();
    return session.ExitCode();
  }
  std::string line = seq.str();
  std::cout << done << " (seq " << line.substr(0, line.find_first_of(" \n")) << ")\n";
  return kExitOk;
}

int RunList(State& s, zmq::context_t& context, const Clock& clock) {
  const std::string who = "picketctl shift list: ";
  int exit_code = kExitOk;
  auto target =
      ResolveCallTarget(who, s.timeout, kEscalationService, s.escalation, std::cerr, &exit_code);
  if (!target) return exit_code;
  capnp::MallocMessageBuilder b;
  b.initRoot<wire::EscalationRequest>().setListOnDuty();
  auto words = capnp::messageToFlatArray(b);
  auto bytes = words.asBytes();
  IncidentRunOptions options;
  options.endpoint = target->endpoint;
  options.curve = target->identity.curve;
  options.timeout = target->timeout;
  escalation::Reply reply;
  int code = CallEscalation(context, std::string(bytes.begin(), bytes.end()), options, who,
                            std::cerr, &reply);
  if (code != kExitOk) return code;
  if (s.json) {
    std::cout << DutyListToJson(reply.on_duty).dump(-1, ' ', false, kReplace) << "\n";
  } else {
    std::cout << FormatDutyTable(reply.on_duty, clock.Now());
  }
  return kExitOk;
}

}  // namespace

ShiftCli::ShiftCli(CLI::App& app) : state_(std::make_unique<State>()) {
  State& s = *state_;
  s.shift = app.add_subcommand("shift", "who is on duty: start, end, list");
  s.shift->require_subcommand(1);
  s.start = s.shift->add_subcommand("start", "put a person on duty at a post, in a role");
  AddBusFlags(s.start, s);
  s.start->add_option("--post", s.post, "the post, e.g. gate-1")->required();
  s.start->add_option("--role", s.role, "the role, e.g. guard, squad_leader")->required();
  s.end = s.shift->add_subcommand("end", "take a person off duty");
  AddBusFlags(s.end, s);
  s.list = s.shift->add_subcommand("list", "who is on duty now, by post and role");
  s.list->add_option("--config", s.escalation.config, "site.toml: where picket-escalation is");
  s.list->add_option("--commands", s.escalation.commands,
                     "picket-escalation's command endpoint (overrides the config)");
  s.list->add_option("--key", s.escalation.key, kKeyFlagHelp);
  s.list->add_option("--timeout", s.timeout, "total wait for an answer (5s)");
  s.list->add_flag("--json", s.json, "one JSON object instead of a table");
}

ShiftCli::~ShiftCli() = default;

bool ShiftCli::parsed() const { return state_->shift->parsed(); }

int ShiftCli::Run(zmq::context_t& context, EventLoop& loop, const Clock& clock) {
  State& s = *state_;
  if (s.list->parsed()) return RunList(s, context, clock);
  if (s.start->parsed())
    return PublishShift(s, context, loop, clock, event_names::kShiftStarted,
                        {{"person", s.person}, {"post", s.post}, {"role", s.role}},
                        s.person + " is on duty at " + s.post + " as " + s.role);
  if (s.end->parsed())
    return PublishShift(s, context, loop, clock, event_names::kShiftEnded, {{"person", s.person}},
                        s.person + " is off duty");
  std::cerr << "picketctl shift: which sub-command? (--help)\n";
  return kExitUsage;
}

}  // namespace picket
