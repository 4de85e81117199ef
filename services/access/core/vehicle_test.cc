// Vehicles as pass holders: RegisterVehicle (each refusal changes nothing), then passes,
// scans, anti-passback, the roll call, the watchlist by plate and overstay, unchanged
// from people.
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
const std::string kTruck = "veh.BAB1234";

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

// A contractor's truck, plate `plate` as written, with pass T1 valid [kFrom, kUntil).
void AddTruckWithPass(World& w, const std::string& plate = "B-AB 1234") {
  REQUIRE(
      w.Run(RegisterVehicle{plate, "White Volvo tanker", PassKind::kContractor, "Oilco", "", ""})
          .reply.ok());
  REQUIRE(w.Run(IssuePass{"T1", VehicleId(plate), kFrom, kUntil, {}, {}}).reply.ok());
}

}  // namespace

TEST_CASE("vehicles: RegisterVehicle stores a pass holder by plate and emits person_registered",
          "[access][vehicles]") {
  World w = WithHost();
  auto r = w.Run(
      RegisterVehicle{"b-ab 1234", "White Volvo tanker", PassKind::kContractor, "Oilco", "", ""});
  REQUIRE(r.reply.ok());
  CHECK(Types(r.effects) == std::vector<std::string>{"access.person_registered"});
  auto ev = Bodies<PersonRegistered>(r.effects).at(0);
  CHECK(ev.person == kTruck);
  CHECK(ev.name == "White Volvo tanker");
  CHECK(ev.kind == PassKind::kContractor);
  CHECK(ev.vehicle);
  CHECK(ev.plate == "b-ab 1234");
  CHECK(ev.driver.empty());
  CHECK(ev.host.empty());
  CHECK_FALSE(ev.walk_up);
  CHECK(r.effects.events[0].actor == "officer-1");

  auto got = w.Run(GetPerson{kTruck}, "").reply.person;
  REQUIRE(got);
  CHECK(got->person.id == kTruck);
  CHECK(got->person.name == "White Volvo tanker");
  CHECK(got->person.aliases == std::vector<std::string>{"b-ab 1234", "BAB1234"});
  CHECK(got->person.kind == PassKind::kContractor);
  CHECK(got->person.company == "Oilco");
  CHECK(got->person.vehicle);
  CHECK(got->person.plate == "b-ab 1234");
  CHECK(got->person.registered_by == "officer-1");
  CHECK(got->person.registered_at == w.now);
  CHECK(got->passes.empty());
  CHECK_FALSE(got->on_site);

  SECTION("a plate written normalized is one alias; a driver and a host are kept") {
    REQUIRE(
        w.Run(RegisterPerson{"d-1", "Dan Driver", {}, PassKind::kContractor, "Oilco"}).reply.ok());
    auto car =
        w.Run(RegisterVehicle{"CAR77", "grey Skoda", PassKind::kContractor, "", "host-1", "d-1"});
    REQUIRE(car.reply.ok());
    auto car_ev = Bodies<PersonRegistered>(car.effects).at(0);
    CHECK(car_ev.person == "veh.CAR77");
    CHECK(car_ev.host == "host-1");
    CHECK(car_ev.driver == "d-1");
    auto stored = AccessStore(w.state).LoadPerson("veh.CAR77");
    REQUIRE(stored);
    CHECK(stored->aliases == std::vector<std::string>{"CAR77"});
    CHECK(stored->driver == "d-1");
    CHECK(stored->host == "host-1");
    auto visitor = w.Run(RegisterVehicle{"m 12", "red van", PassKind::kVisitor, "", "host-1", ""});
    REQUIRE(visitor.reply.ok());
    CHECK(Bodies<PersonRegistered>(visitor.effects).at(0).kind == PassKind::kVisitor);
    REQUIRE(
        w.Run(RegisterVehicle{"S 1", "site pickup", PassKind::kStaff, "Plant", "", ""}).reply.ok());
  }
  SECTION("every refusal changes nothing") {
    REQUIRE(w.Run(RegisterPerson{"c-1", "Cora", {}, PassKind::kContractor, "Fixit"}).reply.ok());
    const auto invalid = CommandError::kInvalidArgument;
    const auto k = PassKind::kContractor;
    CheckRefused(w, RegisterVehicle{"", "x", k, "", "", ""}, invalid);
    CheckRefused(w, RegisterVehicle{" - . ", "x", k, "", "", ""}, invalid);
    CheckRefused(w, RegisterVehicle{"M\xc3\x9c 12", "x", k, "", "", ""}, invalid);
    CheckRefused(w, RegisterVehicle{std::string(17, '7'), "x", k, "", "", ""}, invalid);
    CheckRefused(w, RegisterVehicle{"A" + std::string(40, ' ') + "1", "x", k, "", "", ""},
                 invalid);  // too long as written
    CheckRefused(w, RegisterVehicle{"XY 1", "  ", k, "", "", ""}, invalid);
    CheckRefused(w, RegisterVehicle{"XY 1", std::string(501, 'd'), k, "", "", ""}, invalid);
    CheckRefused(w, RegisterVehicle{"XY 1", "x", k, std::string(501, 'c'), "", ""}, invalid);
    CheckRefused(w, RegisterVehicle{"XY 1", "x", k, "", "", "bad id"}, invalid);
    CheckRefused(w, RegisterVehicle{"XY 1", "x", k, "", "", kTruck}, invalid);  // not a person
    CheckRefused(w, RegisterVehicle{"XY 1", "x", k, "", "", ""}, invalid, /*actor=*/"");
    // Visitor vehicles need their host, a staff member; others may name one.
    CheckRefused(w, RegisterVehicle{"XY 1", "x", PassKind::kVisitor, "", "", ""},
                 CommandError::kUnknownHost);
    CheckRefused(w, RegisterVehicle{"XY 1", "x", PassKind::kVisitor, "", "nobody", ""},
                 CommandError::kUnknownHost);
    CheckRefused(w, RegisterVehicle{"XY 1", "x", k, "", "c-1", ""}, CommandError::kUnknownHost);
    // The same plate however written.
    CheckRefused(w, RegisterVehicle{"BAB-1234", "x", k, "", "", ""}, CommandError::kAlreadyExists);
    CheckRefused(w, RegisterVehicle{"XY 1", "x", k, "", "", "nobody"},
                 CommandError::kUnknownPerson);
  }
  SECTION("person ids starting with veh. are reserved for vehicles") {
    for (const char* id : {"veh.BAB1234", "veh.NEW1", "VEH.x", "Veh.y"}) {
      INFO(id);
      CheckRefused(w, RegisterPerson{id, "X", {}, PassKind::kStaff, ""},
                   CommandError::kInvalidArgument);
      CheckRefused(w, PreRegisterVisitor{id, "X", {}, "", "host-1", kT},
                   CommandError::kInvalidArgument);
      CheckRefused(w, RegisterWalkUp{id, "X", {}, "", "host-1", "host-1", "", ""},
                   CommandError::kInvalidArgument);
    }
    auto r2 = w.Run(RegisterPerson{"veh.NEW1", "X", {}, PassKind::kStaff, ""});
    CHECK(r2.reply.message.find("reserved for vehicles") != std::string::npos);
    REQUIRE(w.Run(RegisterPerson{"vehicle-pool", "Pool", {}, PassKind::kStaff, ""}).reply.ok());
  }
  CHECK_FALSE(IsQuery(Command{"officer-1", RegisterVehicle{}}));
}

