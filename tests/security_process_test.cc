// A site with [security] as real processes: picket-bus and picket-scoring with CURVE keys
// (site.toml [security], docs/security.md). What a stranger, a plain client, a stolen
// terminal and an officer can and cannot do, and that each refusal is recorded on the bus.
#include <sys/stat.h>

#include <capnp/message.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <string>

#include "picket/schemas/bus.capnp.h"
#include "picket/schemas/escalation.capnp.h"
#include "picket/schemas/scoring.capnp.h"
#include "picket/schemas/terminal.capnp.h"
#include "support/bus_fixture.h"
#include "support/bus_probe.h"
#include "support/process.h"
#include "support/service_fixture.h"
#include "testing/site_keys_fixture.h"
#include "wire/codec.h"

using namespace picket;
using namespace picket::testing;
using std::chrono::milliseconds;

namespace {

const std::string kScoringToml = R"(
[scoring]
commands = "tcp://127.0.0.1:*"
http = ""
time_zone = "UTC0"
posts = ["gate-1", "gate-2"]
)";

// A bounded wait for something that must NOT come (a reply to a refused connection).
constexpr milliseconds kNoAnswerWait(1500);
constexpr milliseconds kAnswerWait(10000);

// The site's keys: its services, a terminal of post gate-1 (and gate "north"), an officer,
// a supervisor, an admin; and a stranger's key the site does not list.
struct SecureSite {
  TempDir key_dir;
  SiteKeysFixture keys{key_dir.path()};
  SecureSite() {
    keys.Add("bus", "service");
    keys.Add("scoring", "service");
    keys.Add("gate-1-terminal", "terminal", "gate-1", {"north"});
    keys.Add("otto", "officer");
    keys.Add("sam", "supervisor");
    keys.Add("admin", "admin");
    keys.AddUnlisted("stranger");
  }
  // How `name` connects to the process listed as `server`.
  CurveClientKeys As(const std::string& name, const std::string& server = "bus") const {
    return CurveClientKeys{keys.Get(name), keys.Get(server).public_key};
  }
};

EventSpec Event(const std::string& type, const std::string& producer,
                std::function<void(capnp::AnyPointer::Builder)> body) {
  EventSpec spec;
  spec.type = type;
  spec.producer = producer;
  spec.body = std::move(body);
  return spec;
}

EventSpec Panic(const std::string& producer, const std::string& post) {
  return Event("terminal.panic_pressed", producer, [post](capnp::AnyPointer::Builder b) {
    b.initAs<wire::PanicPressed>().setPost(post);
  });
}

EventSpec Scan(const std::string& producer, const std::string& post, const std::string& gate) {
  return Event("terminal.pass_scanned", producer, [post, gate](capnp::AnyPointer::Builder b) {
    auto s = b.initAs<wire::PassScanned>();
    s.setPost(post);
    s.setPassCode("V-1");
    s.setGate(gate);
  });
}

EventSpec ForgedAlert(const std::string& producer) {
  return Event("escalation.alert_raised", producer, [](capnp::AnyPointer::Builder b) {
    auto a = b.initAs<wire::AlertRaised>();
    a.setIncident(999);
    a.setVersion(1);
    a.setPerson("otto");
  });
}

EventSpec ForgedAck(const std::string& producer) {
  return Event("escalation.incident_acknowledged", producer, [](capnp::AnyPointer::Builder b) {
    b.initAs<wire::IncidentAcknowledged>().setIncident(1);
  });
}

// Publishes `spec` with `as`'s key and returns the bus's reply (REQUIREd to come).
Reply PublishAs(zmq::context_t& ctx, const std::string& ingest, const CurveClientKeys& as,
                const EventSpec& spec) {
  IngestProbe probe(ctx, ingest, as);
  auto reply = probe.Publish(spec, kAnswerWait);
  REQUIRE(reply);
  return *reply;
}

struct RefusalRecord {
  std::string identity, role, what, as_whom, reason;
};

