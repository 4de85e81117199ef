// picketctl: one CLI for ops and scripts. `picketctl --help` and `picketctl <cmd> --help`.
//
//   picketctl publish --config site.toml --type terminal.panic_pressed --body '{"post":"g1"}'
//   picketctl publish --config site.toml --json-file events.jsonl      (or JSON lines on stdin)
//   picketctl tail    --config site.toml [--from SEQ] [--to SEQ] [--type PREFIX] [--json]
//                     [--follow|--no-follow]
//   picketctl status  --config site.toml [--json]
//   (each command that connects also takes --key FILE: the CURVE key on a site with
//   [security]; default its picketctl_key; tool_keys.h)
//   picketctl incident list|show|ack|unack|step|note|resolve|reassign|silence|cancel|watch
//                     (incident_cli.h; docs/picketctl.md)
//   picketctl shift    start|end|list  (shift_cli.h)
//   picketctl access   register-person|preregister|walk-up|issue-pass|revoke|extend|
//                      check-out|watch-add|watch-remove|pass|person|visits|on-site|
//                      compliance|watchlist  (access_cli.h; docs/picketctl.md)
//   picketctl patrol   rounds|round|current|completion|extend|excuse|cancel
//                      (patrol_cli.h; docs/picketctl.md)
//   picketctl score    leaderboard|explain|entry|awards|inspect|commend|void
//                      (score_cli.h; docs/scoring.md)
//   picketctl keys new --name N [--dir DIR] [--signing]   a CURVE (or signing) key pair
//   picketctl audit verify --config site.toml [--from SEQ] [--to SEQ]
//                     check the log's hash chain (audit_command.h); 1 if a link is broken
//
// Exit codes: 0 ok; 1 an event was invalid or nacked, or picket-escalation,
// picket-access, picket-patrol or picket-scoring refused a command; 2 bad flags or
// configuration; 3 the bus (or the service) did not answer within --timeout.
#include <poll.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "picketctl/access_cli.h"
#include "picketctl/audit_command.h"
#include "picketctl/bus_status.h"
#include "picketctl/bus_target.h"
#include "picketctl/event_input.h"
#include "picketctl/incident_cli.h"
#include "picketctl/keys_command.h"
#include "picketctl/patrol_cli.h"
#include "picketctl/publish_command.h"
#include "picketctl/score_cli.h"
#include "picketctl/shift_cli.h"
#include "picketctl/tail_command.h"
#include "picketctl/tool_keys.h"
#include "picketctl/webhook_listen.h"
#include "runtime/clock.h"
#include "runtime/config.h"
#include "runtime/logging.h"
#include "runtime/signals.h"
#include "runtime/signing_keys.h"
#include "runtime/site_config.h"

