#include "picketctl/incident_request.h"

#include <catch2/catch.hpp>

#include "picket/schemas/escalation.capnp.h"
#include "runtime/clock.h"
#include "wire/codec.h"

namespace picket {
namespace {

const std::string kCommandId = "0123456789abcdef";  // 16 bytes

IncidentArgs Args(IncidentVerb verb, std::string incident = "12") {
  IncidentArgs a;
  a.verb = verb;
  a.incident = std::move(incident);
  a.actor = "ann";
  return a;
}

// Builds the request for `args` (which must be valid) and hands its reader to `check`.
template <typename Fn>
void WithRequest(const IncidentArgs& args, Fn check) {
  std::string error;
  auto frame = BuildIncidentRequest(args, kCommandId, &error);
  INFO(error);
  REQUIRE(frame.has_value());
  auto msg = DecodedMessage::Decode(*frame, &error);
  REQUIRE(msg);
  REQUIRE(ReadSafely<wire::EscalationRequest>(*msg, check, &error));
}

std::string CommandIdOf(wire::EscalationRequest::Reader r) {
  auto d = r.getCommandId();
  return std::string(reinterpret_cast<const char*>(d.begin()), d.size());
}

std::string BuildError(const IncidentArgs& args) {
  std::string error;
  CHECK_FALSE(BuildIncidentRequest(args, kCommandId, &error).has_value());
  return error;
}

}  // namespace

TEST_CASE("ack sends acknowledge with the actor and the command id", "[incident_request]") {
  WithRequest(Args(IncidentVerb::kAcknowledge), [](wire::EscalationRequest::Reader r) {
    CHECK(r.getActor() == "ann");
    REQUIRE(r.isAcknowledge());
    CHECK(r.getAcknowledge().getIncident() == 12);
    CHECK(CommandIdOf(r) == kCommandId);
  });
}

TEST_CASE("Each command verb fills its own member of the request", "[incident_request]") {
  using R = wire::EscalationRequest::Reader;
  WithRequest(Args(IncidentVerb::kUnacknowledge, "#7"),
              [](R r) { CHECK((r.isUnacknowledge() && r.getUnacknowledge().getIncident() == 7)); });
  WithRequest(Args(IncidentVerb::kCancel),
              [](R r) { CHECK((r.isCancel() && r.getCancel().getIncident() == 12)); });

  auto step = Args(IncidentVerb::kStepDone);
  step.step = "secure_gate";
  WithRequest(step, [](R r) {
    REQUIRE(r.isMarkStepDone());
    CHECK(r.getMarkStepDone().getIncident() == 12);
    CHECK(r.getMarkStepDone().getStep() == "secure_gate");
  });

  auto note = Args(IncidentVerb::kNote);
  note.text = "gate locked, police on the way";
  WithRequest(note, [](R r) {
    REQUIRE(r.isAddNote());
    CHECK(r.getAddNote().getText() == "gate locked, police on the way");
  });

  auto resolve = Args(IncidentVerb::kResolve);
  WithRequest(resolve, [](R r) {
    REQUIRE(r.isResolve());
    CHECK(r.getResolve().getOverrideReason() == "");
  });
  resolve.override_reason = "false alarm, checked on camera";
  WithRequest(resolve, [](R r) {
    CHECK(r.getResolve().getOverrideReason() == "false alarm, checked on camera");
  });

  auto reassign = Args(IncidentVerb::kReassign);
  reassign.to = "bob";
  reassign.reason = "ann off shift";
  WithRequest(reassign, [](R r) {
    REQUIRE(r.isReassign());
    CHECK(r.getReassign().getTo() == "bob");
    CHECK(r.getReassign().getReason() == "ann off shift");
  });

  auto silence = Args(IncidentVerb::kSilence);
  silence.duration = "15m";
  silence.reason = "drill";
  WithRequest(silence, [](R r) {
    REQUIRE(r.isSilence());
    CHECK(r.getSilence().getDuration() == 15 * 60 * kMicrosPerSecond);
    CHECK(r.getSilence().getReason() == "drill");
  });
}

TEST_CASE("Queries carry no command id and may go without an actor", "[incident_request]") {
  auto list = Args(IncidentVerb::kList, "");
  list.actor = "";
  WithRequest(list, [](wire::EscalationRequest::Reader r) {
    CHECK(r.isListOpen());
    CHECK(r.getCommandId().size() == 0);
  });
  WithRequest(Args(IncidentVerb::kShow, "3"), [](wire::EscalationRequest::Reader r) {
    REQUIRE(r.isGetIncident());
    CHECK(r.getGetIncident().getIncident() == 3);
    CHECK(r.getCommandId().size() == 0);
  });
}

TEST_CASE("What the CLI can tell is wrong is refused with the argument named",
          "[incident_request]") {
  using Catch::Contains;
  CHECK_THAT(BuildError(Args(IncidentVerb::kAcknowledge, "twelve")),
             Contains("'twelve' is not an incident id"));
  CHECK_THAT(BuildError(Args(IncidentVerb::kShow, "0")), Contains("'0' is not an incident id"));

  auto no_actor = Args(IncidentVerb::kAcknowledge);
  no_actor.actor = "";
  CHECK_THAT(BuildError(no_actor), Contains("--as"));

  auto silence = Args(IncidentVerb::kSilence);
  silence.duration = "15x";
  silence.reason = "drill";
  CHECK_THAT(BuildError(silence), Contains("--for: '15x' is not a duration"));
  silence.duration = "15m";
  silence.reason = "";
  CHECK_THAT(BuildError(silence), Contains("--reason must not be empty"));

  CHECK_THAT(BuildError(Args(IncidentVerb::kNote)), Contains("TEXT must not be empty"));
  CHECK_THAT(BuildError(Args(IncidentVerb::kStepDone)), Contains("STEP must not be empty"));
  CHECK_THAT(BuildError(Args(IncidentVerb::kReassign)), Contains("--to must not be empty"));
}

TEST_CASE("Incident ids are decimal from 1, optionally after #", "[incident_request]") {
  CHECK(ParseIncidentId("12") == 12u);
  CHECK(ParseIncidentId("#12") == 12u);
  CHECK(ParseIncidentId("18446744073709551615") == UINT64_MAX);
  CHECK_FALSE(ParseIncidentId("18446744073709551616"));
  CHECK_FALSE(ParseIncidentId("0"));
  CHECK_FALSE(ParseIncidentId(""));
  CHECK_FALSE(ParseIncidentId("#"));
  CHECK_FALSE(ParseIncidentId("-1"));
  CHECK_FALSE(ParseIncidentId("12a"));
  CHECK_FALSE(ParseIncidentId(" 12"));
}

TEST_CASE("The actor is --as, else $PICKET_ACTOR, never made up", "[incident_request]") {
  CHECK(ResolveActor("ann", "bob") == "ann");
  CHECK(ResolveActor("", "bob") == "bob");
  CHECK_FALSE(ResolveActor("", nullptr));
  CHECK_FALSE(ResolveActor("", ""));
}

}  // namespace picket