// The refusals recorded in the log as `type` (bus.publish_refused, scoring.command_refused).
std::vector<RefusalRecord> Refusals(const std::vector<LoggedEvent>& log, const std::string& type) {
  std::vector<RefusalRecord> out;
  for (const auto& e : log) {
    if (e.type != type) continue;
    std::string error;
    auto msg = DecodedMessage::Decode(e.event, &error);
    REQUIRE(msg);
    auto body = msg->Root<wire::Event>().getBody().getAs<wire::Refused>();
    out.push_back({body.getIdentity().cStr(), body.getRole().cStr(), body.getWhat().cStr(),
                   body.getAsWhom().cStr(), body.getReason().cStr()});
  }
  return out;
}

std::vector<LoggedEvent> ReadLog(zmq::context_t& ctx, const BusEndpoints& bus,
                                 const SecureSite& site) {
  auto log = ReplayAll(ctx, bus.replay, 1, kAnswerWait, site.As("admin"));
  REQUIRE(log);
  return *log;
}

bool Logged(const std::vector<LoggedEvent>& log, const EventId& id) {
  for (const auto& e : log)
    if (e.id == id) return true;
  return false;
}

std::string VoidEntry(const std::string& actor) {
  capnp::MallocMessageBuilder b;
  auto r = b.initRoot<wire::ScoringRequest>();
  r.setActor(actor);
  auto v = r.initVoidEntry();
  v.setEntry(12345);
  v.setReason("a test");
  return Encode(b);
}

wire::ScoringError ScoringErrorOf(const std::string& frame, std::string* message) {
  std::string error;
  auto msg = DecodedMessage::Decode(frame, &error);
  REQUIRE(msg);
  auto r = msg->Root<wire::ScoringReply>();
  *message = r.getMessage().cStr();
  return r.getError();
}

}  // namespace

TEST_CASE("a CURVE bus answers only the keys its site lists", "[security][process]") {
  SecureSite site;
  BusUnderTest bus(site.keys.SecuritySection("admin"), {}, SiteSecurity::kAsWritten);
  const BusEndpoints ep = bus.Start();
  zmq::context_t ctx;

  SECTION("a listed key gets the status") {
    CHECK(QueryStatus(ctx, ep.ingest, kAnswerWait, site.As("otto")));
  }
  SECTION("a plain client gets nothing") {
    CHECK_FALSE(QueryStatus(ctx, ep.ingest, kNoAnswerWait));
    CHECK_FALSE(QueryStatus(ctx, ep.replay, kNoAnswerWait));
  }
  SECTION("an unlisted key can neither connect nor publish") {
    EventSpec panic = Panic("stranger", "gate-1");
    IngestProbe probe(ctx, ep.ingest, site.As("stranger"));
    CHECK_FALSE(probe.Publish(panic, kNoAnswerWait));
    CHECK_FALSE(QueryStatus(ctx, ep.replay, kNoAnswerWait, site.As("stranger")));
    CHECK_FALSE(Logged(ReadLog(ctx, ep, site), panic.id));
  }
  SECTION("a client that names the wrong server key gets nothing") {
    CHECK_FALSE(QueryStatus(ctx, ep.ingest, kNoAnswerWait, site.As("otto", "scoring")));
  }
}

