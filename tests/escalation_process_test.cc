// picket-escalation as a real process against a real picket-bus: incidents reported on the
// bus, alerts read back from the bus log, commands over its ROUTER endpoint, kill -9.
// The site runs with keys: each client connects as who it plays (a post's terminal, the
// console, the officer with picketctl, the probe reading the log).
//
// Times asserted here are the bus's receive times of the events (recordedAt), i.e. what
// the issue requires of the product ("the alert is on the bus within one second", "the
// next level gets it after its wait"), not the speed of this machine.
#include <signal.h>

#include <capnp/message.h>
#include <httplib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "notify/core/webhook_request.h"
#include "picket/schemas/envelope.capnp.h"
#include "picket/schemas/escalation.capnp.h"
#include "picket/schemas/roster.capnp.h"
#include "picket/schemas/terminal.capnp.h"
#include "support/bus_fixture.h"
#include "support/bus_probe.h"
#include "support/intrusion_toml.h"
#include "support/process.h"
#include "support/service_fixture.h"
#include "support/tmpfs.h"
#include "support/webhook_receiver.h"
#include "wire/codec.h"
#include "wire/event_id.h"

using namespace picket;
using namespace picket::testing;
using std::chrono::milliseconds;

namespace {

constexpr int64_t kSecond = 1'000'000;

// Level 1: the duty officer, 2 s; level 2: boss, 1 h (so nothing fires after it in a test).
// bob is a guard the site knows, so a command in his name is judged, not refused as
// unauthorized.
const std::string kEscalationToml = R"(
[escalation]
commands = "tcp://127.0.0.1:*"
http = ""

[escalation.roster.people]
bob = ["guard"]

[escalation.policies.standard]
fallback = ["person:chief"]
fallback_wait = "1h"
[[escalation.policies.standard.levels]]
targets = ["role:duty_officer"]
wait = 2
[[escalation.policies.standard.levels]]
targets = ["person:boss"]
wait = "1h"

)" + std::string(kIntrusionTypeAndRule) +
                                    R"(
[[escalation.incident_types.intrusion.steps]]
id = "secure_gate"
text = "Close and lock the gate"
mandatory = true
)";

// One event of the log with the parts of its body the tests look at.
struct Seen {
  uint64_t seq = 0;
  std::string type, actor;
  int64_t recorded_at = 0;
  int64_t observed_at = 0;  // the service's time when it caused the event
  uint64_t incident = 0;
  std::string person;      // alert_raised
  int64_t respond_by = 0;  // alert_raised
  uint32_t to_level = 0;   // incident_escalated
  int64_t lateness = 0;    // incident_escalated
  std::string post;        // incident_opened
};

// The whole log, read with the probe's key (an admin's).
std::vector<Seen> ReadLog(zmq::context_t& ctx, const BusUnderTest& site, const BusEndpoints& bus) {
  auto log = ReplayAll(ctx, bus.replay, 1, milliseconds(10000), site.Probe());
  REQUIRE(log);
  std::vector<Seen> out;
  for (const auto& le : *log) {
    Seen s;
    s.seq = le.seq;
    s.type = le.type;
    s.recorded_at = le.recorded_at;
    std::string error;
    auto msg = DecodedMessage::Decode(le.event, &error);
    REQUIRE(msg);
    auto e = msg->Root<wire::Event>();
    s.actor = e.getActor().cStr();
    s.observed_at = e.getObservedAt();
    auto body = e.getBody();
    if (s.type == "escalation.alert_raised") {
      auto a = body.getAs<wire::AlertRaised>();
      s.incident = a.getIncident();
      s.person = a.getPerson().cStr();
      s.respond_by = a.getRespondBy();
    } else if (s.type == "escalation.incident_escalated") {
      auto x = body.getAs<wire::IncidentEscalated>();
      s.incident = x.getIncident();
      s.to_level = x.getToLevel();
      s.lateness = x.getLateness();
    } else if (s.type == "escalation.incident_opened") {
      auto o = body.getAs<wire::IncidentOpened>();
      s.incident = o.getIncident();
      s.post = o.getPost().cStr();
    } else if (s.type == "escalation.incident_acknowledged") {
      s.incident = body.getAs<wire::IncidentAcknowledged>().getIncident();
    }
    out.push_back(s);
  }
  return out;
}