namespace picket {
namespace {

struct CommonFlags {
  BusTargetFlags target;
  std::string timeout = "5s";
};

void AddCommonFlags(CLI::App* cmd, CommonFlags& f) {
  cmd->add_option("--config", f.target.config, "site.toml: the bus endpoints and the site id");
  cmd->add_option("--ingest", f.target.ingest, "bus ingest endpoint (overrides the config)");
  cmd->add_option("--events", f.target.events, "bus events (PUB) endpoint");
  cmd->add_option("--replay", f.target.replay, "bus replay endpoint");
  cmd->add_option("--site", f.target.site, "site id (overrides the config's)");
  cmd->add_option("--key", f.target.key, kKeyFlagHelp);
  cmd->add_option("--timeout", f.timeout, "how long to wait for the bus, e.g. 5s, 500ms");
}

// Resolves the target and the timeout; on failure prints why and sets *exit_code.
std::optional<BusTarget> Prepare(const CommonFlags& f, Micros* timeout, int* exit_code) {
  auto t = ParseDurationMicros(f.timeout);
  if (!t || *t <= 0) {
    std::cerr << "picketctl: --timeout: '" << f.timeout << "' is not a duration like 5s\n";
    *exit_code = kExitUsage;
    return std::nullopt;
  }
  *timeout = *t;
  std::string error;
  bool bus_missing = false;
  auto target = ResolveBusTarget(f.target, &error, &bus_missing);
  if (!target) {
    std::cerr << "picketctl: " << error << "\n";
    *exit_code = bus_missing ? kExitNoAnswer : kExitUsage;
  }
  return target;
}

// The checkpoint key of `audit verify`: the .verify file named, else the config's
// [bus] checkpoint_public, else none. 0, or an exit code after saying why.
int AuditCheckpointKey(const CommonFlags& f, const std::string& file, AuditOptions* options) {
  std::string error;
  if (!file.empty()) {
    auto keys = ReadSigningKeyFile(file, false, &error);
    if (!keys) {
      std::cerr << "picketctl audit verify: --checkpoint-key: " << error << "\n";
      return kExitUsage;
    }
    options->checkpoint_key = keys->public_key;
    options->checkpoint_key_name = keys->name;
    return 0;
  }
  if (f.target.config.empty()) return 0;
  auto site = LoadSiteConfig(f.target.config, &error);
  if (!site) return 0;  // the bus target's own reading of the config reports it
  if (!site->bus.checkpoint_public.empty()) {
    options->checkpoint_key = FromHex<32>(site->bus.checkpoint_public);
    options->checkpoint_key_name = "[bus] checkpoint_public";
  }
  return 0;
}

int RunStatus(zmq::context_t& ctx, const CommonFlags& f, bool json) {
  Micros timeout = 0;
  int code = kExitOk;
  auto target = Prepare(f, &timeout, &code);
  if (!target) return code;
  const auto& ep = target->endpoints;
  std::string endpoint = ep.ingest.empty() ? ep.replay : ep.ingest;
  std::string error;
  if (!RequireEndpoint(endpoint, "ingest", &error)) {
    std::cerr << "picketctl status: " << error << " (or --replay)\n";
    return kExitUsage;
  }
  auto status = QueryBusStatus(ctx, endpoint, timeout, &error, target->identity.curve);
  if (!status) {
    std::cerr << "picketctl status: " << error << "\n";
    return kExitNoAnswer;
  }
  if (json) {
    std::cout << StatusToJsonLine(*status) << "\n";
  } else {
    std::cout << FormatStatus(*status);
  }
  return kExitOk;
}

struct PublishFlags {
  EventFlags event;
  std::string json, json_file;
};

// Feeds JSON lines from stdin to `session` as they arrive, while the loop runs.
void PublishStdin(EventLoop& loop, PublishSession& session, const EventDefaults& defaults,
                  const Clock& clock) {
  std::string pending;
  int line_no = 0;
  bool eof = false;
  auto take_line = [&](std::string line) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) return;
    EventDefaults d = defaults;
    d.now = clock.Now();
    std::string error;
    auto encoded = EncodeEventFromJson(line, d, &error);
    session.Add("line " + std::to_string(line_no), std::move(encoded), error);
  };
  while (!session.Finished() && !loop.Stopped()) {
    if (!eof) {
      pollfd p{0, POLLIN, 0};
      if (poll(&p, 1, 0) > 0) {
        char buf[65536];
        ssize_t n = read(0, buf, sizeof buf);
        if (n <= 0) {
          eof = true;
          if (!pending.empty()) take_line(std::move(pending));
          session.InputDone();
        } else {
          pending.append(buf, static_cast<size_t>(n));
          for (size_t nl; (nl = pending.find('\n')) != std::string::npos;) {
            take_line(pending.substr(0, nl));
            pending.erase(0, nl + 1);
          }
        }
      }
    }
    loop.RunOnce(eof ? 200 : 10);
  }
}