TEST_CASE("a terminal's key publishes only its own post's observations, each refusal recorded",
          "[security][process]") {
  SecureSite site;
  BusUnderTest bus(site.keys.SecuritySection("admin"), {}, SiteSecurity::kAsWritten);
  const BusEndpoints ep = bus.Start();
  zmq::context_t ctx;
  const CurveClientKeys terminal = site.As("gate-1-terminal");

  EventSpec own = Panic("gate-1-terminal", "gate-1");
  EventSpec north = Scan("gate-1-terminal", "gate-1", "north");
  CHECK(PublishAs(ctx, ep.ingest, terminal, own).kind == Reply::kAck);
  CHECK(PublishAs(ctx, ep.ingest, terminal, north).kind == Reply::kAck);

  struct Case {
    EventSpec spec;
    std::string producer, reason_part;
  };
  const std::vector<Case> refused = {
      {ForgedAlert("gate-1-terminal"), "gate-1-terminal", "only 'escalation' publishes"},
      {ForgedAck("gate-1-terminal"), "gate-1-terminal", "only 'escalation' publishes"},
      {ForgedAlert("escalation"), "escalation", "may publish only as itself"},
      {Panic("gate-1-terminal", "gate-2"), "gate-1-terminal", "not for 'gate-2'"},
      {Scan("gate-1-terminal", "gate-1", "south"), "gate-1-terminal", "gate 'south'"},
      {Panic("gate-2-terminal", "gate-2"), "gate-2-terminal", "may publish only as itself"},
  };
  for (const auto& c : refused) {
    INFO(c.spec.type << " as " << c.producer);
    Reply r = PublishAs(ctx, ep.ingest, terminal, c.spec);
    CHECK(r.kind == Reply::kNack);
    CHECK(r.code == "unauthorized");
    CHECK_THAT(r.message, Catch::Contains(c.reason_part));
  }

  auto log = ReadLog(ctx, ep, site);
  CHECK(Logged(log, own.id));
  CHECK(Logged(log, north.id));
  for (const auto& c : refused) CHECK_FALSE(Logged(log, c.spec.id));
  auto records = Refusals(log, "bus.publish_refused");
  REQUIRE(records.size() == refused.size());
  for (size_t i = 0; i < refused.size(); ++i) {
    CHECK(records[i].identity == "gate-1-terminal");
    CHECK(records[i].role == "terminal");
    CHECK(records[i].what == refused[i].spec.type);
    CHECK(records[i].as_whom == refused[i].producer);
    CHECK_THAT(records[i].reason, Catch::Contains(refused[i].reason_part));
  }
  // SIGTERM: the bus and its ZAP handler stop cleanly (exit 0).
  bus.process().Signal(SIGTERM);
  RequireCleanExit(bus.process());
}

TEST_CASE("officers and admins publish only what their role allows", "[security][process]") {
  SecureSite site;
  BusUnderTest bus(site.keys.SecuritySection("admin"), {}, SiteSecurity::kAsWritten);
  const BusEndpoints ep = bus.Start();
  zmq::context_t ctx;

  // An admin may report for any post, as itself; an officer may not report at all.
  CHECK(PublishAs(ctx, ep.ingest, site.As("admin"), Panic("admin", "gate-2")).kind == Reply::kAck);
  Reply officer = PublishAs(ctx, ep.ingest, site.As("otto"), Panic("otto", "gate-1"));
  CHECK(officer.code == "unauthorized");
  CHECK_THAT(officer.message, Catch::Contains("shift changes"));
  // Not even an admin forges a service's verdict.
  CHECK(PublishAs(ctx, ep.ingest, site.As("admin"), ForgedAlert("admin")).code == "unauthorized");
  // A service publishes its own types only.
  CHECK(PublishAs(ctx, ep.ingest, site.As("scoring"), ForgedAlert("scoring")).code ==
        "unauthorized");
  auto records = Refusals(ReadLog(ctx, ep, site), "bus.publish_refused");
  REQUIRE(records.size() == 3);
  CHECK(records[0].identity == "otto");
  CHECK(records[0].role == "officer");
  CHECK(records[1].identity == "admin");
  CHECK(records[2].identity == "scoring");
}

