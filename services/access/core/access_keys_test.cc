#include "access/core/access_keys.h"

#include <catch2/catch.hpp>

#include "access/core/access_types.h"
#include "base/hex.h"

namespace picket::access {
namespace {

// The bytes of lowercase hex (the test's own input: well-formed).
std::string Unhex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  return out;
}

}  // namespace

TEST_CASE("access keys: the table names are frozen", "[access][keys]") {
  CHECK(keys::AllTables() == std::vector<std::string>{"people", "passes", "person_passes",
                                                      "watchlist", "watchlist_index", "visits",
                                                      "visits_by_day", "on_site", "arrivals",
                                                      "access_counters", "pending_walkups"});
}

TEST_CASE("access keys: composite keys are pinned byte for byte", "[access][keys]") {
  CHECK(Hex(keys::PersonPassKey("ann", "P1")) ==
        "616e6e00"
        "5031");
  CHECK(keys::DecodePersonPassKey(keys::PersonPassKey("ann", "P1")) == "P1");
  CHECK_FALSE(keys::DecodePersonPassKey("ann"));
  CHECK(Hex(keys::WatchNameKey("ivan petrov", 2)) ==
        "6e"
        "6976616e20706574726f76"
        "00"
        "0000000000000002");
  CHECK(Hex(keys::WatchPersonKey("v-1", 3)) ==
        "70"
        "762d31"
        "00"
        "0000000000000003");
  CHECK(keys::DecodeWatchIndexId(keys::WatchNameKey("x y", 77)) == 77u);
  CHECK(keys::WatchAnyNamePrefix() == "n");
  CHECK(keys::DecodeWatchNameKey(keys::WatchNameKey("x y", 77)) == "x y");
  CHECK_FALSE(keys::DecodeWatchNameKey(keys::WatchPersonKey("x", 77)));
  CHECK_FALSE(keys::DecodeWatchNameKey("n"));
  CHECK_FALSE(keys::DecodeWatchIndexId("short"));
  CHECK(Hex(keys::OverstayTimerId(5)) ==
        "6f76732f"
        "0000000000000005");
  CHECK(keys::DecodeOverstayTimerId(keys::OverstayTimerId(5)) == 5u);
  CHECK_FALSE(keys::DecodeOverstayTimerId("esc/00000000"));
  CHECK(Hex(keys::OverstayPayload(2)) == "00000002");
  CHECK(keys::DecodeOverstayPayload(keys::OverstayPayload(9)) == 9u);
}

TEST_CASE("access keys: visits by day sort by entry time, before 1970 too", "[access][keys]") {
  const Micros day = 86400 * kMicrosPerSecond;
  CHECK(keys::DayOf(0) == 0x80000000u);
  CHECK(keys::DayOf(day - 1) == 0x80000000u);
  CHECK(keys::DayOf(day) == 0x80000001u);
  CHECK(keys::DayOf(-1) == 0x7fffffffu);
  CHECK(Hex(keys::VisitTimeKey(1, 9)) ==
        "80000000"
        "8000000000000001"
        "0000000000000009");
  std::vector<Micros> times{-day - 5, -1, 0, 1, day, 3 * day + 7};
  for (size_t i = 0; i + 1 < times.size(); ++i)
    CHECK(keys::VisitTimeKey(times[i], 100) < keys::VisitTimeKey(times[i + 1], 1));
  auto parts = keys::DecodeVisitTimeKey(keys::VisitTimeKey(-day - 5, 42));
  REQUIRE(parts);
  CHECK(parts->checked_in_at == -day - 5);
  CHECK(parts->visit == 42u);
  std::string wrong_day = keys::VisitTimeKey(5, 1);
  wrong_day[3] = 9;
  CHECK_FALSE(keys::DecodeVisitTimeKey(wrong_day));
}

TEST_CASE("access records: a pass record is pinned and round-trips", "[access][keys]") {
  Pass p;
  p.code = "C";
  p.person = "v";
  p.kind = PassKind::kContractor;
  p.valid_from = 1;
  p.valid_until = 2;
  p.gates = {"g"};
  p.hours = DailyHours{360, 1320};
  p.host = "h";
  p.issued_by = "o";
  p.issued_at = 3;
  p.extensions = 4;
  const std::string bytes = EncodePass(p);
  CHECK(Hex(bytes) ==
        "01"
        "0000000143"
        "0000000176"
        "02"
        "0000000000000001"
        "0000000000000002"
        "00000001"
        "0000000167"
        "01"
        "00000168"
        "00000528"
        "0000000168"
        "000000016f"
        "0000000000000003"
        "00"
        "00000000"
        "00000000"
        "0000000000000000"
        "00000004");
  CHECK(DecodePass(bytes) == p);
  p.revoked = true;
  p.revoked_by = "chief";
  p.revoked_reason = "lost";
  p.revoked_at = 9;
  p.hours.reset();
  CHECK(DecodePass(EncodePass(p)) == p);
  CHECK_FALSE(DecodePass(bytes.substr(0, bytes.size() - 1)));
  std::string bad_kind = bytes;
  bad_kind[11] = 7;
  CHECK_FALSE(DecodePass(bad_kind));
}

