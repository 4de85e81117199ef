// Issue 9, "a page can follow 'acknowledged'": with escalation's outbox backed up (here:
// the bus paused with SIGSTOP), a step that fires just before an officer's `picketctl
// incident ack` put its alert on the bus after the ack reply, and picket-notify paged.
// Real picket-bus, picket-escalation, picket-notify and picketctl processes, and a real
// webhook receiver.
//
// What must hold (docs/escalation.md, docs/notify.md): picketctl prints "acknowledged"
// only once the ack, and every alert raised before it, are on the bus; no webhook reaches
// the receiver after that; and when the bus takes longer than escalation.reply_wait, the
// reply says honestly that the ack is stored but not on the bus yet.
#include <signal.h>
#include <sys/wait.h>

#include <httplib.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>

#include "picket/schemas/envelope.capnp.h"
#include "picket/schemas/escalation.capnp.h"
#include "picket/schemas/roster.capnp.h"
#include "picket/schemas/terminal.capnp.h"
#include "support/bus_fixture.h"
#include "support/bus_probe.h"
#include "support/intrusion_toml.h"
#include "support/process.h"
#include "support/service_fixture.h"
#include "support/webhook_receiver.h"
#include "wire/codec.h"

using namespace picket;
using namespace picket::testing;
using std::chrono::milliseconds;
using Steady = std::chrono::steady_clock;

namespace {

constexpr int64_t kSecond = 1'000'000;

// Level 1: the duty officer, 3 s; level 2: boss, 1 h. A reply waits up to 2 s for the bus.
std::string SiteToml(const WebhookReceiver& receiver) {
  return R"(
[escalation]
commands = "tcp://127.0.0.1:*"
http = "127.0.0.1:0"
reply_wait = "2s"

[escalation.policies.standard]
fallback = ["person:chief"]
fallback_wait = "1h"
[[escalation.policies.standard.levels]]
targets = ["role:duty_officer"]
wait = 3
[[escalation.policies.standard.levels]]
targets = ["person:boss"]
wait = "1h"
)" + std::string(kIntrusionTypeAndRule) +
         R"(

[notify]
http = "127.0.0.1:0"
[notify.retry]
initial_backoff = "100ms"
[notify.channels.pager]
url = ")" +
         receiver.url() +
         R"("
secret = "page-after-ack-secret-0123"
[notify.people]
boss = ["pager"]
[notify.roles]
duty_officer = ["pager"]
)";
}

// The keys of this site besides the standard ones: ann, the duty officer, acks with
// picketctl and her own key; gate-1's terminal reports.
const std::vector<TestIdentity> kIdentities = {
    {"ann", "officer", "", {}},
    {"terminal-gate-1", "terminal", "gate-1", {}},
};

// Publishes `spec` with the key of its producer and REQUIREs the ack.
void Publish(zmq::context_t& ctx, const BusUnderTest& site, const BusEndpoints& bus,
             EventSpec spec) {
  IngestProbe probe(ctx, bus.ingest, site.As(spec.producer));
  auto reply = probe.Publish(spec, milliseconds(10000));
  REQUIRE(reply);
  REQUIRE(reply->kind == Reply::kAck);
}

// The console records the shift (a service's key may publish shift.*).
void StartShift(zmq::context_t& ctx, const BusUnderTest& site, const BusEndpoints& bus,
                const std::string& person) {
  EventSpec spec;
  spec.type = "shift.started";
  spec.producer = "console";
  spec.actor = person;
  spec.body = [=](capnp::AnyPointer::Builder b) {
    auto s = b.initAs<wire::ShiftStarted>();
    s.setPerson(person);
    s.setPost("hq");
    s.setRole("duty_officer");
  };
  Publish(ctx, site, bus, spec);
}

// The terminal of `post` reports, with its key ("terminal-<post>", in kIdentities).
void Report(zmq::context_t& ctx, const BusUnderTest& site, const BusEndpoints& bus,
            const std::string& post) {
  EventSpec spec;
  spec.type = "terminal.incident_reported";
  spec.producer = "terminal-" + post;
  spec.actor = "guard-" + post;
  spec.body = [=](capnp::AnyPointer::Builder b) {
    auto r = b.initAs<wire::IncidentReported>();
    r.setPost(post);
    r.setKind("intrusion");
    r.setNote("fence cut");
  };
  Publish(ctx, site, bus, spec);
}