TEST_CASE("an officer's key cannot void a score entry, a supervisor's can try",
          "[security][process]") {
  SecureSite site;
  BusUnderTest bus(kScoringToml + site.keys.SecuritySection("admin"), {}, SiteSecurity::kAsWritten);
  const BusEndpoints ep = bus.Start();
  ServiceUnderTest scoring("picket-scoring", bus.config_path(), bus.dir().path() + "/data/scoring");
  const std::string commands = scoring.Start()["commands"].get<std::string>();
  zmq::context_t ctx;

  std::string message;
  auto officer =
      CallEndpoint(ctx, commands, VoidEntry("otto"), kAnswerWait, site.As("otto", "scoring"));
  REQUIRE(officer);
  CHECK(ScoringErrorOf(*officer, &message) == wire::ScoringError::UNAUTHORIZED);
  CHECK_THAT(message, Catch::Contains("needs a supervisor"));

  // A supervisor passes the role check (and gets the core's answer: no such entry), but
  // only as itself.
  auto supervisor =
      CallEndpoint(ctx, commands, VoidEntry("sam"), kAnswerWait, site.As("sam", "scoring"));
  REQUIRE(supervisor);
  CHECK(ScoringErrorOf(*supervisor, &message) == wire::ScoringError::UNKNOWN_ENTRY);
  auto posing =
      CallEndpoint(ctx, commands, VoidEntry("kim"), kAnswerWait, site.As("sam", "scoring"));
  REQUIRE(posing);
  CHECK(ScoringErrorOf(*posing, &message) == wire::ScoringError::UNAUTHORIZED);
  CHECK_THAT(message, Catch::Contains("only as itself"));

  // A terminal's key sends no command; a plain client gets no answer at all.
  auto terminal = CallEndpoint(ctx, commands, VoidEntry("gate-1-terminal"), kAnswerWait,
                               site.As("gate-1-terminal", "scoring"));
  REQUIRE(terminal);
  CHECK(ScoringErrorOf(*terminal, &message) == wire::ScoringError::UNAUTHORIZED);
  CHECK_FALSE(CallEndpoint(ctx, commands, VoidEntry("sam"), kNoAnswerWait));

  // The three refusals reach the bus as scoring.command_refused, who tried what.
  std::vector<RefusalRecord> records;
  REQUIRE(WaitUntil(
      [&] {
        records = Refusals(ReadLog(ctx, ep, site), "scoring.command_refused");
        return records.size() >= 3;
      },
      kAnswerWait));
  REQUIRE(records.size() == 3);
  CHECK(records[0].identity == "otto");
  CHECK(records[0].what == "voidEntry");
  CHECK(records[0].as_whom == "otto");
  CHECK(records[1].identity == "sam");
  CHECK(records[1].as_whom == "kim");
  CHECK(records[2].identity == "gate-1-terminal");
  CHECK(records[2].role == "terminal");
  // SIGTERM: the service and its ZAP handler stop cleanly (exit 0), then the bus.
  scoring.process().Signal(SIGTERM);
  RequireCleanExit(scoring.process());
  bus.process().Signal(SIGTERM);
  RequireCleanExit(bus.process());
}

TEST_CASE("A process's check-config refuses a site whose key for it is missing, open or not listed",
          "[security][process]") {
  SecureSite site;
  TempDir dir;
  const std::string config = WriteSiteConfig(dir.path(), "test-site", false,
                                             kScoringToml + site.keys.SecuritySection("admin"));
  auto check = [&](const std::string& binary, std::vector<std::string> extra = {}) {
    std::vector<std::string> argv{BinaryPath(binary), "--config", config, "--check-config"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return RunCommand(argv, dir / "check.log");
  };
  REQUIRE(check("picket-bus").exit_code == 0);
  REQUIRE(check("picket-scoring").exit_code == 0);

  // Another identity's key given as the bus's.
  auto wrong = check("picket-bus", {"--key", site.keys.KeyFile("admin")});
  CHECK(wrong.exit_code == 2);
  CHECK_THAT(wrong.output, Catch::Contains("is not the one [security.identities] lists for 'bus'"));
  // A key file others may read.
  REQUIRE(::chmod(site.keys.KeyFile("scoring").c_str(), 0644) == 0);
  auto open = check("picket-scoring");
  CHECK(open.exit_code == 2);
  CHECK_THAT(open.output, Catch::Contains("readable by group or others"));
  // No key file at all.
  std::filesystem::remove(site.keys.KeyFile("bus"));
  auto missing = check("picket-bus");
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.output, Catch::Contains("bus.key"));
}