std::vector<Seen> Filter(const std::vector<Seen>& log, const std::string& type,
                         const std::string& person = "") {
  std::vector<Seen> out;
  for (const auto& s : log)
    if (s.type == type && (person.empty() || s.person == person)) out.push_back(s);
  return out;
}

// Publishes `spec` with the key of its producer and REQUIREs the ack; returns the seq.
uint64_t Publish(zmq::context_t& ctx, const BusUnderTest& site, const BusEndpoints& bus,
                 EventSpec spec) {
  IngestProbe probe(ctx, bus.ingest, site.As(spec.producer));
  auto reply = probe.Publish(spec, milliseconds(10000));
  REQUIRE(reply);
  INFO(reply->message);
  REQUIRE(reply->kind == Reply::kAck);
  return reply->seq;
}

// The console records the shift (a service's key may publish shift.*).
uint64_t StartShift(zmq::context_t& ctx, const BusUnderTest& site, const BusEndpoints& bus,
                    const std::string& person, const std::string& role) {
  EventSpec spec;
  spec.type = "shift.started";
  spec.producer = "console";
  spec.actor = person;
  spec.body = [=](capnp::AnyPointer::Builder b) {
    auto s = b.initAs<wire::ShiftStarted>();
    s.setPerson(person);
    s.setPost("hq");
    s.setRole(role);
  };
  return Publish(ctx, site, bus, spec);
}

// The terminal of `post` reports, with its key: the site must list Terminal(post).
uint64_t Report(zmq::context_t& ctx, const BusUnderTest& site, const BusEndpoints& bus,
                const std::string& post, const std::string& kind = "intrusion") {
  EventSpec spec;
  spec.type = "terminal.incident_reported";
  spec.producer = "terminal-" + post;
  spec.actor = "guard-" + post;
  spec.body = [=](capnp::AnyPointer::Builder b) {
    auto r = b.initAs<wire::IncidentReported>();
    r.setPost(post);
    r.setKind(kind);
    r.setNote("reported by the process test");
  };
  return Publish(ctx, site, bus, spec);
}

// The terminal key of `post`, named as Report's producer.
TestIdentity Terminal(const std::string& post) {
  return TestIdentity{"terminal-" + post, "terminal", post, {}};
}

// The terminals of `posts`, and `more`.
std::vector<TestIdentity> Terminals(const std::vector<std::string>& posts,
                                    std::vector<TestIdentity> more = {}) {
  for (const auto& post : posts) more.push_back(Terminal(post));
  return more;
}

// "post-0" .. "post-<n-1>", then `last`.
std::vector<std::string> Posts(int n, const std::string& last) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) out.push_back("post-" + std::to_string(i));
  out.push_back(last);
  return out;
}

// picket-escalation of the site of `bus`, in <data_root>/escalation.
ServiceUnderTest Escalation(const BusUnderTest& bus) {
  return ServiceUnderTest("picket-escalation", bus.config_path(),
                          bus.dir().path() + "/data/escalation");
}

// Starts it and returns its command endpoint.
std::string StartEscalation(ServiceUnderTest& esc) {
  return esc.Start()["commands"].get<std::string>();
}

struct Answer {
  wire::EscalationError error = wire::EscalationError::NONE;
  std::string message;
  uint64_t version = 0;
  std::vector<std::string> missing;
  size_t open = 0;
};

// Sends one request frame over a fresh DEALER and decodes the reply. The test plays the
// console calling for the people it names: it connects with the console's key (a service
// may send any command, acting for the person it names).
std::optional<Answer> Ask(zmq::context_t& ctx, const BusUnderTest& site,
                          const std::string& endpoint, const std::string& frame) {
  auto bytes =
      CallEndpoint(ctx, endpoint, frame, milliseconds(10000), site.As("console", "escalation"));
  if (!bytes) return std::nullopt;
  std::string error;
  auto msg = DecodedMessage::Decode(*bytes, &error);
  REQUIRE(msg);
  auto r = msg->Root<wire::EscalationReply>();
  Answer a;
  a.error = r.getError();
  a.message = r.getMessage().cStr();
  a.version = r.getVersion();
  for (auto s : r.getMissingSteps()) a.missing.emplace_back(s.cStr());
  a.open = r.getIncidents().size();
  return a;
}