TEST_CASE("access records: people, watchlist entries, visits, arrivals round-trip",
          "[access][keys]") {
  Person person{"v-1",       "Ivan Petrov",
                {"Vanya"},   PassKind::kVisitor,
                "Acme",      "host-1",
                "officer-1", 10,
                20,          true,
                "chief",     false,
                "",          ""};
  CHECK(DecodePerson(EncodePerson(person)) == person);
  WatchlistEntry e{7, "Ivan  Petrov", "", "banned", WatchAction::kAdmitWithSupervisor, "o", 5};
  CHECK(DecodeWatchlistEntry(EncodeWatchlistEntry(e)) == e);
  std::string bad_action = EncodeWatchlistEntry(e);
  bad_action[1 + 8 + 4 + 12 + 4 + 0 + 4 + 6] = 9;  // the action byte
  CHECK_FALSE(DecodeWatchlistEntry(bad_action));
  Visit v;
  v.id = 3;
  v.person = "v-1";
  v.pass_code = "P";
  v.gate = "north";
  v.post = "post-1";
  v.guard_in = "g";
  v.arrived_at = 1;
  v.checked_in_at = 2;
  v.waited = 1;
  v.preregistered = true;
  v.checked_out_at = 4;
  v.checked_out_by = "g2";
  v.exit_gate = "south";
  CHECK(DecodeVisit(EncodeVisit(v)) == v);
  v.manual = true;
  v.note = "scanner broken";
  CHECK(DecodeVisit(EncodeVisit(v)) == v);
  Arrival a{8, "north"};
  CHECK(DecodeArrival(EncodeArrival(a)) == a);
  CHECK_FALSE(DecodeArrival("\x02"));
  CHECK_FALSE(DecodePerson(""));
}

TEST_CASE("access records: a person record written before vehicles still decodes",
          "[access][keys][vehicles]") {
  // The person record as written before the vehicle fields were appended. DO NOT CHANGE:
  // rows like this are in the service's RocksDB.
  const std::string before_vehicles = Unhex(
      "01"
      "00000003"
      "762d31"  // id v-1
      "00000004"
      "4976616e"  // name Ivan
      "00000001"
      "00000005"
      "56616e7961"  // aliases [Vanya]
      "01"          // visitor
      "00000004"
      "41636d65"  // company Acme
      "00000001"
      "68"  // host h
      "00000001"
      "6f"                // registered_by o
      "000000000000000a"  // registered_at 10
      "0000000000000014"  // expected_at 20
      "01"                // walk_up
      "00000001"
      "63");  // approved_by c
  Person want;
  want.id = "v-1";
  want.name = "Ivan";
  want.aliases = {"Vanya"};
  want.kind = PassKind::kVisitor;
  want.company = "Acme";
  want.host = "h";
  want.registered_by = "o";
  want.registered_at = 10;
  want.expected_at = 20;
  want.walk_up = true;
  want.approved_by = "c";
  auto got = DecodePerson(before_vehicles);
  REQUIRE(got);
  CHECK(*got == want);
  CHECK_FALSE(got->vehicle);
  CHECK(got->plate.empty());
  CHECK(got->driver.empty());
  // Written now, the same person carries the appended fields (no vehicle, no plate, no
  // driver) and decodes to the same value.
  CHECK(Hex(EncodePerson(want)) == Hex(before_vehicles) +
                                       "00"
                                       "00000000"
                                       "00000000");
  CHECK(DecodePerson(EncodePerson(want)) == want);
  // vehicle and plate without the driver (the driver came in the same change, but a
  // reader tolerates it missing); a vehicle flag cut short is malformed.
  Person vehicle_no_driver = want;
  vehicle_no_driver.vehicle = true;
  vehicle_no_driver.plate = "p";
  CHECK(DecodePerson(before_vehicles + Unhex("01"
                                             "00000001"
                                             "70")) == vehicle_no_driver);
  CHECK_FALSE(DecodePerson(before_vehicles + Unhex("01")));
  CHECK_FALSE(DecodePerson(before_vehicles + Unhex("07")));
}