namespace picket {

TEST_CASE("incident list --from --to [--post] asks listIncidents for the range",
          "[incident_request]") {
  IncidentArgs a = Args(IncidentVerb::kList, "");
  a.actor.clear();  // a query needs no actor
  a.now = 1'764'000'000'000'000;
  a.opened_from = "2025-11-24T00:00:00Z";
  a.opened_to = "now";
  a.post = "gate-1";
  WithRequest(a, [&](wire::EscalationRequest::Reader r) {
    REQUIRE(r.isListIncidents());
    CHECK(r.getListIncidents().getFrom() == 1'763'942'400'000'000);
    CHECK(r.getListIncidents().getTo() == a.now);
    CHECK(std::string(r.getListIncidents().getPost().cStr()) == "gate-1");
    CHECK_FALSE(r.hasCommandId());
  });
  a.opened_to = "-1d";
  a.post.clear();
  WithRequest(a, [&](wire::EscalationRequest::Reader r) {
    REQUIRE(r.isListIncidents());
    CHECK(r.getListIncidents().getTo() == a.now - 86'400'000'000);
    CHECK(std::string(r.getListIncidents().getPost().cStr()).empty());
  });
  // Without a range: the open incidents, as before.
  WithRequest(Args(IncidentVerb::kList, ""),
              [](wire::EscalationRequest::Reader r) { CHECK(r.isListOpen()); });

  IncidentArgs half = a;
  half.opened_to.clear();
  CHECK(BuildError(half) == "--from and --to go together (the range of opening times to list)");
  IncidentArgs post_only = Args(IncidentVerb::kList, "");
  post_only.post = "gate-1";
  CHECK(BuildError(post_only).find("--from and --to go together") == 0);
  IncidentArgs bad = a;
  bad.opened_from = "yesterday";
  CHECK(BuildError(bad).rfind("--from: ", 0) == 0);
  bad = a;
  bad.opened_to = "2025-02-30T00:00:00Z";
  CHECK(BuildError(bad).rfind("--to: ", 0) == 0);
}

}  // namespace picket