std::string Request(const std::string& actor, const EventId& command_id,
                    const std::function<void(wire::EscalationRequest::Builder)>& fill) {
  capnp::MallocMessageBuilder b;
  auto r = b.initRoot<wire::EscalationRequest>();
  r.setActor(actor);
  r.setCommandId(
      capnp::Data::Reader(reinterpret_cast<const capnp::byte*>(command_id.Bytes().data()), 16));
  fill(r);
  return Encode(b);
}

}  // namespace

TEST_CASE("escalation: a report alerts the duty officer at once and the next level after its wait",
          "[escalation][process]") {
  BusUnderTest bus(kEscalationToml, Terminals({"gate-1"}));
  auto endpoints = bus.Start();
  ServiceUnderTest esc = Escalation(bus);
  StartEscalation(esc);
  zmq::context_t ctx;
  StartShift(ctx, bus, endpoints, "ann", "duty_officer");
  uint64_t report_seq = Report(ctx, bus, endpoints, "gate-1");

  std::vector<Seen> log;
  REQUIRE(WaitUntil(
      [&] {
        log = ReadLog(ctx, bus, endpoints);
        return !Filter(log, "escalation.alert_raised", "boss").empty();
      },
      milliseconds(20000)));
  const Seen& report = log.at(report_seq - 1);
  auto ann = Filter(log, "escalation.alert_raised", "ann");
  auto boss = Filter(log, "escalation.alert_raised", "boss");
  REQUIRE(ann.size() == 1);
  REQUIRE(boss.size() == 1);
  // On the bus within one second of the report (bus receive times).
  CHECK(ann[0].recorded_at - report.recorded_at < kSecond);
  // Nobody acknowledged: the next level after the level's 2 s wait, not before. The wait
  // runs from when the service handled the report (after the bus recorded it), and the
  // step is handled at or after its due time, the alert's respondBy.
  CHECK(ann[0].respond_by - ann[0].observed_at == 2 * kSecond);
  CHECK(boss[0].recorded_at - report.recorded_at >= 2 * kSecond);
  auto escalated = Filter(log, "escalation.incident_escalated");
  REQUIRE(escalated.size() == 1);
  CHECK(escalated[0].to_level == 2);
  CHECK(escalated[0].lateness >= 0);
  CHECK(escalated[0].observed_at >= ann[0].respond_by);
  // The audit trail starts with the opening, caused by the guard who reported it.
  auto opened = Filter(log, "escalation.incident_opened");
  REQUIRE(opened.size() == 1);
  CHECK(opened[0].actor == "guard-gate-1");
  CHECK(opened[0].post == "gate-1");
}