TEST_CASE(
    "vehicles: a contractor's truck with a pass is granted, refused by anti-passback and "
    "on the roll call under its description",
    "[access][vehicles]") {
  World w;
  REQUIRE(w.Run(RegisterVehicle{"B-AB 1234", "White Volvo tanker", PassKind::kContractor, "Oilco",
                                "", ""})
              .reply.ok());
  auto issued = w.Run(IssuePass{"T1", kTruck, kFrom, kUntil, {}, {}});
  REQUIRE(issued.reply.ok());
  CHECK(Bodies<PassIssued>(issued.effects).at(0).kind == PassKind::kContractor);
  CheckRefused(w, IssuePass{"T2", kTruck, kFrom, kFrom + 367 * kDay, {}, {}},
               CommandError::kValidityTooLong);  // the contractor kind's limit

  Effects in = w.Scan("T1", "north", Direction::kIn, kT);
  CHECK(Types(in) == std::vector<std::string>{"access.granted", "access.visitor_checked_in"});
  auto granted = Bodies<AccessGranted>(in).at(0);
  CHECK(granted.person == kTruck);
  CHECK(granted.kind == PassKind::kContractor);
  CHECK(granted.pass_code == "T1");
  REQUIRE(in.set.size() == 1);  // contractors track visits: an overstay timer
  CHECK(in.set[0].due == kUntil + 15 * kMinute);
  const uint64_t visit = Bodies<VisitorCheckedIn>(in).at(0).visit;

  const Snapshot before = w.Rows();
  Effects again = w.Scan("T1", "south", Direction::kIn, kT + kMinute);
  auto denied = Bodies<AccessDenied>(again);
  REQUIRE(denied.size() == 1);
  CHECK(denied[0].reason == DenyReason::kAntiPassback);
  CHECK(denied[0].person == kTruck);
  CHECK(w.Rows() == before);

  auto roll = w.Run(ListOnSite{}, "").reply.on_site;
  REQUIRE(roll.size() == 1);
  CHECK(roll[0].name == "White Volvo tanker");
  CHECK(roll[0].visit.person == kTruck);
  CHECK(roll[0].visit.id == visit);
  CHECK(roll[0].visit.pass_code == "T1");
  auto detail = w.Run(GetPerson{kTruck}, "").reply.person;
  REQUIRE(detail);
  REQUIRE(detail->passes.size() == 1);
  CHECK(detail->passes[0].code == "T1");
  REQUIRE(detail->on_site);
  CHECK(detail->on_site->id == visit);

  Effects out = w.Scan("T1", "south", Direction::kOut, kT + kHour);
  CHECK(Types(out) == std::vector<std::string>{"access.granted", "access.visitor_checked_out"});
  CHECK(out.cancel == std::vector<std::string>{keys::OverstayTimerId(visit)});
  CHECK(w.Run(ListOnSite{}, "").reply.on_site.empty());

  SECTION("a manual entry and a check-out by command name the vehicle id") {
    Effects manual = w.access.OnManualEntry(
        ManualEntry{"depot", kTruck, "reader broken", "guard-7", kT + 2 * kHour}, w.state);
    CHECK(Types(manual) == std::vector<std::string>{"access.unregistered_entry"});
    auto roll2 = w.Run(ListOnSite{}, "").reply.on_site;
    REQUIRE(roll2.size() == 1);
    CHECK(roll2[0].name == "White Volvo tanker");
    CHECK(roll2[0].visit.manual);
    REQUIRE(w.Run(CheckOut{kTruck, "depot"}, "guard-7").reply.ok());
    CHECK(w.Run(ListOnSite{}, "").reply.on_site.empty());
  }
}

