// Commands (each success emits its event; each refusal has its code and changes nothing)
// and queries.
#include <catch2/catch.hpp>

#include "access/access_test_support.h"
#include "access/core/access_store.h"

namespace picket::access {
namespace {

using namespace testing;

const Micros kFrom = Utc(2026, 6, 10, 6, 0);
const Micros kUntil = Utc(2026, 6, 10, 16, 0);
const Micros kT = Utc(2026, 6, 10, 8, 0);

// Runs `body` and checks it is refused with `error`, emits nothing and changes nothing.
void CheckRefused(World& w, CommandBody body, CommandError error, std::string actor = "officer-1") {
  const Snapshot before = w.Rows();
  auto r = w.Run(std::move(body), std::move(actor));
  INFO(r.reply.message);
  CHECK(r.reply.error == error);
  CHECK_FALSE(r.reply.message.empty());
  CHECK(r.effects.events.empty());
  CHECK(r.effects.set.empty());
  CHECK(r.effects.cancel.empty());
  CHECK(w.Rows() == before);
}

World WithHost() {
  World w;
  REQUIRE(w.Run(RegisterPerson{"host-1", "Hana Host", {}, PassKind::kStaff, "Plant"}).reply.ok());
  return w;
}

}  // namespace

TEST_CASE("commands: register people, each with its event", "[access][commands]") {
  World w = WithHost();
  auto pre = w.Run(PreRegisterVisitor{"v-1", "Ivan Petrov", {"Vanya"}, "Acme", "host-1", kT});
  REQUIRE(pre.reply.ok());
  CHECK(Types(pre.effects) == std::vector<std::string>{"access.person_registered"});
  auto ev = Bodies<PersonRegistered>(pre.effects).at(0);
  CHECK(ev.person == "v-1");
  CHECK(ev.host == "host-1");
  CHECK(ev.expected_at == kT);
  CHECK(pre.effects.events[0].actor == "officer-1");
  auto stored = AccessStore(w.state).LoadPerson("v-1");
  REQUIRE(stored);
  CHECK(stored->aliases == std::vector<std::string>{"Vanya"});
  CHECK(stored->registered_by == "officer-1");

  CheckRefused(w, PreRegisterVisitor{"v-1", "Again", {}, "", "host-1", kT},
               CommandError::kAlreadyExists);
  CheckRefused(w, PreRegisterVisitor{"v-2", "X", {}, "", "v-1", kT}, CommandError::kUnknownHost);
  CheckRefused(w, PreRegisterVisitor{"v-2", "X", {}, "", "nobody", kT}, CommandError::kUnknownHost);
  CheckRefused(w, PreRegisterVisitor{"v 2", "X", {}, "", "host-1", kT},
               CommandError::kInvalidArgument);
  CheckRefused(w, PreRegisterVisitor{"v-2", "  ", {}, "", "host-1", kT},
               CommandError::kInvalidArgument);
  CheckRefused(w, PreRegisterVisitor{"v-2", "X", {""}, "", "host-1", kT},
               CommandError::kInvalidArgument);
  CheckRefused(w, PreRegisterVisitor{"v-2", "X", {}, "", "host-1", 0},
               CommandError::kInvalidArgument);
  CheckRefused(w, RegisterPerson{"v-2", "X", {}, PassKind::kVisitor, ""},
               CommandError::kInvalidArgument);
  CheckRefused(w, RegisterPerson{"host-1", "X", {}, PassKind::kContractor, ""},
               CommandError::kAlreadyExists);
  auto contractor = w.Run(RegisterPerson{"c-1", "Cora", {"C."}, PassKind::kContractor, "Fixit"});
  REQUIRE(contractor.reply.ok());
  CHECK(Bodies<PersonRegistered>(contractor.effects).at(0).kind == PassKind::kContractor);
  CheckRefused(w, PreRegisterVisitor{"v-2", "X", {}, "", "host-1", kT},
               CommandError::kInvalidArgument,
               /*actor=*/"");
}

TEST_CASE("commands: walk-ups need approval by the host or an officer", "[access][commands]") {
  World w = WithHost();
  CheckRefused(w, RegisterWalkUp{"w-1", "Walt", {}, "", "host-1", "guard-7", "", ""},
               CommandError::kNotAuthorized);
  auto by_host = w.Run(RegisterWalkUp{"w-1", "Walt", {}, "", "host-1", "host-1", "", ""});
  REQUIRE(by_host.reply.ok());
  CHECK_FALSE(by_host.reply.pending);
  auto ev = Bodies<PersonRegistered>(by_host.effects).at(0);
  CHECK(ev.walk_up);
  CHECK(ev.approved_by == "host-1");
  REQUIRE(w.Run(RegisterWalkUp{"w-2", "Wanda", {}, "", "host-1", "chief", "", ""}).reply.ok());

  AccessConfig open_site = SiteConfig();
  open_site.walkups_need_approval = false;
  World lax(open_site);
  REQUIRE(lax.Run(RegisterPerson{"host-1", "Hana Host", {}, PassKind::kStaff, ""}).reply.ok());
  auto unapproved = lax.Run(RegisterWalkUp{"w-1", "Walt", {}, "", "host-1", "", "", ""});
  REQUIRE(unapproved.reply.ok());
  CHECK_FALSE(unapproved.reply.pending);
  CHECK(Types(unapproved.effects) == std::vector<std::string>{"access.person_registered"});
  CheckRefused(lax, RegisterWalkUp{"w-2", "Wanda", {}, "", "host-1", "guard-7", "", ""},
               CommandError::kNotAuthorized);  // an approval given must still be valid
}

TEST_CASE("commands: a walk-up without approval waits in the queue, nothing registered",
          "[access][commands][walkup]") {
  World w = WithHost();
  auto asked = w.Run(
      RegisterWalkUp{"w-1", "Walt Walker", {"W."}, "Acme", "host-1", "", "", "north"}, "guard-7");
  REQUIRE(asked.reply.ok());
  CHECK(asked.reply.pending);
  CHECK(Types(asked.effects) == std::vector<std::string>{"access.walkup_requested"});
  auto ev = Bodies<WalkUpRequested>(asked.effects).at(0);
  CHECK(ev.person == "w-1");
  CHECK(ev.name == "Walt Walker");
  CHECK(ev.company == "Acme");
  CHECK(ev.host == "host-1");
  CHECK(ev.gate == "north");
  CHECK(ev.post == "post-1");  // the gate's post, as none was given
  CHECK(ev.requested_at == w.now);
  CHECK(asked.effects.events[0].actor == "guard-7");
  CHECK_FALSE(AccessStore(w.state).LoadPerson("w-1"));  // not registered yet
  CHECK(w.Run(GetPerson{"w-1"}, "").reply.error == CommandError::kUnknownPerson);

  w.now += 5 * kMinute;
  REQUIRE(w.Run(RegisterWalkUp{"w-0", "Olga", {}, "", "host-1", "", "gate-9", ""}, "guard-8")
              .reply.pending);
  auto list = w.Run(ListPendingWalkUps{}, "").reply.pending_walkups;
  REQUIRE(list.size() == 2);  // oldest first, though w-0 sorts before w-1 by id
  CHECK(list[0].person == "w-1");
  CHECK(list[0].aliases == std::vector<std::string>{"W."});
  CHECK(list[0].requested_by == "guard-7");
  CHECK(list[0].requested_at == w.now - 5 * kMinute);
  CHECK(list[1].person == "w-0");
  CHECK(list[1].post == "gate-9");
  CHECK(list[1].gate.empty());

  // Asking again while it waits, or registering that id any other way, is refused.
  CheckRefused(w, RegisterWalkUp{"w-1", "Walt Walker", {}, "", "host-1", "", "", ""},
               CommandError::kAlreadyPending, "guard-7");
  CheckRefused(w, RegisterWalkUp{"w-1", "Walt Walker", {}, "", "host-1", "host-1", "", ""},
               CommandError::kAlreadyPending, "guard-7");
  CheckRefused(w, PreRegisterVisitor{"w-1", "Walt", {}, "", "host-1", w.now},
               CommandError::kAlreadyPending);
  CheckRefused(w, RegisterPerson{"w-1", "Walt", {}, PassKind::kContractor, ""},
               CommandError::kAlreadyPending);
  // Bad requests change nothing either.
  CheckRefused(w, RegisterWalkUp{"w-2", "X", {}, "", "host-1", "", "", "west"},
               CommandError::kUnknownGate, "guard-7");
  CheckRefused(w, RegisterWalkUp{"w-2", "X", {}, "", "host-1", "", "bad post", ""},
               CommandError::kInvalidArgument, "guard-7");
  CheckRefused(w, RegisterWalkUp{"w-2", "", {}, "", "host-1", "", "", ""},
               CommandError::kInvalidArgument, "guard-7");
  CheckRefused(
      w, RegisterWalkUp{"w-2", std::string(kMaxTextBytes + 1, 'x'), {}, "", "host-1", "", "", ""},
      CommandError::kInvalidArgument, "guard-7");
  CheckRefused(w, RegisterWalkUp{"w-2", "X", {}, "", "nobody", "", "", ""},
               CommandError::kUnknownHost, "guard-7");
  CheckRefused(w, RegisterWalkUp{"w-2", "X", {}, "", "host-1", "", "", ""},
               CommandError::kInvalidArgument, "");
}

TEST_CASE("commands: approve a pending walk-up registers it as an approved walk-up",
          "[access][commands][walkup]") {
  World w = WithHost();
  const Micros asked_at = w.now;
  REQUIRE(w.Run(RegisterWalkUp{"w-1", "Walt", {"W."}, "Acme", "host-1", "", "post-1", "north"},
                "guard-7")
              .reply.pending);
  // Refusals first: each changes nothing.
  CheckRefused(w, ApproveWalkUp{"w-1", "guard-7"}, CommandError::kNotAuthorized);
  CheckRefused(w, ApproveWalkUp{"w-9", "chief"}, CommandError::kNotPending);
  CheckRefused(w, ApproveWalkUp{"", "chief"}, CommandError::kInvalidArgument);
  CheckRefused(w, ApproveWalkUp{std::string(65, 'a'), "chief"}, CommandError::kInvalidArgument);
  CheckRefused(w, ApproveWalkUp{"w-1", ""}, CommandError::kInvalidArgument);
  CheckRefused(w, ApproveWalkUp{"w-1", std::string(65, 'c')}, CommandError::kInvalidArgument);
  CheckRefused(w, ApproveWalkUp{"w-1", "chief"}, CommandError::kInvalidArgument, /*actor=*/"");

  w.now += 7 * kMinute;
  auto approved = w.Run(ApproveWalkUp{"w-1", "host-1"}, "host-1");
  REQUIRE(approved.reply.ok());
  CHECK(Types(approved.effects) ==
        std::vector<std::string>{"access.person_registered", "access.walkup_approved"});
  auto reg = Bodies<PersonRegistered>(approved.effects).at(0);
  CHECK(reg.person == "w-1");
  CHECK(reg.walk_up);
  CHECK(reg.approved_by == "host-1");
  CHECK(reg.kind == PassKind::kVisitor);
  CHECK(reg.host == "host-1");
  auto ok = Bodies<WalkUpApproved>(approved.effects).at(0);
  CHECK(ok.approved_by == "host-1");
  CHECK(ok.requested_at == asked_at);
  CHECK(ok.waited == 7 * kMinute);
  auto p = AccessStore(w.state).LoadPerson("w-1");
  REQUIRE(p);
  CHECK(p->walk_up);
  CHECK(p->approved_by == "host-1");
  CHECK(p->aliases == std::vector<std::string>{"W."});
  CHECK(p->company == "Acme");
  CHECK(p->registered_by == "guard-7");
  CHECK(p->registered_at == w.now);
  CHECK(w.Run(ListPendingWalkUps{}, "").reply.pending_walkups.empty());
  // Twice: nothing is pending any more.
  CheckRefused(w, ApproveWalkUp{"w-1", "host-1"}, CommandError::kNotPending);
  CheckRefused(w, DenyWalkUp{"w-1", "chief", "too late"}, CommandError::kNotPending);
  // The approved walk-up gets a pass like any visitor.
  REQUIRE(w.Run(IssuePass{"W1", "w-1", kFrom, kUntil, {}, {}}).reply.ok());

  // An officer may approve any walk-up.
  REQUIRE(
      w.Run(RegisterWalkUp{"w-2", "Wanda", {}, "", "host-1", "", "", ""}, "guard-7").reply.pending);
  auto by_chief = w.Run(ApproveWalkUp{"w-2", "chief"}, "chief");
  REQUIRE(by_chief.reply.ok());
  CHECK(Bodies<PersonRegistered>(by_chief.effects).at(0).approved_by == "chief");
}

TEST_CASE("commands: deny a pending walk-up, with a reason, by the host or an officer",
          "[access][commands][walkup]") {
  World w = WithHost();
  REQUIRE(w.Run(RegisterWalkUp{"w-1", "Walt", {}, "", "host-1", "", "", "south"}, "guard-7")
              .reply.pending);
  CheckRefused(w, DenyWalkUp{"w-1", "chief", ""}, CommandError::kInvalidArgument);
  CheckRefused(w, DenyWalkUp{"w-1", "chief", "   "}, CommandError::kInvalidArgument);
  CheckRefused(w, DenyWalkUp{"w-1", "chief", std::string(kMaxTextBytes + 1, 'r')},
               CommandError::kInvalidArgument);
  CheckRefused(w, DenyWalkUp{"w-1", "guard-7", "no"}, CommandError::kNotAuthorized);
  CheckRefused(w, DenyWalkUp{"nobody", "chief", "no"}, CommandError::kNotPending);
  auto denied = w.Run(DenyWalkUp{"w-1", "chief", "host is away today"}, "chief");
  REQUIRE(denied.reply.ok());
  CHECK(Types(denied.effects) == std::vector<std::string>{"access.walkup_denied"});
  auto ev = Bodies<WalkUpDenied>(denied.effects).at(0);
  CHECK(ev.person == "w-1");
  CHECK(ev.denied_by == "chief");
  CHECK(ev.reason == "host is away today");
  CHECK(ev.host == "host-1");
  CHECK(denied.effects.events[0].actor == "chief");
  CHECK_FALSE(AccessStore(w.state).LoadPerson("w-1"));
  CHECK(w.Run(ListPendingWalkUps{}, "").reply.pending_walkups.empty());
  CheckRefused(w, ApproveWalkUp{"w-1", "chief"}, CommandError::kNotPending);
  // Once denied, the guard may ask again (a new request).
  REQUIRE(
      w.Run(RegisterWalkUp{"w-1", "Walt", {}, "", "host-1", "", "", ""}, "guard-7").reply.pending);
}

TEST_CASE("commands: issue a pass, with every refusal", "[access][commands]") {
  World w = WithHost();
  REQUIRE(w.Run(PreRegisterVisitor{"v-1", "Ivan", {}, "", "host-1", kT}).reply.ok());
  CheckRefused(w, IssuePass{"P 1", "v-1", kFrom, kUntil, {}, {}}, CommandError::kInvalidArgument);
  CheckRefused(w, IssuePass{"P1", "v-1", kUntil, kUntil, {}, {}}, CommandError::kInvalidArgument);
  CheckRefused(w, IssuePass{"P1", "v-1", kFrom - kHour, kFrom - 1, {}, {}},
               CommandError::kInvalidArgument);  // expired already (now is 07:00 UTC)
  CheckRefused(w, IssuePass{"P1", "v-1", kFrom, kUntil, {"west"}, {}}, CommandError::kUnknownGate);
  CheckRefused(w, IssuePass{"P1", "nobody", kFrom, kUntil, {}, {}}, CommandError::kUnknownPerson);
  CheckRefused(w, IssuePass{"P1", "v-1", kFrom, kFrom + 25 * kHour, {}, {}},
               CommandError::kValidityTooLong);
  auto issued = w.Run(IssuePass{"P1", "v-1", kFrom, kUntil, {"south"}, DailyHours{480, 1020}});
  REQUIRE(issued.reply.ok());
  auto ev = Bodies<PassIssued>(issued.effects).at(0);
  CHECK(ev.kind == PassKind::kVisitor);
  CHECK(ev.valid_until == kUntil);
  CheckRefused(w, IssuePass{"P1", "v-1", kFrom, kUntil, {}, {}}, CommandError::kAlreadyExists);
  auto got = w.Run(GetPass{"P1"}, "");
  REQUIRE(got.reply.pass);
  CHECK(got.reply.pass->host == "host-1");
  CHECK(got.reply.pass->issued_by == "officer-1");
  CHECK(got.reply.pass->gates == std::vector<std::string>{"south"});
  CHECK(got.reply.pass->hours == DailyHours{480, 1020});
  CHECK(w.Run(GetPass{"P9"}, "").reply.error == CommandError::kUnknownPass);
}

TEST_CASE("commands: revoke and extend a pass", "[access][commands]") {
  World w;
  w.AddVisitorWithPass("v-1", "Ivan", "P1", kFrom, kUntil);
  CheckRefused(w, RevokePass{"P1", " "}, CommandError::kInvalidArgument);
  CheckRefused(w, RevokePass{"P9", "lost"}, CommandError::kUnknownPass);
  CheckRefused(w, ExtendPass{"P9", kUntil + kHour}, CommandError::kUnknownPass);
  CheckRefused(w, ExtendPass{"P1", kUntil}, CommandError::kInvalidArgument);
  CheckRefused(w, ExtendPass{"P1", kFrom + 24 * kHour + 1}, CommandError::kValidityTooLong);
  auto ext = w.Run(ExtendPass{"P1", kUntil + kHour});
  REQUIRE(ext.reply.ok());
  auto e = Bodies<PassExtended>(ext.effects).at(0);
  CHECK(e.previous_until == kUntil);
  CHECK(e.valid_until == kUntil + kHour);
  CHECK(ext.effects.set.empty());  // not on site: no timer to move
  CHECK(AccessStore(w.state).LoadPass("P1")->extensions == 1);
  auto rev = w.Run(RevokePass{"P1", "lost"}, "chief");
  REQUIRE(rev.reply.ok());
  CHECK(Bodies<PassRevoked>(rev.effects).at(0).reason == "lost");
  CheckRefused(w, RevokePass{"P1", "again"}, CommandError::kAlreadyRevoked);
  CheckRefused(w, ExtendPass{"P1", kUntil + 2 * kHour}, CommandError::kRevoked);
}

TEST_CASE("commands: check-out and the watchlist", "[access][commands]") {
  World w;
  w.AddVisitorWithPass("v-1", "Ivan", "P1", kFrom, kUntil);
  CheckRefused(w, CheckOut{"v-1", ""}, CommandError::kNotOnSite);
  CheckRefused(w, CheckOut{"", ""}, CommandError::kInvalidArgument);
  REQUIRE(Bodies<AccessGranted>(w.Scan("P1", "north", Direction::kIn, kT)).size() == 1);
  CheckRefused(w, CheckOut{"v-1", "west"}, CommandError::kUnknownGate);
  REQUIRE(w.Run(CheckOut{"v-1", ""}).reply.ok());
  CHECK_FALSE(AccessStore(w.state).OnSiteVisit("v-1"));

  CheckRefused(w, AddWatchlistEntry{" ", "", "banned", WatchAction::kDeny},
               CommandError::kInvalidArgument);
  CheckRefused(w, AddWatchlistEntry{"X", "", "", WatchAction::kDeny},
               CommandError::kInvalidArgument);
  CheckRefused(w, AddWatchlistEntry{"", "bad id", "r", WatchAction::kDeny},
               CommandError::kInvalidArgument);
  auto a = w.Run(AddWatchlistEntry{"Ivan", "", "banned", WatchAction::kDeny});
  auto b = w.Run(AddWatchlistEntry{"", "v-9", "escort", WatchAction::kAdmitWithSupervisor});
  REQUIRE((a.reply.ok() && b.reply.ok()));
  CHECK(b.reply.entry == a.reply.entry + 1);
  CHECK(Bodies<WatchlistAdded>(b.effects).at(0).action == WatchAction::kAdmitWithSupervisor);
  CheckRefused(w, RemoveWatchlistEntry{99, "r"}, CommandError::kUnknownEntry);
  CheckRefused(w, RemoveWatchlistEntry{a.reply.entry, ""}, CommandError::kInvalidArgument);
  auto removed = w.Run(RemoveWatchlistEntry{a.reply.entry, "cleared"});
  REQUIRE(removed.reply.ok());
  CHECK(Bodies<WatchlistRemoved>(removed.effects).at(0).entry == a.reply.entry);
  auto list = w.Run(ListWatchlist{}, "");
  REQUIRE(list.reply.watchlist.size() == 1);
  CHECK(list.reply.watchlist[0].person == "v-9");
  CHECK(w.state.Rows("watchlist_index").size() == 1);  // the removed entry's row went too
}

TEST_CASE("queries: person, visits by range, roll call and compliance", "[access][queries]") {
  World w;
  w.AddVisitorWithPass("v-1", "Ivan", "P1", kFrom, kUntil);
  REQUIRE(w.Run(RegisterWalkUp{"w-1", "Walt", {}, "", "host-1", "chief", "", ""}).reply.ok());
  REQUIRE(w.Run(IssuePass{"W1", "w-1", kFrom, kUntil, {}, {}}).reply.ok());
  // v-1: announced at north, let in 4 min later; w-1 at south 10 min later, not announced;
  // a manual entry at north an hour later; a denied scan counts for nothing.
  w.access.OnVisitorArrived(VisitorArrival{"north", "v-1", "guard-7", kT}, w.state);
  REQUIRE(Bodies<AccessGranted>(w.Scan("P1", "north", Direction::kIn, kT + 4 * kMinute)).size() ==
          1);
  REQUIRE(Bodies<AccessGranted>(w.Scan("W1", "south", Direction::kIn, kT + 10 * kMinute)).size() ==
          1);
  w.access.OnManualEntry(ManualEntry{"north", "Joe", "no pass", "guard-7", kT + kHour}, w.state);
  REQUIRE(Bodies<AccessDenied>(w.Scan("NOPE", "north", Direction::kIn, kT)).size() == 1);
  REQUIRE(Bodies<AccessGranted>(w.Scan("W1", "south", Direction::kOut, kT + 2 * kHour)).size() ==
          1);

  auto person = w.Run(GetPerson{"v-1"}, "").reply.person;
  REQUIRE(person);
  CHECK(person->person.name == "Ivan");
  REQUIRE(person->passes.size() == 1);
  CHECK(person->passes[0].code == "P1");
  REQUIRE(person->on_site);
  CHECK(person->on_site->gate == "north");
  CHECK(w.Run(GetPerson{"nobody"}, "").reply.error == CommandError::kUnknownPerson);

  auto all = w.Run(ListVisits{kT, kT + kDay}, "").reply.visits;
  REQUIRE(all.size() == 3);
  CHECK(all[0].person == "v-1");
  CHECK(all[1].person == "w-1");
  CHECK(all[1].checked_out_at == kT + 2 * kHour);
  CHECK(all[2].manual);
  // [from, to): from is inclusive, to exclusive.
  auto middle = w.Run(ListVisits{kT + 10 * kMinute, kT + kHour}, "").reply.visits;
  REQUIRE(middle.size() == 1);
  CHECK(middle[0].person == "w-1");
  CHECK(w.Run(ListVisits{kT + 2 * kHour, kT + 3 * kHour}, "").reply.visits.empty());
  CHECK(w.Run(ListVisits{kT, kT}, "").reply.error == CommandError::kInvalidArgument);
  CHECK(w.Run(ListVisits{kT, kT + 32 * kDay}, "").reply.error == CommandError::kInvalidArgument);

  auto roll = w.Run(ListOnSite{}, "").reply.on_site;
  REQUIRE(roll.size() == 2);  // w-1 left
  CHECK(roll[0].name == "Joe");
  CHECK(roll[1].name == "Ivan");

  auto north = w.Run(GetCompliance{"post-1", kT, kT + kDay}, "").reply.compliance;
  REQUIRE(north);
  CHECK(north->entries == 2);
  CHECK(north->with_pass == 1);
  CHECK(north->unregistered == 1);
  CHECK(north->registered_permille() == 500);
  CHECK(north->visitors == 1);
  CHECK(north->preregistered == 1);
  CHECK(north->announced == 1);
  CHECK(north->mean_wait() == 4 * kMinute);
  auto site = w.Run(GetCompliance{"", kT, kT + kDay}, "").reply.compliance;
  REQUIRE(site);
  CHECK(site->entries == 3);
  CHECK(site->visitors == 2);
  CHECK(site->preregistered == 1);  // w-1 walked up
  CHECK(site->max_wait == 4 * kMinute);
  CHECK(w.Run(GetCompliance{"post-1", kT, kT - 1}, "").reply.error ==
        CommandError::kInvalidArgument);
}

}  // namespace picket::access
