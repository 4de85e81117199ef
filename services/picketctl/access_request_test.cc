#include "picketctl/access_request.h"

#include <catch2/catch.hpp>

#include "picket/schemas/access.capnp.h"
#include "wire/codec.h"

namespace picket {
namespace {

using R = wire::AccessRequest::Reader;

const std::string kCommandId = "0123456789abcdef";  // 16 bytes
constexpr Micros kSecond = kMicrosPerSecond;
constexpr Micros kNow = 1795874400LL * kSecond;  // 2026-11-28T14:00:00Z

AccessArgs Args(AccessVerb verb, std::string id = "") {
  AccessArgs a;
  a.verb = verb;
  a.id = std::move(id);
  a.actor = "chief";
  return a;
}

// Builds the request for `args` (which must be valid) and hands its reader to `check`.
template <typename Fn>
void WithRequest(const AccessArgs& args, Fn check) {
  std::string error;
  auto frame = BuildAccessRequest(args, kCommandId, kNow, &error);
  INFO(error);
  REQUIRE(frame.has_value());
  auto msg = DecodedMessage::Decode(*frame, &error);
  REQUIRE(msg);
  REQUIRE(ReadSafely<wire::AccessRequest>(*msg, check, &error));
}

std::string CommandIdOf(R r) {
  auto d = r.getCommandId();
  return std::string(reinterpret_cast<const char*>(d.begin()), d.size());
}

std::string BuildError(const AccessArgs& args) {
  std::string error;
  CHECK_FALSE(BuildAccessRequest(args, kCommandId, kNow, &error).has_value());
  return error;
}

}  // namespace

TEST_CASE("Every access verb has its name and only the queries go without an actor",
          "[access_request]") {
  std::vector<std::string> names;
  for (AccessVerb v : kAllAccessVerbs) names.emplace_back(AccessVerbName(v));
  CHECK(names == std::vector<std::string>{"register-person", "preregister", "walk-up",
                                          "register-vehicle", "issue-pass", "revoke", "extend",
                                          "check-out", "watch-add", "watch-remove", "approve",
                                          "deny", "pass", "person", "visits", "on-site",
                                          "compliance", "watchlist", "pending"});
  CHECK_FALSE(IsAccessQuery(AccessVerb::kWatchRemove));
  CHECK_FALSE(IsAccessQuery(AccessVerb::kApprove));
  CHECK_FALSE(IsAccessQuery(AccessVerb::kDeny));
  CHECK(IsAccessQuery(AccessVerb::kPending));
  CHECK(IsAccessQuery(AccessVerb::kPass));
  CHECK(IsAccessQuery(AccessVerb::kWatchlist));
}

TEST_CASE("register-vehicle fills a VehicleInput, visitor kinds included", "[access_request]") {
  auto v = Args(AccessVerb::kRegisterVehicle, "B-AB 1234");
  v.name = "white Volvo tanker";
  v.kind = "visitor";
  v.host = "p1";
  v.driver = "d1";
  WithRequest(v, [](R r) {
    REQUIRE(r.isRegisterVehicle());
    auto x = r.getRegisterVehicle();
    CHECK(x.getPlate() == "B-AB 1234");
    CHECK(x.getDescription() == "white Volvo tanker");
    CHECK(x.getKind() == wire::PassKind::VISITOR);
    CHECK(x.getHost() == "p1");
    CHECK(x.getDriver() == "d1");
  });
  v.kind = "truck";
  std::string error;
  CHECK_FALSE(BuildAccessRequest(v, kCommandId, kNow, &error).has_value());
  CHECK_THAT(error, Catch::Contains("--kind: 'truck'"));
}

TEST_CASE("register-person, preregister and walk-up fill a PersonInput", "[access_request]") {
  auto reg = Args(AccessVerb::kRegisterPerson, "p1");
  reg.name = "Ann Smith";
  reg.aliases = {"Annie", "A. Smith"};
  reg.kind = "contractor";
  reg.company = "Acme, Inc.";
  WithRequest(reg, [](R r) {
    CHECK(r.getActor() == "chief");
    CHECK(CommandIdOf(r) == kCommandId);
    REQUIRE(r.isRegisterPerson());
    auto p = r.getRegisterPerson();
    CHECK(p.getPerson() == "p1");
    CHECK(p.getName() == "Ann Smith");
    REQUIRE(p.getAliases().size() == 2);
    CHECK(p.getAliases()[1] == "A. Smith");
    CHECK(p.getKind() == wire::PassKind::CONTRACTOR);
    CHECK(p.getCompany() == "Acme, Inc.");
  });
  reg.kind = "staff";
  WithRequest(reg, [](R r) { CHECK(r.getRegisterPerson().getKind() == wire::PassKind::STAFF); });

  auto pre = Args(AccessVerb::kPreRegister, "v1");
  pre.name = "Vic Visitor";
  pre.host = "p1";
  pre.expected = "2026-11-29T09:30:00Z";
  WithRequest(pre, [](R r) {
    REQUIRE(r.isPreRegisterVisitor());
    auto p = r.getPreRegisterVisitor();
    CHECK(p.getPerson() == "v1");
    CHECK(p.getHost() == "p1");
    CHECK(p.getExpectedAt() == kNow + (19 * 3600 + 1800) * kSecond);
    CHECK(p.getAliases().size() == 0);
  });

  auto walk = Args(AccessVerb::kWalkUp, "v2");
  walk.name = "Walt Walker";
  walk.host = "p1";
  walk.approved_by = "chief";
  WithRequest(walk, [](R r) {
    REQUIRE(r.isRegisterWalkUp());
    CHECK(r.getRegisterWalkUp().getApprovedBy() == "chief");
    CHECK(r.getRegisterWalkUp().getHost() == "p1");
  });
  walk.approved_by = "";
  walk.gate = "north";
  walk.post = "gate-1";
  WithRequest(walk, [](R r) {
    REQUIRE(r.isRegisterWalkUp());
    CHECK(r.getRegisterWalkUp().getApprovedBy() == "");
    CHECK(r.getRegisterWalkUp().getGate() == "north");
    CHECK(r.getRegisterWalkUp().getPost() == "gate-1");
  });
}

TEST_CASE("approve and deny name the pending walk-up and who decides", "[access_request]") {
  auto approve = Args(AccessVerb::kApprove, "w1");
  approve.by = "host-1";
  WithRequest(approve, [](R r) {
    REQUIRE(r.isApproveWalkUp());
    CHECK(r.getApproveWalkUp().getPerson() == "w1");
    CHECK(r.getApproveWalkUp().getBy() == "host-1");
    CHECK(r.getActor() == "chief");
    CHECK(CommandIdOf(r) == kCommandId);
  });
  auto deny = Args(AccessVerb::kDeny, "w1");
  deny.by = "chief";
  deny.reason = "no appointment";
  WithRequest(deny, [](R r) {
    REQUIRE(r.isDenyWalkUp());
    CHECK(r.getDenyWalkUp().getPerson() == "w1");
    CHECK(r.getDenyWalkUp().getBy() == "chief");
    CHECK(r.getDenyWalkUp().getReason() == "no appointment");
  });
  deny.reason = "";
  CHECK(BuildError(deny) == "--reason must not be empty");
  deny.reason = "r";
  deny.by = "";
  CHECK(BuildError(deny) == "--by must not be empty");
  approve.by = "";
  CHECK(BuildError(approve) == "--by must not be empty");
  approve.by = "chief";
  approve.id = "";
  CHECK(BuildError(approve) == "ID must not be empty");
  approve.id = "w1";
  approve.actor = "";
  CHECK(BuildError(approve) == "who is acting? give --as PERSON (or set $PICKET_ACTOR)");
}

TEST_CASE("issue-pass resolves relative times, gates and hours", "[access_request]") {
  auto issue = Args(AccessVerb::kIssuePass, "PASS-1");
  issue.person = "p1";
  issue.from = "now";
  issue.until = "+8h";
  issue.gates = {"north", "south"};
  issue.hours = "08:00-18:00";
  WithRequest(issue, [](R r) {
    REQUIRE(r.isIssuePass());
    auto p = r.getIssuePass();
    CHECK(p.getCode() == "PASS-1");
    CHECK(p.getPerson() == "p1");
    CHECK(p.getValidFrom() == kNow);
    CHECK(p.getValidUntil() == kNow + 8 * 3600 * kSecond);
    REQUIRE(p.getGates().size() == 2);
    CHECK(p.getGates()[0] == "north");
    CHECK(p.getHours() == "08:00-18:00");
    CHECK(CommandIdOf(r) == kCommandId);
  });
}

TEST_CASE("revoke, extend, check-out and the watchlist commands", "[access_request]") {
  auto revoke = Args(AccessVerb::kRevoke, "PASS-1");
  revoke.reason = "lost";
  WithRequest(revoke, [](R r) {
    REQUIRE(r.isRevokePass());
    CHECK(r.getRevokePass().getCode() == "PASS-1");
    CHECK(r.getRevokePass().getReason() == "lost");
  });
  auto extend = Args(AccessVerb::kExtend, "PASS-1");
  extend.until = "2026-11-30T00:00:00Z";
  WithRequest(extend, [](R r) {
    REQUIRE(r.isExtendPass());
    CHECK(r.getExtendPass().getValidUntil() == kNow + 34 * 3600 * kSecond);
  });
  auto out = Args(AccessVerb::kCheckOut, "p1");
  out.gate = "north";
  WithRequest(out, [](R r) {
    REQUIRE(r.isCheckOut());
    CHECK(r.getCheckOut().getPerson() == "p1");
    CHECK(r.getCheckOut().getGate() == "north");
  });
  auto add = Args(AccessVerb::kWatchAdd);
  add.name = "John Doe";
  add.reason = "seen stealing copper";
  add.action = "supervisor";
  WithRequest(add, [](R r) {
    REQUIRE(r.isAddWatchlistEntry());
    auto w = r.getAddWatchlistEntry();
    CHECK(w.getName() == "John Doe");
    CHECK(w.getPerson() == "");
    CHECK(w.getAction() == wire::WatchAction::SUPERVISOR);
  });
  add.name = "";
  add.person = "p9";
  add.action = "notify";
  WithRequest(add, [](R r) {
    CHECK(r.getAddWatchlistEntry().getPerson() == "p9");
    CHECK(r.getAddWatchlistEntry().getAction() == wire::WatchAction::NOTIFY);
  });
  auto remove = Args(AccessVerb::kWatchRemove, "#3");
  remove.reason = "cleared";
  WithRequest(remove, [](R r) {
    REQUIRE(r.isRemoveWatchlistEntry());
    CHECK(r.getRemoveWatchlistEntry().getEntry() == 3);
    CHECK(r.getRemoveWatchlistEntry().getReason() == "cleared");
  });
}

TEST_CASE("Queries need no actor and carry no command id", "[access_request]") {
  auto pass = Args(AccessVerb::kPass, "PASS-1");
  pass.actor = "";
  WithRequest(pass, [](R r) {
    CHECK((r.isGetPass() && r.getGetPass() == "PASS-1"));
    CHECK(r.getActor() == "");
    CHECK_FALSE(r.hasCommandId());
  });
  WithRequest(Args(AccessVerb::kPerson, "p1"),
              [](R r) { CHECK((r.isGetPerson() && r.getGetPerson() == "p1")); });
  auto visits = Args(AccessVerb::kVisits);
  visits.from = "-7d";
  visits.to = "now";
  WithRequest(visits, [](R r) {
    REQUIRE(r.isListVisits());
    CHECK(r.getListVisits().getFrom() == kNow - 7 * 86400 * kSecond);
    CHECK(r.getListVisits().getTo() == kNow);
    CHECK_FALSE(r.hasCommandId());
  });
  WithRequest(Args(AccessVerb::kOnSite), [](R r) { CHECK(r.isListOnSite()); });
  auto comp = Args(AccessVerb::kCompliance);
  comp.post = "gate-1";
  comp.from = "2026-11-01T00:00:00Z";
  comp.to = "+0d";
  WithRequest(comp, [](R r) {
    REQUIRE(r.isGetCompliance());
    CHECK(r.getGetCompliance().getPost() == "gate-1");
    CHECK(r.getGetCompliance().getTo() == kNow);
  });
  WithRequest(Args(AccessVerb::kWatchlist), [](R r) { CHECK(r.isListWatchlist()); });
  auto pending = Args(AccessVerb::kPending);
  pending.actor = "";
  WithRequest(pending, [](R r) {
    CHECK(r.isListPendingWalkUps());
    CHECK_FALSE(r.hasCommandId());
  });
}

TEST_CASE("Bad access arguments are refused with a sentence naming them", "[access_request]") {
  auto no_actor = Args(AccessVerb::kRevoke, "PASS-1");
  no_actor.reason = "lost";
  no_actor.actor = "";
  CHECK(BuildError(no_actor) == "who is acting? give --as PERSON (or set $PICKET_ACTOR)");

  auto reg = Args(AccessVerb::kRegisterPerson, "p1");
  reg.name = "Ann";
  reg.kind = "manager";
  CHECK(BuildError(reg) == "--kind: 'manager' is not staff or contractor");
  reg.kind = "visitor";
  CHECK(BuildError(reg) ==
        "--kind: 'visitor' is not staff or contractor (visitors come by preregister or walk-up)");
  reg.kind = "staff";
  reg.name = "";
  CHECK(BuildError(reg) == "--name must not be empty");

  auto pre = Args(AccessVerb::kPreRegister, "v1");
  pre.name = "Vic";
  pre.host = "p1";
  pre.expected = "tomorrow";
  CHECK_THAT(BuildError(pre), Catch::StartsWith("--expected: 'tomorrow' is not a time"));
  pre.host = "";
  CHECK(BuildError(pre) == "--host must not be empty");

  auto issue = Args(AccessVerb::kIssuePass, "PASS-1");
  issue.person = "p1";
  issue.from = "now";
  issue.until = "2026-11-31T00:00:00Z";
  CHECK_THAT(BuildError(issue), Catch::StartsWith("--until: '2026-11-31T00:00:00Z' is not a time"));
  issue.from = "";
  CHECK_THAT(BuildError(issue), Catch::StartsWith("--from: '' is not a time"));

  auto add = Args(AccessVerb::kWatchAdd);
  add.name = "John";
  add.reason = "r";
  add.action = "shoot";
  CHECK(BuildError(add) == "--action: 'shoot' is not deny, supervisor or notify");
  add.name = "";
  add.action = "deny";
  CHECK(BuildError(add) == "give --name NAME or --person ID (or both): whom the entry is about");

  auto remove = Args(AccessVerb::kWatchRemove, "three");
  remove.reason = "r";
  CHECK(BuildError(remove) == "'three' is not a watchlist entry (a number from 1)");
  remove.id = "0";
  CHECK(BuildError(remove) == "'0' is not a watchlist entry (a number from 1)");

  auto revoke = Args(AccessVerb::kRevoke, "PASS-1");
  CHECK(BuildError(revoke) == "--reason must not be empty");

  auto visits = Args(AccessVerb::kVisits);
  visits.from = "yesterday";
  visits.to = "now";
  CHECK_THAT(BuildError(visits), Catch::StartsWith("--from: 'yesterday' is not a time"));
}

}  // namespace picket
