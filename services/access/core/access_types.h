// The domain values of picket-access and their stored encodings: people, passes,
// watchlist entries, visits and gate arrivals.
//
// Records use domain/record_codec.h (fixed-width big-endian integers, length-prefixed
// strings, a leading format byte). DO NOT CHANGE an encoding or a stored enum number:
// they are in the service's RocksDB. New fields go at the end and are read only if
// present. access_keys_test.cc pins the formats.
//
// Times are Micros (UTC). Validity of a pass is the half-open window
// [valid_from, valid_until): exactly at valid_from the pass is valid, exactly at
// valid_until it has expired.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "domain/site_time.h"

namespace picket::access {

// DO NOT CHANGE the numbers: stored.
enum class PassKind : uint8_t { kVisitor = 1, kContractor = 2, kStaff = 3 };
std::string_view PassKindName(PassKind k);  // "visitor", "contractor", "staff"
std::optional<PassKind> ParsePassKind(std::string_view name);

enum class Direction : uint8_t { kIn = 1, kOut = 2 };  // DO NOT CHANGE: stored
std::string_view DirectionName(Direction d);           // "in", "out"

// What a watchlisted person presenting at a gate leads to. DO NOT CHANGE: stored.
enum class WatchAction : uint8_t {
  kDeny = 1,                 // refused (reason "watchlist")
  kAdmitWithSupervisor = 2,  // refused unless the scan names a supervisor (an officer)
  kAdmitAndNotify = 3,       // admitted; the hit is on the bus for whoever must know
};
std::string_view WatchActionName(WatchAction a);  // "deny", "supervisor", "notify"
std::optional<WatchAction> ParseWatchAction(std::string_view name);

// A person the site knows. Visitors are created by pre-registration or a walk-up;
// staff and contractors by RegisterPerson. A vehicle (RegisterVehicle) is a pass holder
// like a person, in the same table: id VehicleId(plate), name its description, aliases
// its plate as written and normalized, `vehicle` set.
struct Person {
  std::string id;  // 1..64 of [A-Za-z0-9._@-]
  std::string name;
  std::vector<std::string> aliases;  // other names the person is known by
  PassKind kind = PassKind::kVisitor;
  std::string company;
  std::string host;  // visitors: the staff member they visit
  std::string registered_by;
  Micros registered_at = 0;
  Micros expected_at = 0;   // pre-registered visitors; 0 otherwise
  bool walk_up = false;     // registered at the gate rather than in advance
  std::string approved_by;  // walk-ups: who approved (host or officer), or empty
  bool vehicle = false;     // a vehicle (RegisterVehicle), not a person
  std::string plate;        // vehicles: the plate as written; empty otherwise
  std::string driver;       // vehicles: the person id of its usual driver, or empty
  friend bool operator==(const Person&, const Person&) = default;
};

struct Pass {
  std::string code;  // what the scanner reads; 1..64 printable ASCII, no spaces
  std::string person;
  PassKind kind = PassKind::kVisitor;
  Micros valid_from = 0;
  Micros valid_until = 0;           // > valid_from; expired from this instant on
  std::vector<std::string> gates;   // empty: the kind's default gates (empty: every gate)
  std::optional<DailyHours> hours;  // none: the kind's default hours (none: any time)
  std::string host;
  std::string issued_by;
  Micros issued_at = 0;
  bool revoked = false;
  std::string revoked_by;
  std::string revoked_reason;
  Micros revoked_at = 0;
  uint32_t extensions = 0;  // how many times ExtendPass moved valid_until
  friend bool operator==(const Pass&, const Pass&) = default;
};

struct WatchlistEntry {
  uint64_t id = 0;
  std::string name;    // a name or alias as written (matched after NormalizeName), or empty
  std::string person;  // a person id it names, or empty (at least one of the two is set)
  std::string reason;
  WatchAction action = WatchAction::kDeny;
  std::string added_by;
  Micros added_at = 0;
  friend bool operator==(const WatchlistEntry&, const WatchlistEntry&) = default;
};

// One stay on site: from an entry (a granted scan in, or a manual entry) to its exit.
struct Visit {
  uint64_t id = 0;
  std::string person;     // person id, or for a manual entry the name as typed
  std::string pass_code;  // empty for a manual entry
  PassKind kind = PassKind::kVisitor;
  std::string gate;
  std::string post;
  std::string guard_in;      // the guard on duty who let them in (the scan's actor)
  Micros arrived_at = 0;     // at the gate (VisitorArrived), 0 if not recorded
  Micros checked_in_at = 0;  // the entry
  Micros waited = 0;         // checked_in_at - arrived_at (0 if no arrival)
  bool manual = false;       // a manual entry without a pass: unregistered
  bool preregistered = false;
  std::string note;           // a manual entry's reason
  Micros checked_out_at = 0;  // 0 while on site
  std::string checked_out_by;
  std::string exit_gate;
  bool on_site() const { return checked_out_at == 0; }
  friend bool operator==(const Visit&, const Visit&) = default;
};

// A visitor announced at a gate, waiting to be let in.
struct Arrival {
  Micros at = 0;
  std::string gate;
  friend bool operator==(const Arrival&, const Arrival&) = default;
};

// A walk-up registered at the gate without approval where the site requires it, waiting
// for its host or an officer (ApproveWalkUp / DenyWalkUp). Keyed by the person id.
struct PendingWalkUp {
  std::string person, name;
  std::vector<std::string> aliases;
  std::string company;
  std::string host;
  std::string post;          // the requesting guard's post, or empty
  std::string gate;          // the gate they wait at, or empty
  std::string requested_by;  // the guard (the command's actor)
  Micros requested_at = 0;
  friend bool operator==(const PendingWalkUp&, const PendingWalkUp&) = default;
};

// Watchlist matching key: ASCII letters lowercased, leading/trailing whitespace removed,
// inner runs of whitespace made one space ("  Ivan   PETROV " -> "ivan petrov"). Bytes
// >= 0x80 are kept as they are (no Unicode case folding in the core).
std::string NormalizeName(std::string_view name);

// 1..64 bytes of [A-Za-z0-9._@-] (person ids, gate ids).
bool IsValidId(std::string_view id);

// Vehicles. A plate is normalized by uppercasing ASCII letters, keeping digits and
// dropping ASCII whitespace and punctuation (spaces, '-', '.', '/', ...): "b-ab 1234" ->
// "BAB1234". Any other byte (control characters, bytes >= 0x80) refuses the plate, as
// does a result outside 1..kMaxPlateChars: NormalizePlate then returns "".
inline constexpr size_t kMaxPlateChars = 16;
std::string NormalizePlate(std::string_view plate);
// "veh." + NormalizePlate(plate), a valid person id; "" if the plate is not valid.
std::string VehicleId(std::string_view plate);
// True for ids reserved for vehicles: starting with "veh." in any case. RegisterPerson,
// PreRegisterVisitor and RegisterWalkUp refuse them.
bool IsVehicleId(std::string_view id);
// 1..64 bytes of printable ASCII without spaces (pass codes).
bool IsValidPassCode(std::string_view code);

std::string EncodePerson(const Person& p);
std::optional<Person> DecodePerson(std::string_view bytes);
std::string EncodePass(const Pass& p);
std::optional<Pass> DecodePass(std::string_view bytes);
std::string EncodeWatchlistEntry(const WatchlistEntry& e);
std::optional<WatchlistEntry> DecodeWatchlistEntry(std::string_view bytes);
std::string EncodeVisit(const Visit& v);
std::optional<Visit> DecodeVisit(std::string_view bytes);
std::string EncodeArrival(const Arrival& a);
std::optional<Arrival> DecodeArrival(std::string_view bytes);
std::string EncodePendingWalkUp(const PendingWalkUp& w);
std::optional<PendingWalkUp> DecodePendingWalkUp(std::string_view bytes);

}  // namespace picket::access