TEST_CASE(
    "vehicles: a watchlist entry naming the plate matches however it is spaced, cased or "
    "punctuated",
    "[access][vehicles][watchlist]") {
  // Registered as written in the first column, listed as in the second.
  const std::vector<std::pair<std::string, std::string>> cases{
      {"B-AB 1234", "B-AB 1234"}, {"B-AB 1234", "  b-ab   1234 "}, {"B-AB 1234", "BAB1234"},
      {"B-AB 1234", "bab 1234"},  {"B-AB 1234", "B AB-1234"},      {"B-AB 1234", "b.ab.12.34"},
      {"BAB1234", "B-AB 1234"},   {"b ab 1234", "B-AB\t1234"},     {"B-AB1234", "b-ab 1234"},
  };
  for (const auto& [registered, listed] : cases) {
    INFO("registered '" << registered << "', listed '" << listed << "'");
    World w;
    AddTruckWithPass(w, registered);
    auto entry = w.Run(AddWatchlistEntry{listed, "", "stolen", WatchAction::kDeny});
    REQUIRE(entry.reply.ok());
    const Snapshot before = w.Rows();
    Effects fx = w.Scan("T1", "north", Direction::kIn, kT);
    CHECK(Types(fx) == std::vector<std::string>{"access.watchlist_hit", "access.denied"});
    auto hits = Bodies<WatchlistHit>(fx);
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].entry == entry.reply.entry);
    CHECK(hits[0].person == kTruck);
    CHECK(hits[0].reason == "stolen");
    CHECK(hits[0].matched == NormalizeName(listed));
    CHECK(Bodies<AccessDenied>(fx).at(0).reason == DenyReason::kWatchlist);
    CHECK(w.Rows() == before);
  }
}