int RunPublish(zmq::context_t& ctx, EventLoop& loop, const Clock& clock, const CommonFlags& f,
               const PublishFlags& p) {
  Micros timeout = 0;
  int code = kExitOk;
  auto target = Prepare(f, &timeout, &code);
  if (!target) return code;
  std::string error;
  if (!RequireEndpoint(target->endpoints.ingest, "ingest", &error)) {
    std::cerr << "picketctl publish: " << error << "\n";
    return kExitUsage;
  }
  int sources = !p.event.type.empty() + !p.json.empty() + !p.json_file.empty();
  if (sources > 1) {
    std::cerr << "picketctl publish: give one of --type (with flags), --json or --json-file\n";
    return kExitUsage;
  }
  // On a site with [security] the bus takes only the key's identity as the producer.
  EventDefaults defaults{target->site, target->identity.Producer("picketctl"), clock.Now()};
  PublishSession session(ctx, loop, target->endpoints.ingest, target->identity.curve, timeout,
                         std::cout, std::cerr);
  if (!session.Start(&error)) {
    std::cerr << "picketctl publish: " << error << "\n";
    return kExitUsage;
  }
  if (!p.event.type.empty()) {
    auto encoded = EncodeEventFromFlags(p.event, defaults, &error);
    session.Add("event", std::move(encoded), error);
  } else if (!p.json.empty()) {
    auto encoded = EncodeEventFromJson(p.json, defaults, &error);
    session.Add("--json", std::move(encoded), error);
  } else if (!p.json_file.empty()) {
    auto content = ReadSmallFile(p.json_file, 256 << 20, &error);
    auto events = content ? SplitJsonEvents(*content, &error) : std::nullopt;
    if (!events) {
      std::cerr << "picketctl publish: " << p.json_file << ": " << error << "\n";
      return kExitUsage;
    }
    for (size_t i = 0; i < events->size(); ++i) {
      auto encoded = EncodeEventFromJson((*events)[i], defaults, &error);
      session.Add(p.json_file + ": event " + std::to_string(i + 1), std::move(encoded), error);
    }
  } else {
    if (isatty(0))
      std::cerr << "picketctl publish: reading events from stdin, one JSON object per line "
                   "(Ctrl-D ends; --help for the other ways)\n";
    PublishStdin(loop, session, defaults, clock);
    return loop.Stopped() && !session.Finished() ? kExitFailed : session.ExitCode();
  }
  session.InputDone();
  if (!session.Finished()) loop.Run();
  return session.Finished() ? session.ExitCode() : kExitFailed;  // else: stopped by a signal
}

// Runs a session that reads the bus's events (tail, audit verify): puts the events and
// replay endpoints into `options`, starts the session, runs the loop until it stops;
// `finish(session)` gives the exit code then.
template <typename Session, typename Options, typename Finish>
int RunReader(zmq::context_t& ctx, EventLoop& loop, const CommonFlags& f, Options options,
              const char* who, Finish finish) {
  int code = kExitOk;
  auto target = Prepare(f, &options.timeout, &code);
  if (!target) return code;
  std::string error;
  if (!RequireEndpoint(target->endpoints.events, "events", &error) ||
      !RequireEndpoint(target->endpoints.replay, "replay", &error)) {
    std::cerr << who << ": " << error << "\n";
    return kExitUsage;
  }
  options.events = target->endpoints.events;
  options.replay = target->endpoints.replay;
  options.curve = target->identity.curve;
  Session session(ctx, loop, options, std::cout, std::cerr);
  bool done = false;
  code = session.Start(&done);
  if (code != kExitOk || done) return code;
  loop.Run();
  return finish(session);
}

}  // namespace
}  // namespace picket

