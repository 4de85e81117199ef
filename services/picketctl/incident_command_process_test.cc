// `picketctl incident <verb>` as a real process against a fake picket-escalation (a ROUTER
// in a thread of this test): what is sent (fields, actor, command id and its reuse on a
// retry), what is printed, and the exit codes for an answer, a refusal, no answer, an
// unreadable answer and bad arguments.
#include <capnp/message.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "picketctl/incident_process_test_support.h"
#include "support/bus_probe.h"
#include "testing/site_keys_fixture.h"
#include "wire/codec.h"

namespace picket {
namespace {

using Catch::Contains;
using testing::FakeEscalation;
using testing::OkReply;
using testing::Picketctl;
using testing::TempDir;

FakeEscalation::Script AlwaysOk(uint64_t version) {
  return [version](size_t, wire::EscalationRequest::Reader) { return OkReply(12, version); };
}

std::vector<std::string> With(std::vector<std::string> args, const FakeEscalation& fake,
                              const std::string& timeout = "10s") {
  args.insert(args.end(), {"--commands", fake.endpoint(), "--timeout", timeout});
  return args;
}

std::string ListReply() {
  capnp::MallocMessageBuilder b;
  auto list = b.initRoot<wire::EscalationReply>().initIncidents(1);
  list[0].setIncident(12);
  list[0].setIncidentType("intrusion");
  list[0].setSeverity(wire::Severity::HIGH);
  list[0].setState(wire::IncidentState::OPEN);
  list[0].setPost("gate-1");
  list[0].setCount(2);
  list[0].setLevel(2);
  return Encode(b);
}

}  // namespace

TEST_CASE("incident ack sends the actor, the id and a command id, and prints one line",
          "[picketctl][incident][process]") {
  FakeEscalation fake(AlwaysOk(7));
  TempDir dir;
  auto r = Picketctl(dir, With({"incident", "ack", "12", "--as", "ann"}, fake));
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "incident 12 acknowledged by ann (version 7)\n");
  auto seen = fake.Seen();
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].actor == "ann");
  CHECK_THAT(seen[0].text, Contains("acknowledge = (incident = 12)"));
  CHECK(seen[0].command_id.size() == 16);
}

TEST_CASE("Every command verb reaches the service with its fields",
          "[picketctl][incident][process]") {
  FakeEscalation fake(AlwaysOk(3));
  TempDir dir;
  struct Case {
    std::vector<std::string> args;
    std::string sent, printed;
  };
  std::vector<Case> cases = {
      {{"unack", "12"}, "unacknowledge = (incident = 12)", "incident 12 unacknowledged by ann"},
      {{"step", "12", "secure_gate"},
       "markStepDone = (incident = 12, step = \"secure_gate\")",
       "incident 12: step secure_gate done by ann"},
      {{"note", "12", "gate locked"},
       "addNote = (incident = 12, text = \"gate locked\")",
       "incident 12: note added by ann"},
      {{"resolve", "12", "--override", "false alarm"},
       "resolve = (incident = 12, overrideReason = \"false alarm\")",
       "incident 12 resolved by ann with override: false alarm"},
      {{"reassign", "12", "--to", "bob", "--reason", "shift change"},
       "reassign = (incident = 12, to = \"bob\", reason = \"shift change\")",
       "incident 12 reassigned to bob by ann"},
      {{"silence", "12", "--for", "15m", "--reason", "drill"},
       "silence = (incident = 12, duration = 900000000, reason = \"drill\")",
       "incident 12 silenced for 15m by ann: drill"},
      {{"cancel", "#12"}, "cancel = (incident = 12)", "incident 12 cancelled by ann"},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    auto args = cases[i].args;
    args.insert(args.begin(), "incident");
    args.insert(args.end(), {"--as", "ann"});
    auto r = Picketctl(dir, With(args, fake));
    INFO(args[1] << ": " << r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out == cases[i].printed + " (version 3)\n");
    auto seen = fake.Seen();
    REQUIRE(seen.size() == i + 1);
    CHECK_THAT(seen[i].text, Contains(cases[i].sent));
  }
  // Each invocation is a new command: a new id.
  auto seen = fake.Seen();
  for (size_t i = 1; i < seen.size(); ++i) CHECK(seen[i].command_id != seen[0].command_id);
}

TEST_CASE("A retry after no answer reuses the command id", "[picketctl][incident][process]") {
  // The first attempt is never answered; the second is.
  FakeEscalation fake([](size_t index, wire::EscalationRequest::Reader) {
    return index == 0 ? std::nullopt : std::optional<std::string>(OkReply(12, 8));
  });
  TempDir dir;
  auto r = Picketctl(dir, With({"incident", "ack", "12", "--as", "ann"}, fake, "9s"));
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "incident 12 acknowledged by ann (version 8)\n");
  auto seen = fake.Seen();
  REQUIRE(seen.size() == 2);
  CHECK(seen[0].command_id.size() == 16);
  CHECK(seen[1].command_id == seen[0].command_id);
  CHECK(seen[1].text == seen[0].text);
}

