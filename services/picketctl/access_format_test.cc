#include "picketctl/access_format.h"

#include <capnp/message.h>

#include <catch2/catch.hpp>

#include "picketctl/access_json.h"
#include "picketctl/access_lists.h"

namespace picket {
namespace {

constexpr Micros kSecond = kMicrosPerSecond;
constexpr Micros kNow = 1795874400LL * kSecond;  // 2026-11-28T14:00:00Z
constexpr Micros kHour = 3600 * kSecond;

struct Exchange {
  capnp::MallocMessageBuilder request_message, reply_message;
  wire::AccessRequest::Builder request = request_message.initRoot<wire::AccessRequest>();
  wire::AccessReply::Builder reply = reply_message.initRoot<wire::AccessReply>();
  std::string Result() { return FormatAccessResult(request.asReader(), reply.asReader()); }
  std::string Query(bool csv = false) {
    return FormatAccessQuery(request.asReader(), reply.asReader(), kNow, csv);
  }
};

void FillVisit(wire::VisitInfo::Builder v, const std::string& person, const std::string& pass) {
  v.setVisit(7);
  v.setPerson(person);
  v.setPassCode(pass);
  v.setManual(pass.empty());
  v.setKind(pass.empty() ? wire::PassKind::UNKNOWN : wire::PassKind::STAFF);
  v.setGate("north");
  v.setPost("gate-1");
  v.setGuardIn("guard-7");
  v.setCheckedInAt(kNow - 6 * kHour);
}

}  // namespace

TEST_CASE("Each access command prints one line", "[access_format]") {
  Exchange x;
  auto reg = x.request.initRegisterPerson();
  reg.setPerson("p1");
  reg.setName("Ann Smith");
  reg.setKind(wire::PassKind::STAFF);
  CHECK(x.Result() == "person p1 registered: Ann Smith (staff)");

  auto pre = x.request.initPreRegisterVisitor();
  pre.setPerson("v1");
  pre.setName("Vic Visitor");
  pre.setHost("p1");
  pre.setExpectedAt(kNow);
  CHECK(x.Result() ==
        "visitor v1 pre-registered: Vic Visitor, host p1, expected 2026-11-28T14:00:00Z");

  auto walk = x.request.initRegisterWalkUp();
  walk.setPerson("v2");
  walk.setName("Walt");
  walk.setHost("p1");
  CHECK(x.Result() == "walk-up visitor v2 registered: Walt, host p1");
  walk.setApprovedBy("chief");
  CHECK(x.Result() == "walk-up visitor v2 registered: Walt, host p1, approved by chief");
  walk.setApprovedBy("");
  x.reply.setPending(true);
  CHECK(x.Result() ==
        "walk-up visitor v2 waiting for approval: Walt, host p1 (picketctl access approve v2 --by "
        "HOST-OR-OFFICER)");
  x.reply.setPending(false);

  auto approve = x.request.initApproveWalkUp();
  approve.setPerson("v2");
  approve.setBy("p1");
  CHECK(x.Result() == "walk-up visitor v2 approved by p1: registered");
  auto deny = x.request.initDenyWalkUp();
  deny.setPerson("v2");
  deny.setBy("chief");
  deny.setReason("no appointment");
  CHECK(x.Result() == "walk-up visitor v2 denied by chief: no appointment");

  auto issue = x.request.initIssuePass();
  issue.setCode("PASS-1");
  issue.setPerson("p1");
  issue.setValidFrom(kNow - 6 * kHour);
  issue.setValidUntil(kNow + 18 * kHour);
  CHECK(x.Result() ==
        "pass PASS-1 issued to p1, valid 2026-11-28T08:00:00Z .. 2026-11-29T08:00:00Z");

  auto revoke = x.request.initRevokePass();
  revoke.setCode("PASS-1");
  revoke.setReason("lost");
  CHECK(x.Result() == "pass PASS-1 revoked: lost");

  auto extend = x.request.initExtendPass();
  extend.setCode("PASS-1");
  extend.setValidUntil(kNow + 10 * kHour);
  CHECK(x.Result() == "pass PASS-1 extended, valid until 2026-11-29T00:00:00Z");

  auto out = x.request.initCheckOut();
  out.setPerson("p1");
  CHECK(x.Result() == "p1 checked out");
  out.setGate("north");
  CHECK(x.Result() == "p1 checked out at north");

  auto add = x.request.initAddWatchlistEntry();
  add.setName("John Doe");
  add.setReason("seen stealing copper");
  add.setAction(wire::WatchAction::DENY);
  x.reply.setEntry(3);
  CHECK(x.Result() == "watchlist entry 3 added: deny name \"John Doe\": seen stealing copper");
  add.setPerson("p9");
  add.setAction(wire::WatchAction::NOTIFY);
  CHECK(x.Result() ==
        "watchlist entry 3 added: notify name \"John Doe\", person p9: seen stealing copper");

  auto remove = x.request.initRemoveWatchlistEntry();
  remove.setEntry(3);
  remove.setReason("cleared");
  CHECK(x.Result() == "watchlist entry 3 removed: cleared");
}

TEST_CASE("A refusal names the error by its schema name", "[access_format]") {
  Exchange x;
  x.reply.setError(wire::AccessError::ALREADY_REVOKED);
  x.reply.setMessage("pass PASS-1 is already revoked");
  CHECK(FormatAccessRefusal(x.reply.asReader()) ==
        "alreadyRevoked: pass PASS-1 is already revoked\n");
  x.reply.setError(static_cast<wire::AccessError>(99));
  x.reply.setMessage("");
  CHECK(FormatAccessRefusal(x.reply.asReader()) == "unknown(99): (no message)\n");
}

TEST_CASE("The roll call is a table, and RFC 4180 CSV with --csv", "[access_format]") {
  Exchange x;
  x.request.setListOnSite();
  x.reply.initOnSite(0);
  CHECK(x.Query() == "nobody is on site\n");
  CHECK(x.Query(true) == "name,person,gate,post,since,pass,kind\r\n");

  auto list = x.reply.initOnSite(3);
  FillVisit(list[0].initVisit(), "p1", "PASS-1");
  list[0].setName("Ann Smith");
  FillVisit(list[1].initVisit(), "Bob \"the builder\"", "");
  list[1].setName("Bob \"the builder\"");
  FillVisit(list[2].initVisit(), "p3", "P-3");
  list[2].setName("Smith, Carol");
  list[2].getVisit().setKind(wire::PassKind::VISITOR);
  list[2].getVisit().setCheckedInAt(kNow + 250000);

  CHECK(
      x.Query() ==
      "NAME               PERSON             GATE   POST    SINCE                     PASS    "
      "KIND\n"
      "Ann Smith          p1                 north  gate-1  2026-11-28T08:00:00Z      PASS-1  "
      "staff\n"
      "Bob \"the builder\"  Bob \"the builder\"  north  gate-1  2026-11-28T08:00:00Z      manual  "
      "unknown\n"
      "Smith, Carol       p3                 north  gate-1  2026-11-28T14:00:00.250Z  P-3     "
      "visitor\n");
  CHECK(x.Query(true) ==
        "name,person,gate,post,since,pass,kind\r\n"
        "Ann Smith,p1,north,gate-1,2026-11-28T08:00:00Z,PASS-1,staff\r\n"
        "\"Bob \"\"the builder\"\"\",\"Bob \"\"the builder\"\"\",north,gate-1,"
        "2026-11-28T08:00:00Z,manual,unknown\r\n"
        "\"Smith, Carol\",p3,north,gate-1,2026-11-28T14:00:00.250Z,P-3,visitor\r\n");
}

TEST_CASE("CSV fields are quoted only when they must be", "[access_format]") {
  CHECK(CsvField("plain") == "plain");
  CHECK(CsvField("") == "");
  CHECK(CsvField("a,b") == "\"a,b\"");
  CHECK(CsvField("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(CsvField("two\nlines") == "\"two\nlines\"");
  CHECK(CsvField("cr\r") == "\"cr\r\"");
  CHECK(CsvField("it's; fine") == "it's; fine");
}

TEST_CASE("A pass and a person are shown in full", "[access_format]") {
  Exchange x;
  x.request.setGetPass("PASS-1");
  auto p = x.reply.initPass();
  p.setCode("PASS-1");
  p.setPerson("p1");
  p.setKind(wire::PassKind::STAFF);
  p.setValidFrom(kNow - 6 * kHour);
  p.setValidUntil(kNow + 18 * kHour);
  p.setIssuedBy("chief");
  p.setIssuedAt(kNow - 7 * kHour);
  CHECK(x.Query() ==
        "pass PASS-1: p1 (staff), valid 2026-11-28T08:00:00Z .. 2026-11-29T08:00:00Z, valid now\n"
        "  gates       the kind's default\n"
        "  hours       the kind's default\n"
        "  host        -\n"
        "  issued      2026-11-28T07:00:00Z by chief\n"
        "  extensions  0\n");
  auto gates = p.initGates(2);
  gates.set(0, "north");
  gates.set(1, "south");
  p.setHours("08:00-18:00");
  p.setRevoked(true);
  p.setRevokedBy("chief");
  p.setRevokedAt(kNow);
  p.setRevokedReason("lost");
  std::string page = x.Query();
  CHECK_THAT(page, Catch::StartsWith("pass PASS-1: p1 (staff), valid 2026-11-28T08:00:00Z .. "
                                     "2026-11-29T08:00:00Z, revoked\n"));
  CHECK_THAT(page, Catch::Contains("  gates       north, south\n"));
  CHECK_THAT(page, Catch::Contains("  hours       08:00-18:00\n"));
  CHECK_THAT(page, Catch::Contains("  revoked     2026-11-28T14:00:00Z by chief: lost\n"));
  p.setRevoked(false);
  CHECK(PassStatus(p.asReader(), kNow + 18 * kHour) == "expired");
  CHECK(PassStatus(p.asReader(), kNow - 7 * kHour) == "not yet valid");

  x.request.setGetPerson("p1");
  auto person = x.reply.initPerson();
  person.setPerson("p1");
  person.setName("Ann Smith");
  person.setKind(wire::PassKind::STAFF);
  person.setRegisteredBy("chief");
  person.setRegisteredAt(kNow - 24 * kHour);
  person.initAliases(1).set(0, "Annie");
  person.initPasses(1).setWithCaveats(0, p.asReader());
  CHECK(x.Query() ==
        "person p1: Ann Smith (staff)\n"
        "  aliases     Annie\n"
        "  company     -\n"
        "  host        -\n"
        "  registered  2026-11-27T14:00:00Z by chief\n"
        "  on site     no\n"
        "passes:\n"
        "  PASS-1  2026-11-28T08:00:00Z .. 2026-11-29T08:00:00Z  valid now\n");
  FillVisit(person.initOnSite(), "p1", "PASS-1");
  CHECK_THAT(x.Query(), Catch::Contains("  on site     since 2026-11-28T08:00:00Z at north "
                                        "(gate-1), pass PASS-1\n"));
}

TEST_CASE("Visits, compliance and the watchlist", "[access_format]") {
  Exchange x;
  x.request.initListVisits();
  x.reply.initVisits(0);
  CHECK(x.Query() == "no visits in that period\n");
  auto visits = x.reply.initVisits(2);
  FillVisit(visits[0], "p1", "PASS-1");
  FillVisit(visits[1], "v1", "V-1");
  visits[1].setKind(wire::PassKind::VISITOR);
  visits[1].setArrivedAt(kNow - 7 * kHour);
  visits[1].setWaited(192 * kSecond);
  visits[1].setCheckedOutAt(kNow);
  CHECK(x.Query() ==
        "VISIT  PERSON  KIND     PASS    GATE   POST    GUARD    IN                    OUT        "
        "           WAITED\n"
        "7      p1      staff    PASS-1  north  gate-1  guard-7  2026-11-28T08:00:00Z  on site    "
        "           -\n"
        "7      v1      visitor  V-1     north  gate-1  guard-7  2026-11-28T08:00:00Z  "
        "2026-11-28T14:00:00Z  3m12s\n");

  auto comp = x.request.initGetCompliance();
  comp.setFrom(kNow - 24 * kHour);
  comp.setTo(kNow);
  auto c = x.reply.initCompliance();
  c.setEntries(20);
  c.setWithPass(19);
  c.setUnregistered(1);
  c.setVisitors(5);
  c.setPreregistered(3);
  c.setAnnounced(4);
  c.setRegisteredPermille(950);
  c.setMeanWait(130 * kSecond);
  c.setMaxWait(300 * kSecond);
  CHECK(x.Query() ==
        "compliance of every post, 2026-11-27T14:00:00Z .. 2026-11-28T14:00:00Z: 95.0% "
        "registered\n"
        "  entries       20: 19 with a pass, 1 unregistered\n"
        "  visitors      5: 3 pre-registered, 4 announced at the gate\n"
        "  wait at gate  mean 2m10s, max 5m00s\n");
  comp.setPost("gate-1");
  CHECK_THAT(x.Query(), Catch::StartsWith("compliance of gate-1, "));

  x.request.setListWatchlist();
  CHECK(x.Query() == "the watchlist is empty\n");
  auto w = x.reply.initWatchlist(1);
  w[0].setEntry(3);
  w[0].setName("John Doe");
  w[0].setReason("seen stealing copper");
  w[0].setAction(wire::WatchAction::SUPERVISOR);
  w[0].setAddedBy("chief");
  w[0].setAddedAt(kNow);
  CHECK(x.Query() ==
        "ENTRY  ACTION      NAME      PERSON  REASON                ADDED BY  ADDED\n"
        "3      supervisor  John Doe  -       seen stealing copper  chief     "
        "2026-11-28T14:00:00Z\n");
}

TEST_CASE("access --json prints every field of the reply by its schema name", "[access_format]") {
  Exchange x;
  x.reply.setEntry(18446744073709551615ULL);
  auto on_site = x.reply.initOnSite(1);
  FillVisit(on_site[0].initVisit(), "p1", "PASS-1");
  on_site[0].setName("Ann");
  auto j = AccessReplyToJson(x.reply.asReader());
  CHECK(j["error"] == "none");
  CHECK(j["message"] == "");
  CHECK(j["entry"].get<uint64_t>() == 18446744073709551615ULL);
  CHECK(j["pass"].is_null());
  CHECK(j["visits"] == nlohmann::ordered_json::array());
  CHECK(j["unpublished"] == false);
  REQUIRE(j["onSite"].size() == 1);
  CHECK(j["onSite"][0]["name"] == "Ann");
  CHECK(j["onSite"][0]["visit"]["checkedInAt"].get<int64_t>() == kNow - 6 * kHour);
  CHECK(j["onSite"][0]["visit"]["kind"] == "staff");
  std::vector<std::string> keys;
  for (const auto& [key, value] : j.items()) keys.push_back(key);
  CHECK(keys == std::vector<std::string>{"error", "message", "entry", "pass", "person", "visits",
                                         "onSite", "compliance", "watchlist", "unpublished",
                                         "pending", "pendingWalkUps"});
}

TEST_CASE("The walk-ups waiting for approval are a table, oldest first", "[access_format]") {
  Exchange x;
  x.request.setListPendingWalkUps();
  CHECK(x.Query() == "no walk-ups are waiting for approval\n");
  auto list = x.reply.initPendingWalkUps(2);
  list[0].setPerson("w1");
  list[0].setName("Walt Walker");
  list[0].setCompany("Acme");
  list[0].setHost("p1");
  list[0].setGate("north");
  list[0].setPost("gate-1");
  list[0].setRequestedBy("guard-7");
  list[0].setRequestedAt(kNow - 12 * 60 * kSecond);
  list[1].setPerson("w2");
  list[1].setName("Wanda");
  list[1].setHost("p1");
  list[1].setRequestedAt(kNow - 90 * kSecond);
  CHECK(
      x.Query() ==
      "SINCE                 WAITING  PERSON  NAME         COMPANY  HOST  GATE   POST    GUARD\n"
      "2026-11-28T13:48:00Z  12m00s   w1      Walt Walker  Acme     p1    north  gate-1  guard-7\n"
      "2026-11-28T13:58:30Z  1m30s    w2      Wanda        -        p1    -      -       -\n");
  auto j = AccessReplyToJson(x.reply.asReader());
  REQUIRE(j["pendingWalkUps"].size() == 2);
  CHECK(j["pendingWalkUps"][0]["person"] == "w1");
  CHECK(j["pendingWalkUps"][0]["requestedAt"].get<int64_t>() == kNow - 12 * 60 * kSecond);
  CHECK(j["pending"] == false);
}

}  // namespace picket