// The alert_raised events in the log: (person, respondBy) by incident.
struct AlertSeen {
  uint64_t incident = 0, seq = 0;
  std::string person;
  int64_t respond_by = 0;
};
std::vector<AlertSeen> Alerts(zmq::context_t& ctx, const BusUnderTest& site,
                              const BusEndpoints& bus) {
  auto log = ReplayAll(ctx, bus.replay, 1, milliseconds(10000), site.Probe());
  REQUIRE(log);
  std::vector<AlertSeen> out;
  for (const auto& le : *log) {
    if (le.type != "escalation.alert_raised") continue;
    std::string error;
    auto msg = DecodedMessage::Decode(le.event, &error);
    REQUIRE(msg);
    auto a = msg->Root<wire::Event>().getBody().getAs<wire::AlertRaised>();
    out.push_back({a.getIncident(), le.seq, a.getPerson().cStr(), a.getRespondBy()});
  }
  return out;
}

// The types in the log, in order.
std::vector<std::string> Types(zmq::context_t& ctx, const BusUnderTest& site,
                               const BusEndpoints& bus) {
  auto log = ReplayAll(ctx, bus.replay, 1, milliseconds(10000), site.Probe());
  REQUIRE(log);
  std::vector<std::string> out;
  for (const auto& le : *log) out.push_back(le.type);
  return out;
}

// The value of `series` on a service's /metrics (its ready file's "http"), or -1.
double Metric(const std::string& http_at, const std::string& series) {
  httplib::Client http(http_at.substr(0, http_at.rfind(':')),
                       std::stoi(http_at.substr(http_at.rfind(':') + 1)));
  auto r = http.Get("/metrics");
  if (!r || r->status != 200) return -1;
  auto at = r->body.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  return std::stod(r->body.substr(at + series.size() + 2));
}

int64_t WallMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

double Ms(Steady::duration d) {
  return static_cast<double>(std::chrono::duration_cast<std::chrono::microseconds>(d).count()) /
         1000.0;
}

// `picketctl incident ack <incident> --as ann` with ann's key, as a child process (it blocks
// on the reply).
std::unique_ptr<ChildProcess> StartAck(const BusUnderTest& bus, uint64_t incident,
                                       const std::string& out) {
  return std::make_unique<ChildProcess>(
      std::vector<std::string>{BinaryPath("picketctl"), "incident", "ack", std::to_string(incident),
                               "--as", "ann", "--config", bus.config_path(), "--key",
                               bus.KeyFile("ann"), "--timeout", "20s"},
      out);
}