TEST_CASE("No answer from picket-escalation: exit 3 after the retries",
          "[picketctl][incident][process]") {
  FakeEscalation fake([](size_t, wire::EscalationRequest::Reader) { return std::nullopt; });
  TempDir dir;
  auto r = Picketctl(dir, With({"incident", "ack", "12", "--as", "ann"}, fake, "1500ms"));
  CHECK(r.exit_code == 3);
  CHECK(r.out.empty());
  CHECK_THAT(r.err, Contains("no answer from picket-escalation at " + fake.endpoint()));
  auto seen = fake.Seen();
  REQUIRE_FALSE(seen.empty());
  for (const auto& s : seen) CHECK(s.command_id == seen[0].command_id);
}

std::string UnavailableReply() {
  capnp::MallocMessageBuilder b;
  auto reply = b.initRoot<wire::EscalationReply>();
  reply.setError(wire::EscalationError::UNAVAILABLE);
  reply.setMessage("cannot store the command now");
  return Encode(b);
}

TEST_CASE("unavailable is retried with the same command id, and only unavailable is exit 3",
          "[picketctl][incident][process]") {
  FakeEscalation once([](size_t index, wire::EscalationRequest::Reader) {
    return std::optional<std::string>(index == 0 ? UnavailableReply() : OkReply(12, 4));
  });
  TempDir dir;
  auto r = Picketctl(dir, With({"incident", "note", "12", "checked", "--as", "ann"}, once, "6s"));
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "incident 12: note added by ann (version 4)\n");
  auto seen = once.Seen();
  REQUIRE(seen.size() == 2);
  CHECK(seen[1].command_id == seen[0].command_id);

  FakeEscalation always(
      [](size_t, wire::EscalationRequest::Reader) { return std::optional(UnavailableReply()); });
  r = Picketctl(dir, With({"incident", "note", "12", "checked", "--as", "ann"}, always, "900ms"));
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err, Contains("unavailable: cannot store the command now"));
  CHECK_THAT(r.err, Contains("nothing was applied"));
  auto repeated = always.Seen();
  REQUIRE_FALSE(repeated.empty());
  for (const auto& s : repeated) CHECK(s.command_id == repeated[0].command_id);
}

TEST_CASE("A refusal: exit 1 with the error name, the message and the missing steps",
          "[picketctl][incident][process]") {
  FakeEscalation fake([](size_t, wire::EscalationRequest::Reader) {
    capnp::MallocMessageBuilder b;
    auto reply = b.initRoot<wire::EscalationReply>();
    reply.setError(wire::EscalationError::MANDATORY_STEPS);
    reply.setMessage("2 mandatory steps are not done");
    reply.setIncident(12);
    auto missing = reply.initMissingSteps(2);
    missing.set(0, "secure_gate");
    missing.set(1, "call_police");
    return std::optional<std::string>(Encode(b));
  });
  TempDir dir;
  auto r = Picketctl(dir, With({"incident", "resolve", "12", "--as", "ann"}, fake));
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  CHECK(r.err ==
        "picketctl incident resolve: mandatorySteps: 2 mandatory steps are not done\n"
        "missing steps: secure_gate, call_police\n");
}

TEST_CASE("An unreadable answer is exit 3, bad arguments exit 2 without a request",
          "[picketctl][incident][process]") {
  FakeEscalation garbage(
      [](size_t, wire::EscalationRequest::Reader) { return std::optional<std::string>("junk"); });
  TempDir dir;
  auto r = Picketctl(dir, With({"incident", "ack", "12", "--as", "ann"}, garbage));
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err, Contains("unreadable reply"));

  FakeEscalation fake(AlwaysOk(1));
  for (std::vector<std::string> bad :
       {std::vector<std::string>{"ack", "twelve", "--as", "a"},
        {"ack", "12"},  // no actor at all
        {"silence", "12", "--for", "15x", "--reason", "r", "--as", "a"},
        {"silence", "12", "--for", "15m", "--as", "a"},
        {"reassign", "12", "--as", "a"},
        {"note", "12", "--as", "a"}}) {
    bad.insert(bad.begin(), "incident");
    auto result = Picketctl(dir, With(bad, fake));
    INFO(bad[1] << " " << bad[2] << ": " << result.err);
    CHECK(result.exit_code == 2);
  }
  CHECK(fake.Seen().empty());
  CHECK(Picketctl(dir, {"incident", "list"}).exit_code == 2);  // no endpoint
}