int main(int argc, char** argv) {
  using namespace picket;
  StopSignals stop_signals;  // before the ZeroMQ context starts its threads

  CLI::App app{
      "picketctl: publish, tail and inspect a Picket site's event bus; handle incidents; "
      "people, passes and the roll call; patrol rounds; scores"};
  app.require_subcommand(1);
  std::string log_level = "warn";
  app.add_option("--log-level", log_level, "trace, debug, info, warn or error (stderr)");

  CommonFlags status_flags, publish_flags, tail_flags;
  bool status_json = false;
  auto* status = app.add_subcommand("status", "the bus head, first retained seq and lag");
  AddCommonFlags(status, status_flags);
  status->add_flag("--json", status_json, "one JSON object instead of a table");

  PublishFlags pub;
  std::string observed_at;
  auto* publish = app.add_subcommand(
      "publish", "publish events from flags, --json, --json-file or JSON lines on stdin");
  AddCommonFlags(publish, publish_flags);
  publish->add_option("--type", pub.event.type, "event type, e.g. terminal.panic_pressed");
  publish->add_option("--producer", pub.event.producer,
                      "producer (default picketctl; on a site with [security], the key's "
                      "identity)");
  publish->add_option("--actor", pub.event.actor, "the person acting");
  publish->add_option("--body", pub.event.body, "the body as a JSON object");
  publish->add_option("--id", pub.event.id, "event id, 32 hex digits (default random)");
  publish->add_option("--observed-at", pub.event.observed_at, "unix microseconds (default now)");
  publish->add_option("--json", pub.json, "one event as a JSON object");
  publish->add_option("--json-file", pub.json_file, "a JSON object, array or JSON lines file");

  TailOptions tail_options;
  int64_t from = 0, to = 0;  // signed, so that a negative value is an error, not a wrap
  auto* tail = app.add_subcommand("tail", "print the site's events in order");
  AddCommonFlags(tail, tail_flags);
  auto* from_opt = tail->add_option("--from", from, "first seq, >= 1 (default: the next event)");
  auto* to_opt = tail->add_option("--to", to, "last seq to print, then stop");
  tail->add_option("--type", tail_options.type_prefix, "only types starting with this prefix");
  tail->add_flag("--json", tail_options.json, "JSON lines instead of the human format");
  tail->add_flag("--follow,!--no-follow", tail_options.follow,
                 "keep waiting for new events (default) or stop once caught up");

  CommonFlags audit_flags;
  AuditOptions audit_options;
  int64_t audit_from = 0, audit_to = 0;
  auto* audit = app.add_subcommand("audit", "check the site log for tampering");
  audit->require_subcommand(1);
  auto* verify = audit->add_subcommand(
      "verify", "check the log's hash chain; name the first event changed after it was recorded");
  AddCommonFlags(verify, audit_flags);
  auto* audit_from_opt =
      verify->add_option("--from", audit_from, "first seq (default: the oldest the bus has)");
  auto* audit_to_opt = verify->add_option("--to", audit_to, "last seq (default: the head)");
  std::string audit_key_file;
  verify->add_option("--checkpoint-key", audit_key_file,
                     "the bus's checkpoint key (.verify file): check every signed checkpoint "
                     "(default: [bus] checkpoint_public)");

  IncidentCli incident(app);
  ShiftCli shift(app);
  AccessCli access(app);
  PatrolCli patrol(app);
  ScoreCli score(app);

  KeysNewOptions keys_new;
  auto* keys =
      app.add_subcommand("keys", "CURVE key pairs for the site's identities; signing keys");
  keys->require_subcommand(1);
  auto* keys_new_cmd = keys->add_subcommand(
      "new", "make a key pair: DIR/NAME.key (secret, 0600) and DIR/NAME.pub (public)");
  keys_new_cmd->add_option("--name", keys_new.name, "the identity, e.g. gate-1-terminal")
      ->required();
  keys_new_cmd->add_option("--dir", keys_new.dir, "where to write the files (default .)");
  keys_new_cmd->add_option("--role", keys_new.role,
                           "print its [security.identities] line with this role: terminal, "
                           "service, officer, supervisor or admin");
  keys_new_cmd->add_option("--post", keys_new.post, "a terminal's post (with --role terminal)");
  keys_new_cmd->add_option("--gate", keys_new.gates,
                           "a gate the terminal may report besides its post (repeatable)");
  keys_new_cmd->add_flag("--signing", keys_new.signing,
                         "an Ed25519 pair for the bus's signed checkpoints: NAME.sign (secret, "
                         "0600) and NAME.verify");

  WebhookListenOptions hook;
  auto* webhook = app.add_subcommand("webhook", "webhook tools (for checking picket-notify)");
  webhook->require_subcommand(1);
  auto* listen = webhook->add_subcommand(
      "listen", "receive webhooks, print one line each and whether the signature is valid");
  listen->add_option("--host", hook.host, "address to listen on (default 127.0.0.1)");
  listen->add_option("--port", hook.port, "port (default 7490)")->check(CLI::Range(1, 65535));
  listen->add_option("--path", hook.path, "the URL path (default /hook)");
  auto* secret_opt =
      listen->add_option("--secret", hook.secret, "the channel's secret: check signatures");
  listen
      ->add_option("--secret-file", hook.secret_file,
                   "read the secret from this file's first line (not visible in ps)")
      ->excludes(secret_opt);
  listen->add_option("--fail-first", hook.fail_first, "answer 503 to the first N requests")
      ->check(CLI::Range(0, 1000000));
  listen->add_flag("--json", hook.json,
                   "one JSON object per delivery: signature verdict, idempotency key, body");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  if (!SetupLogging("picketctl", log_level)) {
    std::cerr << "picketctl: --log-level: unknown level '" << log_level << "'\n";
    return kExitUsage;
  }

  zmq::context_t context;
  SystemClock clock;
  EventLoop loop(clock);
  loop.AddFd(stop_signals.fd(), [&] {
    stop_signals.Consume();
    loop.Stop();
  });
  if (incident.parsed()) return incident.Run(context, loop, clock);
  if (shift.parsed()) return shift.Run(context, loop, clock);
  if (access.parsed()) return access.Run(context, clock);
  if (patrol.parsed()) return patrol.Run(context, clock);
  if (score.parsed()) return score.Run(context, clock);
  if (listen->parsed()) return RunWebhookListen(loop, hook);
  if (keys_new_cmd->parsed()) return RunKeysNew(keys_new);
  if (status->parsed()) return RunStatus(context, status_flags, status_json);
  if (verify->parsed()) {
    if ((audit_from_opt->count() > 0 && audit_from <= 0) ||
        (audit_to_opt->count() > 0 && audit_to <= 0)) {
      std::cerr << "picketctl audit verify: --from and --to are sequence numbers, which start "
                   "at 1\n";
      return kExitUsage;
    }
    if (audit_from_opt->count() > 0) audit_options.from = static_cast<uint64_t>(audit_from);
    if (audit_to_opt->count() > 0) audit_options.to = static_cast<uint64_t>(audit_to);
    if (int code = AuditCheckpointKey(audit_flags, audit_key_file, &audit_options); code != 0)
      return code;
    return RunReader<AuditSession>(context, loop, audit_flags, audit_options,
                                   "picketctl audit verify",
                                   [](AuditSession& session) { return session.Finish(); });
  }
  if (publish->parsed()) return RunPublish(context, loop, clock, publish_flags, pub);
  if (from_opt->count() > 0) tail_options.from = static_cast<uint64_t>(from);
  if (to_opt->count() > 0) tail_options.to = static_cast<uint64_t>(to);
  if ((tail_options.from && from <= 0) || (tail_options.to && to <= 0)) {
    std::cerr << "picketctl tail: --from and --to are sequence numbers, which start at 1\n";
    return kExitUsage;
  }
  return RunReader<TailSession>(context, loop, tail_flags, tail_options, "picketctl tail",
                                [](TailSession&) { return kExitOk; });
}