TEST_CASE(
    "escalation: an ack stops escalation, a retried command applies once, bad commands "
    "get clear errors",
    "[escalation][process]") {
  BusUnderTest bus(kEscalationToml, Terminals({"gate-1", "gate-2"}));
  auto endpoints = bus.Start();
  ServiceUnderTest esc = Escalation(bus);
  std::string commands = StartEscalation(esc);
  zmq::context_t ctx;
  StartShift(ctx, bus, endpoints, "ann", "duty_officer");
  Report(ctx, bus, endpoints, "gate-1");  // incident 1
  REQUIRE(WaitUntil(
      [&] {
        return Filter(ReadLog(ctx, bus, endpoints), "escalation.alert_raised", "ann").size() == 1;
      },
      milliseconds(20000)));
  Report(ctx, bus, endpoints, "gate-2");  // incident 2: nobody acknowledges it

  const EventId ack_id = EventId::Random();
  auto ack = Request("ann", ack_id, [](auto r) { r.initAcknowledge().setIncident(1); });
  auto first = Ask(ctx, bus, commands, ack);
  REQUIRE(first);
  INFO(first->message);
  REQUIRE(first->error == wire::EscalationError::NONE);
  CHECK(first->version > 0);
  // The same command again (a client retrying after a lost reply): the same answer, and
  // it is not applied twice.
  auto again = Ask(ctx, bus, commands, ack);
  REQUIRE(again);
  CHECK(again->error == wire::EscalationError::NONE);
  CHECK(again->version == first->version);
  // A new ack command is refused: it was acknowledged already.
  auto other =
      Ask(ctx, bus, commands,
          Request("bob", EventId::Random(), [](auto r) { r.initAcknowledge().setIncident(1); }));
  REQUIRE(other);
  CHECK(other->error == wire::EscalationError::ALREADY_ACKNOWLEDGED);

  // Incident 2 escalates to boss after the wait; by then incident 1's step was due too,
  // and must not have alerted anyone after the ack.
  std::vector<Seen> log;
  REQUIRE(WaitUntil(
      [&] {
        log = ReadLog(ctx, bus, endpoints);
        return !Filter(log, "escalation.alert_raised", "boss").empty();
      },
      milliseconds(20000)));
  auto acked = Filter(log, "escalation.incident_acknowledged");
  REQUIRE(acked.size() == 1);
  CHECK(acked[0].actor == "ann");
  for (const auto& a : Filter(log, "escalation.alert_raised")) {
    if (a.incident == 1) CHECK(a.seq < acked[0].seq);
    if (a.person == "boss") CHECK(a.incident == 2);
  }

  // Bad commands: clear codes, nothing changes, the service keeps answering.
  auto unknown =
      Ask(ctx, bus, commands,
          Request("ann", EventId::Random(), [](auto r) { r.initAcknowledge().setIncident(99); }));
  REQUIRE(unknown);
  CHECK(unknown->error == wire::EscalationError::UNKNOWN_INCIDENT);
  auto early =
      Ask(ctx, bus, commands,
          Request("ann", EventId::Random(), [](auto r) { r.initResolve().setIncident(1); }));
  REQUIRE(early);
  CHECK(early->error == wire::EscalationError::MANDATORY_STEPS);
  CHECK(early->missing == std::vector<std::string>{"secure_gate"});
  auto no_actor =
      Ask(ctx, bus, commands,
          Request("", EventId::Random(), [](auto r) { r.initAcknowledge().setIncident(2); }));
  REQUIRE(no_actor);
  CHECK(no_actor->error == wire::EscalationError::INVALID_ARGUMENT);
  auto garbage = Ask(ctx, bus, commands, "this is not a capnp message at all");
  REQUIRE(garbage);
  CHECK(garbage->error == wire::EscalationError::MALFORMED);
  auto huge = Ask(ctx, bus, commands, std::string(100000, 'x'));
  REQUIRE(huge);
  CHECK(huge->error == wire::EscalationError::MALFORMED);

  auto step = Ask(ctx, bus, commands, Request("ann", EventId::Random(), [](auto r) {
                    auto s = r.initMarkStepDone();
                    s.setIncident(1);
                    s.setStep("secure_gate");
                  }));
  REQUIRE(step);
  CHECK(step->error == wire::EscalationError::NONE);
  auto resolved =
      Ask(ctx, bus, commands,
          Request("ann", EventId::Random(), [](auto r) { r.initResolve().setIncident(1); }));
  REQUIRE(resolved);
  CHECK(resolved->error == wire::EscalationError::NONE);
  auto late_ack =
      Ask(ctx, bus, commands,
          Request("ann", EventId::Random(), [](auto r) { r.initAcknowledge().setIncident(1); }));
  REQUIRE(late_ack);
  CHECK(late_ack->error == wire::EscalationError::ALREADY_RESOLVED);
  auto open =
      Ask(ctx, bus, commands, Request("ann", EventId::Random(), [](auto r) { r.setListOpen(); }));
  REQUIRE(open);
  CHECK(open->open == 1);  // incident 2
  CHECK(esc.process().Running());
}