TEST_CASE("The actor is --as or $PICKET_ACTOR, never $USER", "[picketctl][incident][process]") {
  FakeEscalation fake(AlwaysOk(2));
  TempDir dir;
  auto args = With({"incident", "ack", "12"}, fake);
  CHECK(Picketctl(dir, args, testing::Env({"PICKET_ACTOR=carl", "USER=root"})).exit_code == 0);
  auto refused = Picketctl(dir, args, testing::Env({"USER=dora"}));  // a login name is not a person
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find("--as") != std::string::npos);
  args.insert(args.end(), {"--as", "ann"});
  CHECK(Picketctl(dir, args, testing::Env({"PICKET_ACTOR=carl"})).exit_code == 0);
  auto seen = fake.Seen();
  REQUIRE(seen.size() == 2);  // the refused one never reached the service
  CHECK(seen[0].actor == "carl");
  CHECK(seen[1].actor == "ann");
}

TEST_CASE("list and show print the service's answer, and the endpoint may come from site.toml",
          "[picketctl][incident][process]") {
  // A site with keys: the fake is a CURVE server with escalation's key pair, and picketctl
  // connects with the site's picketctl_key to the key site.toml lists for escalation.
  TempDir dir;
  testing::SiteKeysFixture keys(dir.path());
  keys.Add("bus", "service");
  keys.Add("admin", "admin");
  const CurveKeyPair& escalation = keys.Add("escalation", "service");
  FakeEscalation fake(
      [](size_t, wire::EscalationRequest::Reader r) {
        return std::optional<std::string>(r.isListOpen() ? ListReply() : OkReply(12, 1));
      },
      &escalation);
  std::string config = testing::WriteSiteConfig(dir.path(), "test-site", false);
  testing::WriteFile(config, testing::ReadFile(config) + "\n[escalation]\ncommands = \"" +
                                 fake.endpoint() + "\"\n" + keys.SecuritySection("admin"));
  auto table = Picketctl(dir, {"incident", "list", "--config", config});
  INFO(table.err);
  CHECK(table.exit_code == 0);
  CHECK_THAT(table.out, Catch::StartsWith("ID  TYPE"));
  CHECK_THAT(table.out, Contains("12  intrusion  high      open   gate-1  2"));
  auto json = Picketctl(dir, {"incident", "list", "--json", "--config", config});
  CHECK(nlohmann::json::parse(json.out)["incidents"][0]["incident"] == 12);
  auto seen = fake.Seen();
  REQUIRE(seen.size() == 2);
  // A query: no command id; the actor is the admin's key's own name (a person's key acts as
  // itself), though a query needs none.
  CHECK(seen[0].text == "(actor = \"admin\", listOpen = void)");

  // A show answered without a detail is not a usable answer.
  auto show = Picketctl(dir, {"incident", "show", "12", "--config", config});
  CHECK(show.exit_code == 3);
  CHECK_THAT(show.err, Contains("without the incident's detail"));
}

}  // namespace picket

namespace picket {

TEST_CASE("incident list --from --to --post asks for the incidents opened in the range",
          "[picketctl][incident][process]") {
  FakeEscalation fake([](size_t, wire::EscalationRequest::Reader r) {
    if (!r.isListIncidents()) return std::optional<std::string>(OkReply(12, 1));
    if (r.getListIncidents().getPost() == "hq") {  // nothing there; and the cap was reached
      capnp::MallocMessageBuilder b;
      b.initRoot<wire::EscalationReply>().setTruncated(true);
      return std::optional<std::string>(Encode(b));
    }
    return std::optional<std::string>(ListReply());
  });
  TempDir dir;
  auto table = Picketctl(dir, With({"incident", "list", "--from", "2025-11-24T00:00:00Z", "--to",
                                    "2025-11-25T00:00:00Z", "--post", "gate-1"},
                                   fake));
  INFO(table.err);
  CHECK(table.exit_code == 0);
  CHECK_THAT(table.out, Contains("12  intrusion  high      open   gate-1  2"));
  auto seen = fake.Seen();
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].text ==
        "(listIncidents = (from = 1763942400000000, to = 1764028800000000, post = \"gate-1\"))");

  auto none = Picketctl(
      dir, With({"incident", "list", "--from", "-1d", "--to", "now", "--post", "hq"}, fake));
  CHECK(none.exit_code == 0);
  CHECK(none.out == "no incidents were first opened in that range\n");
  CHECK_THAT(none.err, Contains("more incidents were opened in the range than listed"));

  // Half a range is a usage error, and nothing is sent.
  auto half = Picketctl(dir, With({"incident", "list", "--from", "-1d"}, fake));
  CHECK(half.exit_code == 2);
  CHECK_THAT(half.err, Contains("--from and --to go together"));
  CHECK(fake.Seen().size() == 2);
}

}  // namespace picket