TEST_CASE("vehicles: watchlist by plate, by vehicle id, on a manual entry, and what does not match",
          "[access][vehicles][watchlist]") {
  World w;
  AddTruckWithPass(w);
  SECTION("notify: granted, with one hit even when two names of the vehicle match") {
    auto e =
        w.Run(AddWatchlistEntry{"B-AB 1234", "", "check the load", WatchAction::kAdmitAndNotify});
    REQUIRE(e.reply.ok());
    Effects fx = w.Scan("T1", "north", Direction::kIn, kT);
    CHECK(Types(fx) == std::vector<std::string>{"access.watchlist_hit", "access.granted",
                                                "access.visitor_checked_in"});
    CHECK(Bodies<WatchlistHit>(fx).at(0).matched == "b-ab 1234");
  }
  SECTION("by the vehicle's id") {
    auto e = w.Run(AddWatchlistEntry{"", kTruck, "escort", WatchAction::kAdmitWithSupervisor});
    REQUIRE(e.reply.ok());
    Effects fx = w.Scan("T1", "north", Direction::kIn, kT);
    CHECK(Bodies<WatchlistHit>(fx).at(0).matched == "person:" + kTruck);
    CHECK(Bodies<AccessDenied>(fx).at(0).reason == DenyReason::kWatchlist);
    auto supervised = Bodies<AccessGranted>(w.Scan("T1", "north", Direction::kIn, kT, "chief"));
    REQUIRE(supervised.size() == 1);
    CHECK(supervised[0].supervisor == "chief");
  }
  SECTION("a manual entry and an arrival of the vehicle are checked too") {
    REQUIRE(w.Run(AddWatchlistEntry{"BAB 1234", "", "stolen", WatchAction::kDeny}).reply.ok());
    Effects manual = w.access.OnManualEntry(
        ManualEntry{"south", kTruck, "reader broken", "guard-7", kT}, w.state);
    CHECK(Types(manual) ==
          std::vector<std::string>{"access.watchlist_hit", "access.unregistered_entry"});
    Effects arrived =
        w.access.OnVisitorArrived(VisitorArrival{"north", kTruck, "guard-7", kT}, w.state);
    CHECK(Types(arrived) ==
          std::vector<std::string>{"access.watchlist_hit", "access.visitor_arrived"});
  }
  SECTION("another plate, a description, or a person's name in plate form do not match") {
    REQUIRE(w.Run(AddWatchlistEntry{"B-AB 12345", "", "other", WatchAction::kDeny}).reply.ok());
    REQUIRE(w.Run(AddWatchlistEntry{"B-AB 123", "", "other", WatchAction::kDeny}).reply.ok());
    REQUIRE(w.Run(AddWatchlistEntry{"IVAN-PETROV", "", "other", WatchAction::kDeny}).reply.ok());
    Effects fx = w.Scan("T1", "north", Direction::kIn, kT);
    CHECK(Bodies<WatchlistHit>(fx).empty());
    CHECK(Bodies<AccessGranted>(fx).size() == 1);
    // People are matched by name as before, not in plate form: "IVAN-PETROV" is not
    // "Ivan Petrov".
    w.AddVisitorWithPass("v-1", "Ivan Petrov", "P1", kFrom, kUntil);
    Effects person = w.Scan("P1", "north", Direction::kIn, kT);
    CHECK(Bodies<WatchlistHit>(person).empty());
    CHECK(Bodies<AccessGranted>(person).size() == 1);
  }
  SECTION("the description is a name like any other") {
    REQUIRE(
        w.Run(AddWatchlistEntry{"white volvo  TANKER", "", "leaks", WatchAction::kAdmitAndNotify})
            .reply.ok());
    CHECK(Bodies<WatchlistHit>(w.Scan("T1", "north", Direction::kIn, kT)).size() == 1);
  }
}

TEST_CASE("vehicles: a visitor's car still on site after its pass's expiry plus grace overstays",
          "[access][vehicles][overstay]") {
  World w = WithHost();
  REQUIRE(w.Run(RegisterVehicle{"M-XY 77", "red Golf", PassKind::kVisitor, "", "host-1", ""})
              .reply.ok());
  REQUIRE(w.Run(IssuePass{"V1", "veh.MXY77", kFrom, kUntil, {}, {}}).reply.ok());
  Effects in = w.Scan("V1", "north", Direction::kIn, kT);
  CHECK(Types(in) == std::vector<std::string>{"access.granted", "access.visitor_checked_in"});
  REQUIRE(in.set.size() == 1);
  const TimerSet timer = in.set[0];
  CHECK(timer.due == kUntil + 15 * kMinute);
  CHECK(AccessStore(w.state).LoadPass("V1")->host == "host-1");

  Effects fx = w.access.OnTimer(TimerFired{timer.id, timer.due, timer.payload}, w.state, timer.due);
  auto o = Bodies<Overstay>(fx);
  REQUIRE(o.size() == 1);
  CHECK(o[0].person == "veh.MXY77");
  CHECK(o[0].pass_code == "V1");
  CHECK(o[0].post == "post-1");
  CHECK(o[0].expired_at == kUntil);
  CHECK(o[0].number == 1);
  REQUIRE(fx.set.size() == 1);
  CHECK(fx.set[0].due == timer.due + 30 * kMinute);

  // Leaving with the expired pass ends the visit and the repeats.
  Effects out = w.Scan("V1", "north", Direction::kOut, kUntil + kHour);
  CHECK(Types(out) == std::vector<std::string>{"access.granted", "access.visitor_checked_out"});
  CHECK(out.cancel == std::vector<std::string>{timer.id});
  CHECK(w.access
            .OnTimer(TimerFired{fx.set[0].id, fx.set[0].due, fx.set[0].payload}, w.state,
                     fx.set[0].due)
            .events.empty());
}

}  // namespace picket::access