TEST_CASE(
    "escalation: kill -9 with pending steps, restart: each step fires exactly once, late "
    "steps say by how much",
    "[escalation][process]") {
  constexpr int kIncidents = 10;
  BusUnderTest bus(kEscalationToml, Terminals(Posts(kIncidents, "marker")));
  auto endpoints = bus.Start();
  ServiceUnderTest esc = Escalation(bus);
  StartEscalation(esc);
  zmq::context_t ctx;
  StartShift(ctx, bus, endpoints, "ann", "duty_officer");
  for (int i = 0; i < kIncidents; ++i) Report(ctx, bus, endpoints, "post-" + std::to_string(i));
  std::vector<Seen> log;
  REQUIRE(WaitUntil(
      [&] {
        log = ReadLog(ctx, bus, endpoints);
        return Filter(log, "escalation.alert_raised", "ann").size() == kIncidents;
      },
      milliseconds(20000)));
  // Every step is pending (due 2 s after its alert). Kill -9 and stay down until they are
  // all overdue by half a second, by the bus's clock.
  esc.Kill();
  int64_t last_due = 0;
  for (const auto& a : Filter(log, "escalation.alert_raised", "ann"))
    last_due = std::max(last_due, a.recorded_at + 2 * kSecond);
  REQUIRE(WaitUntil(
      [&] {
        auto now = std::chrono::duration_cast<std::chrono::microseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
        return now > last_due + kSecond / 2;
      },
      milliseconds(20000)));
  StartEscalation(esc);
  // Kill it again as soon as the first late step is on the bus (mid-way through firing
  // them, or just after), and restart: nothing may fire twice or be lost.
  REQUIRE(WaitUntil(
      [&] {
        return !Filter(ReadLog(ctx, bus, endpoints), "escalation.alert_raised", "boss").empty();
      },
      milliseconds(20000)));
  esc.Kill();
  StartEscalation(esc);
  REQUIRE(WaitUntil(
      [&] {
        log = ReadLog(ctx, bus, endpoints);
        return Filter(log, "escalation.alert_raised", "boss").size() >= kIncidents;
      },
      milliseconds(20000)));
  // A later incident, opened and alerted after the restart, is the marker that the
  // service has handled everything before it.
  Report(ctx, bus, endpoints, "marker");
  REQUIRE(WaitUntil(
      [&] {
        log = ReadLog(ctx, bus, endpoints);
        return Filter(log, "escalation.alert_raised", "ann").size() == kIncidents + 1;
      },
      milliseconds(20000)));
  std::map<uint64_t, int> boss_alerts, escalations;
  for (const auto& a : Filter(log, "escalation.alert_raised", "boss")) ++boss_alerts[a.incident];
  for (const auto& x : Filter(log, "escalation.incident_escalated")) {
    ++escalations[x.incident];
    CHECK(x.to_level == 2);
    // It was due while the service was down: it says how late it fired.
    CHECK(x.lateness >= kSecond / 2);
  }
  CHECK(boss_alerts.size() == kIncidents);
  CHECK(escalations.size() == kIncidents);
  for (const auto& [incident, n] : boss_alerts) CHECK(n == 1);
  for (const auto& [incident, n] : escalations) CHECK(n == 1);
}

namespace {

constexpr const char* kSecret = "chain-test-secret-0123456789";

}  // namespace