int ExitCode(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

TEST_CASE(
    "page after ack (issue 9): with the outbox backed up, a step that fires just before the "
    "ack pages nobody after picketctl printed acknowledged",
    "[escalation][notify][process][page_after_ack]") {
  WebhookReceiver receiver;
  BusUnderTest bus(SiteToml(receiver), kIdentities);
  auto endpoints = bus.Start();
  ServiceUnderTest esc("picket-escalation", bus.config_path(),
                       bus.dir().path() + "/data/escalation");
  const std::string esc_http = esc.Start()["http"].get<std::string>();
  ServiceUnderTest notify("picket-notify", bus.config_path(), bus.dir().path() + "/data/notify");
  const std::string notify_http = notify.Start()["http"].get<std::string>();
  zmq::context_t ctx;
  StartShift(ctx, bus, endpoints, "ann");
  Report(ctx, bus, endpoints, "gate-1");

  // Level 1 pages ann. Its respondBy is when the step to boss fires (wall clock).
  REQUIRE(WaitUntil([&] { return receiver.hooks().size() == 1; }, milliseconds(20000)));
  auto alerts = Alerts(ctx, bus, endpoints);
  REQUIRE(alerts.size() == 1);
  const int64_t step_due = alerts[0].respond_by;

  // The bus stops a second before the step: the step's alert to boss, then the ack, wait
  // in escalation's outbox.
  REQUIRE(WaitUntil([&] { return WallMicros() >= step_due - kSecond; }, milliseconds(20000)));
  bus.process().Signal(SIGSTOP);
  const std::string fired = "picket_service_timers_fired_total{service=\"escalation\"}";
  REQUIRE(Metric(esc_http, fired) == 0);  // paused in time: the step has not fired yet
  REQUIRE(WaitUntil([&] { return Metric(esc_http, fired) >= 1; }, milliseconds(20000)));
  const std::string out = bus.dir().path() + "/ack.out";
  auto ack = StartAck(bus, 1, out);
  const std::string held = "picket_service_replies_held_total{service=\"escalation\"}";
  REQUIRE(WaitUntil([&] { return Metric(esc_http, held) == 1; }, milliseconds(20000)));
  const auto stored = Steady::now();
  // The ack is stored; its reply waits for the bus. Half a second later it still does.
  const auto paused_until = Steady::now() + milliseconds(500);
  WaitUntil([&] { return Steady::now() >= paused_until; }, milliseconds(1000));
  CHECK(ack->Running());
  CHECK(ReadFile(out).find("acknowledged") == std::string::npos);

  const auto resumed = Steady::now();
  bus.process().Signal(SIGCONT);
  auto status = ack->Wait(milliseconds(20000));
  const auto replied = Steady::now();  // at or after the print
  REQUIRE(status);
  const std::string printed = ReadFile(out);
  INFO(printed);
  CHECK(ExitCode(*status) == 0);
  CHECK_THAT(printed, Catch::Contains("incident 1 acknowledged by ann"));
  CHECK_THAT(printed, !Catch::Contains("not yet on the bus"));

  // The log: the alert to boss before the ack; notify ends that delivery without sending.
  std::vector<std::string> types;
  REQUIRE(WaitUntil(
      [&] {
        types = Types(ctx, bus, endpoints);
        return std::count(types.begin(), types.end(), "notify.delivery_stopped") == 1;
      },
      milliseconds(20000)));
  alerts = Alerts(ctx, bus, endpoints);
  REQUIRE(alerts.size() == 2);
  CHECK(alerts[1].person == "boss");
  auto ack_at = std::find(types.begin(), types.end(), "escalation.incident_acknowledged");
  REQUIRE(ack_at != types.end());
  CHECK(alerts[1].seq < static_cast<uint64_t>(ack_at - types.begin()) + 1);

  // No page after "acknowledged": the only webhook is ann's level 1, long before.
  auto hooks = receiver.hooks();
  for (const auto& h : hooks) {
    INFO(h.body);
    CHECK(h.received_at < resumed);
    CHECK(nlohmann::json::parse(h.body)["person"] == "ann");
  }
  CHECK(hooks.size() == 1);
  const double stopped = Metric(notify_http, "picket_notify_deliveries_stopped_total");
  const double withheld = Metric(notify_http, "picket_notify_attempts_withheld_total");
  CHECK(stopped == 1);
  std::cerr << "page after ack: the ack's reply was held while the bus was paused ("
            << Ms(resumed - stored) << " ms) and sent " << Ms(replied - resumed)
            << " ms after it resumed; boss's page was stopped (" << withheld
            << " of it by the check before sending)\n";
  CHECK(esc.process().Running());
  CHECK(notify.process().Running());
}

TEST_CASE(
    "page after ack (issue 9): when the bus stays away longer than reply_wait, picketctl "
    "says the ack is recorded but not yet on the bus",
    "[escalation][process][page_after_ack]") {
  WebhookReceiver receiver;  // not used: no notify here
  BusUnderTest bus(SiteToml(receiver), kIdentities);
  auto endpoints = bus.Start();
  ServiceUnderTest esc("picket-escalation", bus.config_path(),
                       bus.dir().path() + "/data/escalation");
  const std::string esc_http = esc.Start()["http"].get<std::string>();
  zmq::context_t ctx;
  StartShift(ctx, bus, endpoints, "ann");
  Report(ctx, bus, endpoints, "gate-1");
  REQUIRE(WaitUntil([&] { return Alerts(ctx, bus, endpoints).size() == 1; }, milliseconds(20000)));

  bus.process().Signal(SIGSTOP);
  const std::string out = bus.dir().path() + "/ack.out";
  const auto asked = Steady::now();
  auto ack = StartAck(bus, 1, out);
  auto status = ack->Wait(milliseconds(20000));
  const auto replied = Steady::now();
  bus.process().Signal(SIGCONT);
  REQUIRE(status);
  const std::string printed = ReadFile(out);
  INFO(printed);
  CHECK(ExitCode(*status) == 0);  // it is recorded: it will not be lost
  CHECK_THAT(printed, Catch::Contains("incident 1 acknowledged by ann"));
  CHECK_THAT(printed, Catch::Contains("recorded, but not yet on the bus"));
  CHECK(Ms(replied - asked) >= 2000);  // it waited reply_wait first
  CHECK(Metric(esc_http, "picket_service_replies_unpublished_total{service=\"escalation\"}") == 1);
  // Once the bus is back the ack reaches it.
  REQUIRE(WaitUntil(
      [&] {
        auto types = Types(ctx, bus, endpoints);
        return std::count(types.begin(), types.end(), "escalation.incident_acknowledged") == 1;
      },
      milliseconds(20000)));
}