TEST_CASE("access records: a vehicle's person record is pinned and round-trips",
          "[access][keys][vehicles]") {
  Person v;
  v.id = "veh.BAB1";
  v.name = "Tanker";
  v.aliases = {"b-ab 1", "BAB1"};
  v.kind = PassKind::kContractor;
  v.company = "Oil";
  v.registered_by = "o";
  v.registered_at = 10;
  v.vehicle = true;
  v.plate = "b-ab 1";
  v.driver = "d-1";
  const std::string bytes = EncodePerson(v);
  CHECK(Hex(bytes) ==
        "01"
        "00000008"
        "7665682e42414231"
        "00000006"
        "54616e6b6572"
        "00000002"
        "00000006"
        "622d61622031"
        "00000004"
        "42414231"
        "02"
        "00000003"
        "4f696c"
        "00000000"
        "00000001"
        "6f"
        "000000000000000a"
        "0000000000000000"
        "00"
        "00000000"
        "01"  // vehicle
        "00000006"
        "622d61622031"  // plate as written
        "00000003"
        "642d31");  // driver
  CHECK(DecodePerson(bytes) == v);
}

TEST_CASE("access names: plates normalize to letters and digits, vehicle ids are reserved",
          "[access][keys][vehicles]") {
  CHECK(NormalizePlate("b-ab 1234") == "BAB1234");
  CHECK(NormalizePlate("  B.AB\t12/34 ") == "BAB1234");
  CHECK(NormalizePlate("BAB1234") == "BAB1234");
  CHECK(NormalizePlate("x") == "X");
  CHECK(NormalizePlate(std::string(16, '9')) == std::string(16, '9'));
  CHECK(NormalizePlate(std::string(17, '9')).empty());
  CHECK(NormalizePlate("1-2-3-4-5-6-7-8-9-0-1-2-3-4-5-6") == "1234567890123456");
  CHECK(NormalizePlate("").empty());
  CHECK(NormalizePlate(" - . ").empty());
  CHECK(NormalizePlate("M\xc3\x9c 12").empty());  // non-ASCII refused
  CHECK(NormalizePlate(std::string("AB\0"
                                   "12",
                                   5))
            .empty());  // control characters refused
  CHECK(NormalizePlate("AB\x7f"
                       "12")
            .empty());
  CHECK(VehicleId("b-ab 1234") == "veh.BAB1234");
  CHECK(IsValidId(VehicleId("b-ab 1234")));
  CHECK(IsValidId(VehicleId(std::string(16, 'z'))));
  CHECK(VehicleId("--").empty());
  CHECK(IsVehicleId("veh.BAB1234"));
  CHECK(IsVehicleId("VEH.x"));
  CHECK(IsVehicleId("veh."));
  CHECK_FALSE(IsVehicleId("veh"));
  CHECK_FALSE(IsVehicleId("vehicle-1"));
  CHECK_FALSE(IsVehicleId("v-1"));
}

TEST_CASE("access names: watchlist matching ignores case and whitespace", "[access][keys]") {
  CHECK(NormalizeName("  Ivan \t  PETROV ") == "ivan petrov");
  CHECK(NormalizeName("ivan petrov") == NormalizeName("IVAN\nPetrov"));
  CHECK(NormalizeName("Ivan Petrova") != NormalizeName("Ivan Petrov"));
  CHECK(NormalizeName(" \t ").empty());
  CHECK(NormalizeName("J\xc3\x96RG") == "j\xc3\x96rg");  // bytes >= 0x80 kept as they are
  CHECK(IsValidId("host-1"));
  CHECK_FALSE(IsValidId("host 1"));
  CHECK_FALSE(IsValidId(""));
  CHECK(IsValidPassCode("QR:8F2A"));
  CHECK_FALSE(IsValidPassCode("a b"));
  CHECK_FALSE(IsValidPassCode(std::string(65, 'x')));
}

}  // namespace picket::access

namespace picket::access {

TEST_CASE("access records: a pending walk-up is pinned byte for byte and round-trips",
          "[access][keys][walkup]") {
  PendingWalkUp w{"w-1", "Wa", {"W"}, "A", "h", "p", "g", "gd", 16};
  const std::string bytes = EncodePendingWalkUp(w);
  // DO NOT CHANGE: rows like this are in the service's RocksDB (table pending_walkups).
  CHECK(Hex(bytes) ==
        "01"
        "00000003"
        "772d31"  // person w-1
        "00000002"
        "5761"  // name Wa
        "00000001"
        "00000001"
        "57"  // aliases [W]
        "00000001"
        "41"  // company A
        "00000001"
        "68"  // host h
        "00000001"
        "70"  // post p
        "00000001"
        "67"  // gate g
        "00000002"
        "6764"                // requested_by gd
        "0000000000000010");  // requested_at 16
  CHECK(DecodePendingWalkUp(bytes) == w);
  CHECK_FALSE(DecodePendingWalkUp(bytes.substr(0, bytes.size() - 1)));
  CHECK_FALSE(DecodePendingWalkUp("\x02"));
}

}  // namespace picket::access