TEST_CASE(
    "alert chain: a report reaches the duty officer's webhook, signed, and picketctl acks, "
    "marks the step and resolves",
    "[escalation][notify][process]") {
  WebhookReceiver receiver;
  std::string notify_toml =
      std::string("\n[notify]\nhttp = \"\"\n") + "[notify.retry]\ninitial_backoff = \"100ms\"\n" +
      "[notify.channels.pager]\nurl = \"http://127.0.0.1:" + std::to_string(receiver.port()) +
      "/hook\"\nsecret = \"" + kSecret + "\"\n[notify.roles]\nduty_officer = [\"pager\"]\n";
  // ann, the duty officer, works the incident with picketctl and her own key.
  BusUnderTest bus(std::string(kEscalationToml) + notify_toml,
                   Terminals({"gate-1"}, {{"ann", "officer", "", {}}}));
  auto endpoints = bus.Start();
  ServiceUnderTest esc = Escalation(bus);
  StartEscalation(esc);
  ServiceUnderTest notify("picket-notify", bus.config_path(), bus.dir().path() + "/data/notify");
  notify.Start();
  zmq::context_t ctx;
  StartShift(ctx, bus, endpoints, "ann", "duty_officer");
  Report(ctx, bus, endpoints, "gate-1");

  // The webhook arrives, signed with the channel's secret, about ann's incident 1.
  REQUIRE(WaitUntil([&] { return !receiver.hooks().empty(); }, milliseconds(20000)));
  auto hook = receiver.hooks().front();
  CHECK(hook.signature == notify::Signature(kSecret, std::stoll(hook.timestamp), hook.body));
  CHECK(hook.key.size() == 32);
  auto payload = nlohmann::json::parse(hook.body);
  CHECK(payload["person"] == "ann");
  CHECK(payload["incident"] == 1);
  // What happened, so the pager can say more than "incident 1, level 1".
  CHECK(payload["type"] == "intrusion");
  CHECK(payload["post"] == "gate-1");
  CHECK(payload["severity"] == "high");
  CHECK(payload["note"] == "reported by the process test");

  // The officer works the incident with picketctl against the real service.
  const std::string ctl = BinaryPath("picketctl");
  const std::string config = bus.config_path();
  const std::string out = bus.dir().path() + "/picketctl.out";
  // `picketctl incident <args> --config <site> --key <ann's key>`.
  auto incident = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {ctl, "incident"});
    args.insert(args.end(), {"--config", config, "--key", bus.KeyFile("ann")});
    return RunCommand(args, out);
  };
  auto ack = incident({"ack", "1", "--as", "ann"});
  INFO(ack.output);
  CHECK(ack.exit_code == 0);
  auto early = incident({"resolve", "1", "--as", "ann"});
  INFO(early.output);
  CHECK(early.exit_code == 1);
  CHECK_THAT(early.output, Catch::Contains("secure_gate"));
  auto step = incident({"step", "1", "secure_gate", "--as", "ann"});
  INFO(step.output);
  CHECK(step.exit_code == 0);
  auto resolved = incident({"resolve", "1", "--as", "ann"});
  INFO(resolved.output);
  CHECK(resolved.exit_code == 0);
  auto show = incident({"show", "1"});
  INFO(show.output);
  CHECK(show.exit_code == 0);
  CHECK_THAT(show.output, Catch::Contains("ann"));
  CHECK_THAT(show.output, Catch::Contains("secure_gate"));
  CHECK_THAT(show.output, Catch::Contains("reported by the process test"));  // the note
  auto unknown = incident({"ack", "99", "--as", "ann"});
  CHECK(unknown.exit_code == 1);

  // The audit trail on the bus: the delivery, the ack, the step, the resolution.
  std::vector<Seen> log;
  REQUIRE(WaitUntil(
      [&] {
        log = ReadLog(ctx, bus, endpoints);
        return !Filter(log, "escalation.incident_resolved").empty() &&
               !Filter(log, "notify.delivery_succeeded").empty();
      },
      milliseconds(20000)));
  CHECK(Filter(log, "escalation.incident_acknowledged").size() == 1);
  CHECK(Filter(log, "escalation.step_done").size() == 1);
  CHECK(Filter(log, "escalation.incident_resolved")[0].actor == "ann");
}

