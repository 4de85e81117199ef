#include "domain/roster.h"

#include <catch2/catch.hpp>

#include "testing/memory_txn.h"

namespace picket {
namespace {

RosterConfig TestConfig() {
  RosterConfig c;
  c.leader_role = "squad_leader";
  c.squad_of_post = {{"gate-1", "north"}, {"gate-2", "north"}, {"hq", "north"}, {"dock", "south"}};
  c.standing_roles = {{"chief", {"manager"}}, {"deputy", {"manager", "duty_officer"}}};
  return c;
}

}  // namespace

TEST_CASE("Roster records shifts and ends them", "[roster]") {
  RosterConfig config = TestConfig();
  MemoryTxn txn({"roster"});
  Roster roster(config, txn, "roster");
  CHECK(roster.Apply(ShiftStarted{"ann", "gate-1", "guard", 100}));
  CHECK(roster.Apply(ShiftStarted{"bob", "hq", "duty_officer", 50}));
  CHECK(roster.OnDutyNow() ==
        std::vector<OnDuty>{{"ann", "gate-1", "guard", 100}, {"bob", "hq", "duty_officer", 50}});
  CHECK(roster.Apply(ShiftEnded{"ann", 200}));
  CHECK_FALSE(roster.DutyOf("ann"));
  CHECK_FALSE(roster.Apply(ShiftEnded{"ann", 201}));  // not on duty: a no-op
  CHECK_FALSE(roster.Apply(ShiftStarted{"", "gate-1", "guard", 1}));
  CHECK_FALSE(roster.Apply(ShiftStarted{"cy", "gate-1", "", 1}));
  CHECK(roster.OnDutyNow().size() == 1);
}

TEST_CASE("Roster: a new shift replaces the person's previous duty", "[roster]") {
  RosterConfig config = TestConfig();
  MemoryTxn txn({"roster"});
  Roster roster(config, txn, "roster");
  roster.Apply(ShiftStarted{"ann", "gate-1", "guard", 100});
  roster.Apply(ShiftStarted{"ann", "gate-2", "squad_leader", 300});
  CHECK(roster.DutyOf("ann") == OnDuty{"ann", "gate-2", "squad_leader", 300});
  CHECK(roster.HoldersOf("guard").empty());
}

TEST_CASE("Roster: holders of a role, longest on duty first", "[roster]") {
  RosterConfig config = TestConfig();
  MemoryTxn txn({"roster"});
  Roster roster(config, txn, "roster");
  roster.Apply(ShiftStarted{"zed", "hq", "duty_officer", 10});
  roster.Apply(ShiftStarted{"amy", "hq", "duty_officer", 20});
  roster.Apply(ShiftStarted{"bea", "hq", "duty_officer", 10});
  roster.Apply(ShiftStarted{"gus", "gate-1", "guard", 5});
  auto holders = roster.HoldersOf("duty_officer");
  REQUIRE(holders.size() == 3);
  CHECK(holders[0].person == "bea");
  CHECK(holders[1].person == "zed");
  CHECK(holders[2].person == "amy");
}

TEST_CASE("Roster: the leader of a post is at the post, else in its squad", "[roster]") {
  RosterConfig config = TestConfig();
  MemoryTxn txn({"roster"});
  Roster roster(config, txn, "roster");
  CHECK_FALSE(roster.LeaderOf("gate-1"));
  roster.Apply(ShiftStarted{"sam", "hq", "squad_leader", 10});
  CHECK(roster.LeaderOf("gate-1") == "sam");  // squad north
  CHECK_FALSE(roster.LeaderOf("dock"));       // squad south has nobody
  CHECK_FALSE(roster.LeaderOf("unknown-post"));
  roster.Apply(ShiftStarted{"lea", "gate-1", "squad_leader", 20});
  CHECK(roster.LeaderOf("gate-1") == "lea");  // at the post itself wins
  CHECK(roster.LeaderOf("gate-2") == "sam");  // longest on duty in the squad
  CHECK(roster.LeaderOf("hq") == "sam");
}

TEST_CASE("Roster: everyone with a role includes standing roles once", "[roster]") {
  RosterConfig config = TestConfig();
  MemoryTxn txn({"roster"});
  Roster roster(config, txn, "roster");
  roster.Apply(ShiftStarted{"deputy", "hq", "manager", 10});
  roster.Apply(ShiftStarted{"max", "hq", "manager", 5});
  CHECK(roster.EveryoneWith("manager") == std::vector<std::string>{"max", "deputy", "chief"});
  CHECK(roster.EveryoneWith("duty_officer") == std::vector<std::string>{"deputy"});
  CHECK(roster.EveryoneWith("cook").empty());
}

TEST_CASE("Roster row format is pinned", "[roster]") {
  // DO NOT CHANGE: stored in each service's roster table.
  OnDuty d{"ann", "g", "r", 1};
  CHECK(Roster::EncodeKey("ann") == "duty/ann");
  CHECK(Roster::EncodeValue(d) == std::string("\0\0\0\1g\0\0\0\1r\0\0\0\0\0\0\0\1", 18));
  CHECK(Roster::DecodeRow("duty/ann", Roster::EncodeValue(d)) == d);
  CHECK_FALSE(Roster::DecodeRow("other/ann", Roster::EncodeValue(d)));
  CHECK_FALSE(Roster::DecodeRow("duty/ann", "\0\0"));
}

}  // namespace picket
