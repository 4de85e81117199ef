// Gate facts through the whole core over a MemoryTxn: scans (every deny reason, state
// unchanged when refused), anti-passback, watchlist by alias, gate hours across DST,
// manual entries and arrivals.
#include <catch2/catch.hpp>

#include "access/access_test_support.h"
#include "access/core/access_keys.h"
#include "access/core/access_store.h"

namespace picket::access {
namespace {

using namespace testing;

const Micros kFrom = Utc(2026, 6, 10, 6, 0);    // 08:00 CEST
const Micros kUntil = Utc(2026, 6, 10, 16, 0);  // 18:00 CEST
const Micros kT = Utc(2026, 6, 10, 8, 0);       // 10:00 CEST

World VisitorWorld() {
  World w;
  w.AddVisitorWithPass("v-1", "Ivan Petrov", "P1", kFrom, kUntil, {"Vanya the Fox"});
  return w;
}

// Scans `code` at `gate` and REQUIREs one access.denied; returns it.
AccessDenied DeniedOnce(const Effects& fx) {
  auto denied = Bodies<AccessDenied>(fx);
  REQUIRE(denied.size() == 1);
  CHECK(Bodies<AccessGranted>(fx).empty());
  CHECK(fx.set.empty());
  CHECK(fx.cancel.empty());
  return denied[0];
}

}  // namespace

TEST_CASE(
    "scan: a granted entry opens a visit, checks the visitor in and sets the overstay "
    "timer",
    "[access][scan]") {
  World w = VisitorWorld();
  Effects fx = w.Scan("P1", "north", Direction::kIn, kT);
  CHECK(Types(fx) == std::vector<std::string>{"access.granted", "access.visitor_checked_in"});
  auto granted = Bodies<AccessGranted>(fx).at(0);
  CHECK(granted.post == "post-1");
  CHECK(granted.person == "v-1");
  CHECK(granted.pass_code == "P1");
  CHECK(granted.kind == PassKind::kVisitor);
  CHECK(fx.events[0].actor == "guard-7");
  CHECK(fx.events[0].at == kT);
  auto in = Bodies<VisitorCheckedIn>(fx).at(0);
  REQUIRE(fx.set.size() == 1);
  CHECK(fx.set[0] ==
        TimerSet{keys::OverstayTimerId(in.visit), kUntil + 15 * kMinute, keys::OverstayPayload(1)});
  AccessStore store(w.state);
  CHECK(store.OnSiteVisit("v-1") == in.visit);
  auto visit = store.LoadVisit(in.visit);
  REQUIRE(visit);
  CHECK(visit->guard_in == "guard-7");
  CHECK(visit->preregistered);
  CHECK(visit->on_site());
}

TEST_CASE("scan: every deny reason through the core, and a refused scan changes nothing",
          "[access][scan]") {
  World w = VisitorWorld();
  struct Expect {
    std::string name;
    std::string code, gate;
    Micros at;
    DenyReason reason;
  };
  SECTION("unknown gate, unknown pass, not yet valid, expired, wrong gate, outside hours") {
    for (const Expect& e : std::vector<Expect>{
             {"unknown gate", "P1", "west", kT, DenyReason::kUnknownGate},
             {"unknown pass", "NOPE", "north", kT, DenyReason::kUnknownPass},
             {"not yet valid", "P1", "north", kFrom - 1, DenyReason::kNotYetValid},
             {"expired", "P1", "north", kUntil, DenyReason::kExpired},
             {"wrong gate", "P1", "depot", kT, DenyReason::kWrongGate},
             {"outside hours", "P1", "north", Utc(2026, 6, 10, 3, 59), DenyReason::kOutsideHours},
         }) {
      INFO(e.name);
      if (e.reason == DenyReason::kOutsideHours) {  // 05:59 CEST: valid, but north is closed
        REQUIRE(w.Run(IssuePass{"P0", "v-1", Utc(2026, 6, 10, 3, 0), kUntil, {}, {}}).reply.ok());
      }
      const std::string code = e.reason == DenyReason::kOutsideHours ? "P0" : e.code;
      const Snapshot before = w.Rows();
      AccessDenied d = DeniedOnce(w.Scan(code, e.gate, Direction::kIn, e.at));
      CHECK(d.reason == e.reason);
      CHECK(d.pass_code == code);
      CHECK(d.gate == e.gate);
      CHECK(d.person == (e.reason == DenyReason::kUnknownPass ? "" : "v-1"));
      CHECK(d.post == (e.gate == "north" ? "post-1" : e.gate));
      CHECK(w.Rows() == before);
    }
  }
  SECTION("revoked") {
    REQUIRE(w.Run(RevokePass{"P1", "lost"}).reply.ok());
    const Snapshot before = w.Rows();
    CHECK(DeniedOnce(w.Scan("P1", "north", Direction::kIn, kT)).reason == DenyReason::kRevoked);
    CHECK(w.Rows() == before);
  }
  SECTION("watchlist") {
    auto added = w.Run(AddWatchlistEntry{"ivan petrov", "", "banned", WatchAction::kDeny});
    REQUIRE(added.reply.ok());
    const Snapshot before = w.Rows();
    Effects fx = w.Scan("P1", "north", Direction::kIn, kT);
    CHECK(Types(fx) == std::vector<std::string>{"access.watchlist_hit", "access.denied"});
    CHECK(DeniedOnce(fx).reason == DenyReason::kWatchlist);
    CHECK(w.Rows() == before);
  }
  SECTION("anti-passback") {
    REQUIRE(Bodies<AccessGranted>(w.Scan("P1", "north", Direction::kIn, kT)).size() == 1);
    const Snapshot before = w.Rows();
    CHECK(DeniedOnce(w.Scan("P1", "south", Direction::kIn, kT + kMinute)).reason ==
          DenyReason::kAntiPassback);
    CHECK(w.Rows() == before);
  }
}

TEST_CASE(
    "anti-passback: in twice is refused, out then in again is granted, out without in "
    "is refused",
    "[access][scan]") {
  World w = VisitorWorld();
  const Snapshot empty = w.Rows();
  CHECK(DeniedOnce(w.Scan("P1", "north", Direction::kOut, kT)).reason == DenyReason::kAntiPassback);
  CHECK(w.Rows() == empty);
  auto in = Bodies<VisitorCheckedIn>(w.Scan("P1", "north", Direction::kIn, kT));
  REQUIRE(in.size() == 1);
  CHECK(DeniedOnce(w.Scan("P1", "north", Direction::kIn, kT + kMinute)).reason ==
        DenyReason::kAntiPassback);
  Effects out = w.Scan("P1", "south", Direction::kOut, kT + kHour);
  CHECK(Types(out) == std::vector<std::string>{"access.granted", "access.visitor_checked_out"});
  auto checked_out = Bodies<VisitorCheckedOut>(out).at(0);
  CHECK(checked_out.visit == in[0].visit);
  CHECK(checked_out.stayed == kHour);
  CHECK(checked_out.post == "post-2");
  CHECK_FALSE(checked_out.by_command);
  CHECK(out.cancel == std::vector<std::string>{keys::OverstayTimerId(in[0].visit)});
  CHECK_FALSE(AccessStore(w.state).OnSiteVisit("v-1"));
  CHECK(DeniedOnce(w.Scan("P1", "south", Direction::kOut, kT + 2 * kHour)).reason ==
        DenyReason::kAntiPassback);
  auto again = Bodies<VisitorCheckedIn>(w.Scan("P1", "north", Direction::kIn, kT + 3 * kHour));
  REQUIRE(again.size() == 1);
  CHECK(again[0].visit != in[0].visit);
}

TEST_CASE("leaving with an expired or revoked pass is granted and ends the visit",
          "[access][scan]") {
  World w = VisitorWorld();
  REQUIRE(Bodies<AccessGranted>(w.Scan("P1", "north", Direction::kIn, kT)).size() == 1);
  REQUIRE(w.Run(RevokePass{"P1", "escorted off"}).reply.ok());
  Effects out = w.Scan("P1", "north", Direction::kOut, kUntil + kHour);
  CHECK(Types(out) == std::vector<std::string>{"access.granted", "access.visitor_checked_out"});
  CHECK_FALSE(AccessStore(w.state).OnSiteVisit("v-1"));
}

TEST_CASE("watchlist: an alias matches whatever its case and spacing, by name or by person id",
          "[access][watchlist]") {
  World w = VisitorWorld();
  auto added = w.Run(AddWatchlistEntry{"  VANYA   the\tFOX ", "", "meet with supervisor",
                                       WatchAction::kAdmitAndNotify});
  REQUIRE(added.reply.ok());
  Effects fx = w.Scan("P1", "north", Direction::kIn, kT);
  CHECK(Types(fx) == std::vector<std::string>{"access.watchlist_hit", "access.granted",
                                              "access.visitor_checked_in"});
  auto hit = Bodies<WatchlistHit>(fx).at(0);
  CHECK(hit.entry == added.reply.entry);
  CHECK(hit.person == "v-1");
  CHECK(hit.post == "post-1");
  CHECK(hit.reason == "meet with supervisor");
  CHECK(hit.action == WatchAction::kAdmitAndNotify);
  CHECK(hit.matched == "vanya the fox");
  REQUIRE(Bodies<AccessGranted>(w.Scan("P1", "north", Direction::kOut, kT + 1)).size() == 1);

  SECTION("a different name does not match, and a removed entry no longer does") {
    REQUIRE(w.Run(AddWatchlistEntry{"Vanya the Foxx", "", "other", WatchAction::kDeny}).reply.ok());
    REQUIRE(w.Run(RemoveWatchlistEntry{added.reply.entry, "cleared"}).reply.ok());
    Effects next = w.Scan("P1", "north", Direction::kIn, kT + 2);
    CHECK(Bodies<WatchlistHit>(next).empty());
    CHECK(Bodies<AccessGranted>(next).size() == 1);
  }
  SECTION("an entry naming the person id matches whatever the names") {
    auto by_id = w.Run(AddWatchlistEntry{"", "v-1", "banned", WatchAction::kDeny});
    REQUIRE(by_id.reply.ok());
    Effects next = w.Scan("P1", "north", Direction::kIn, kT + 2);
    auto hits = Bodies<WatchlistHit>(next);
    REQUIRE(hits.size() == 2);  // both entries, ascending by id
    CHECK(hits[1].entry == by_id.reply.entry);
    CHECK(hits[1].matched == "person:v-1");
    CHECK(DeniedOnce(next).reason == DenyReason::kWatchlist);
  }
}

TEST_CASE("watchlist: a supervisor entry admits only when the scan names an officer",
          "[access][watchlist]") {
  World w = VisitorWorld();
  REQUIRE(w.Run(AddWatchlistEntry{"Ivan Petrov", "", "escort", WatchAction::kAdmitWithSupervisor})
              .reply.ok());
  CHECK(DeniedOnce(w.Scan("P1", "north", Direction::kIn, kT)).reason == DenyReason::kWatchlist);
  CHECK(DeniedOnce(w.Scan("P1", "north", Direction::kIn, kT, "guard-9")).reason ==
        DenyReason::kWatchlist);  // not an officer
  Effects fx = w.Scan("P1", "north", Direction::kIn, kT, "chief");
  auto granted = Bodies<AccessGranted>(fx);
  REQUIRE(granted.size() == 1);
  CHECK(granted[0].supervisor == "chief");
  CHECK(Bodies<WatchlistHit>(fx).size() == 1);
}

TEST_CASE(
    "gate hours: a gate open 06:00-22:00 local follows the wall clock across both DST "
    "changes",
    "[access][hours]") {
  World w;
  REQUIRE(w.Run(RegisterPerson{"s-1", "Sam Staff", {}, PassKind::kStaff, "Plant"}).reply.ok());
  REQUIRE(w.Run(IssuePass{"S1", "s-1", Utc(2026, 1, 1, 0, 0), Utc(2027, 1, 1, 0, 0), {}, {}})
              .reply.ok());
  // Scans in at north, and out again at once when granted; returns the decision.
  auto enter = [&](Micros at) -> std::optional<DenyReason> {
    Effects fx = w.Scan("S1", "north", Direction::kIn, at);
    auto denied = Bodies<AccessDenied>(fx);
    if (!denied.empty()) return denied[0].reason;
    REQUIRE(Bodies<AccessGranted>(w.Scan("S1", "north", Direction::kOut, at + 1)).size() == 1);
    return std::nullopt;
  };
  const auto closed = std::optional<DenyReason>(DenyReason::kOutsideHours);
  // Saturday 28 March (CET, UTC+1): opens at 05:00 UTC.
  CHECK(enter(Utc(2026, 3, 28, 4, 59)) == closed);
  CHECK(enter(Utc(2026, 3, 28, 5, 0)) == std::nullopt);
  // Sunday 29 March (CEST from 01:00 UTC, UTC+2): opens at 04:00 UTC, an hour earlier.
  CHECK(enter(Utc(2026, 3, 29, 3, 59)) == closed);
  CHECK(enter(Utc(2026, 3, 29, 4, 0)) == std::nullopt);
  CHECK(enter(Utc(2026, 3, 29, 19, 59)) == std::nullopt);  // 21:59 CEST
  CHECK(enter(Utc(2026, 3, 29, 20, 0)) == closed);         // 22:00 CEST
  // The same UTC minute is closed on the Saturday and open on the Sunday.
  CHECK(enter(Utc(2026, 3, 28, 4, 30)) == closed);
  CHECK(enter(Utc(2026, 3, 29, 4, 30)) == std::nullopt);
  // Saturday 24 October (CEST): opens 04:00 UTC; Sunday 25 (CET from 01:00 UTC): 05:00 UTC.
  CHECK(enter(Utc(2026, 10, 24, 3, 59)) == closed);
  CHECK(enter(Utc(2026, 10, 24, 4, 0)) == std::nullopt);
  CHECK(enter(Utc(2026, 10, 25, 4, 59)) == closed);
  CHECK(enter(Utc(2026, 10, 25, 5, 0)) == std::nullopt);
  CHECK(enter(Utc(2026, 10, 25, 20, 59)) == std::nullopt);  // 21:59 CET
  CHECK(enter(Utc(2026, 10, 25, 21, 0)) == closed);         // 22:00 CET
}

TEST_CASE(
    "manual entry: unregistered_entry, on the roll call, watchlist checked on the typed "
    "name",
    "[access][manual]") {
  World w;
  REQUIRE(w.Run(AddWatchlistEntry{"John Doe", "", "trespass", WatchAction::kDeny}).reply.ok());
  Effects fx = w.access.OnManualEntry(
      ManualEntry{"south", "  john   DOE", "scanner broken", "guard-7", kT}, w.state);
  CHECK(Types(fx) == std::vector<std::string>{"access.watchlist_hit", "access.unregistered_entry"});
  auto entry = Bodies<UnregisteredEntry>(fx).at(0);
  CHECK(entry.post == "post-2");
  CHECK(entry.person == "  john   DOE");
  CHECK(entry.note == "scanner broken");
  auto roll = w.Run(ListOnSite{}, "");
  REQUIRE(roll.reply.on_site.size() == 1);
  CHECK(roll.reply.on_site[0].visit.id == entry.visit);
  CHECK(roll.reply.on_site[0].visit.manual);
  // A second manual entry while on site is on the record but opens no second visit.
  Effects again = w.access.OnManualEntry(
      ManualEntry{"south", "  john   DOE", "again", "guard-7", kT + kMinute}, w.state);
  CHECK(Bodies<UnregisteredEntry>(again).at(0).visit == entry.visit);
  CHECK(w.Run(ListOnSite{}, "").reply.on_site.size() == 1);
}

TEST_CASE("arrival: the visitor's wait at the gate runs to the check-in", "[access][scan]") {
  World w = VisitorWorld();
  Effects arrived =
      w.access.OnVisitorArrived(VisitorArrival{"north", "v-1", "guard-7", kT}, w.state);
  CHECK(Types(arrived) == std::vector<std::string>{"access.visitor_arrived"});
  Effects fx = w.Scan("P1", "north", Direction::kIn, kT + 7 * kMinute);
  auto in = Bodies<VisitorCheckedIn>(fx).at(0);
  CHECK(in.waited == 7 * kMinute);
  auto visit = AccessStore(w.state).LoadVisit(in.visit);
  REQUIRE(visit);
  CHECK(visit->arrived_at == kT);
  CHECK_FALSE(AccessStore(w.state).LoadArrival("v-1"));  // the wait is over
}

}  // namespace picket::access