TEST_CASE(
    "escalation on a full disk: reports wait and none is skipped, /healthz and commands say "
    "why, and once space is freed every report opens its incident exactly once",
    "[escalation][process][disk]") {
  // The service's HTTP endpoint on: /healthz is part of what is checked.
  std::string toml = kEscalationToml;
  const std::string no_http = "http = \"\"\n";
  toml.replace(toml.find(no_http), no_http.size(), "http = \"127.0.0.1:0\"\n");
  constexpr int kBefore = 5, kDuring = 20;
  BusUnderTest bus(toml, Terminals(Posts(kBefore + kDuring, "marker")));
  auto endpoints = bus.Start();
  ServiceUnderTest esc = Escalation(bus);
  TmpfsMount disk(esc.data_dir(), 32 << 20);  // the store's disk only; the bus's is fine
  SKIP_WITHOUT_TMPFS(disk);
  // Less room than RocksDB preallocates for the store's WAL, so nothing is reserved ahead.
  FillDisk(disk.path() + "/filler-1", 6 << 20);
  auto ready = esc.Start();
  const std::string commands = ready["commands"].get<std::string>();
  const std::string http_at = ready["http"].get<std::string>();
  httplib::Client http(http_at.substr(0, http_at.rfind(':')),
                       std::stoi(http_at.substr(http_at.rfind(':') + 1)));
  auto healthz = [&]() -> std::pair<int, std::string> {
    auto r = http.Get("/healthz");
    return r ? std::make_pair(r->status, r->body) : std::make_pair(0, std::string());
  };
  zmq::context_t ctx;
  StartShift(ctx, bus, endpoints, "ann", "duty_officer");
  for (int i = 0; i < kBefore; ++i) Report(ctx, bus, endpoints, "post-" + std::to_string(i));
  REQUIRE(WaitUntil(
      [&] {
        return Filter(ReadLog(ctx, bus, endpoints), "escalation.incident_opened").size() == kBefore;
      },
      milliseconds(20000)));

  // The disk fills up completely, and more reports arrive.
  FillDisk(disk.path() + "/filler-2", 0);
  for (int i = kBefore; i < kBefore + kDuring; ++i)
    Report(ctx, bus, endpoints, "post-" + std::to_string(i));
  INFO(ReadFile(esc.log_path()));
  REQUIRE(WaitUntil(
      [&] {
        auto [status, body] = healthz();
        return status == 503 && body.find("no space left on device") != std::string::npos;
      },
      milliseconds(20000)));
  CHECK_THAT(healthz().second,
             Catch::Contains("the escalation store cannot be written: no space left on device"));
  CHECK(esc.process().Running());
  // A command cannot be stored: `unavailable`, with the cause; nothing is applied.
  const auto ack =
      Request("ann", EventId::Random(), [](auto r) { r.initAcknowledge().setIncident(1); });
  auto refused = Ask(ctx, bus, commands, ack);
  REQUIRE(refused);
  CHECK(refused->error == wire::EscalationError::UNAVAILABLE);
  CHECK_THAT(refused->message, Catch::Contains("no space left on device"));
  // The reports wait: not all can have opened their incident.
  CHECK(Filter(ReadLog(ctx, bus, endpoints), "escalation.incident_opened").size() <
        kBefore + kDuring);

  // Space is freed: it resumes from its applied_seq and applies every report once.
  const auto freed = std::chrono::steady_clock::now();
  std::filesystem::remove(disk.path() + "/filler-2");
  std::filesystem::remove(disk.path() + "/filler-1");
  std::vector<Seen> log;
  REQUIRE(WaitUntil(
      [&] {
        log = ReadLog(ctx, bus, endpoints);
        return Filter(log, "escalation.incident_opened").size() >= kBefore + kDuring;
      },
      milliseconds(30000)));
  const auto recovery_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::steady_clock::now() - freed)
                               .count();
  std::cerr << "full disk: escalation applied every waiting report " << recovery_ms
            << " ms after space was freed\n";
  CHECK(recovery_ms < 15000);
  REQUIRE(WaitUntil([&] { return healthz().first == 200; }, milliseconds(10000)));
  // The same command again (the client's retry) is applied now.
  auto retried = Ask(ctx, bus, commands, ack);
  REQUIRE(retried);
  CHECK(retried->error == wire::EscalationError::NONE);
  // A marker after the recovery: everything before it was handled.
  Report(ctx, bus, endpoints, "marker");
  REQUIRE(WaitUntil(
      [&] {
        log = ReadLog(ctx, bus, endpoints);
        return Filter(log, "escalation.incident_opened").size() == kBefore + kDuring + 1;
      },
      milliseconds(20000)));
  std::map<std::string, int> opened;
  std::set<uint64_t> incidents;
  for (const auto& o : Filter(log, "escalation.incident_opened")) {
    ++opened[o.post];
    incidents.insert(o.incident);
  }
  CHECK(opened.size() == kBefore + kDuring + 1);
  for (const auto& [post, n] : opened) {
    INFO(post);
    CHECK(n == 1);
  }
  CHECK(incidents.size() == kBefore + kDuring + 1);
  CHECK(Filter(log, "escalation.incident_acknowledged").size() == 1);
  CHECK(esc.process().Running());
  std::string text = ReadFile(esc.log_path());
  auto lines_with = [&](const std::string& needle) {
    size_t n = 0;
    for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
      ++n;
    return n;
  };
  CHECK(lines_with("refusing writes and retrying") == 1);  // said once, not per retry
  CHECK(lines_with("can be written again") == 1);
}
