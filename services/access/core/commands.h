// The commands and queries picket-access answers, and its replies, as domain values (the
// adapter converts AccessRequest / AccessReply of schemas/access.capnp). Every command
// names the person acting (`actor`, required). Who may send which command (roles) is the
// adapter's check, not the core's; the core checks the command against the state and the
// configuration.
//
// Expected refusals are Reply values with an error code and a sentence; a refused command
// changes nothing and emits nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "access/core/access_types.h"
#include "access/core/events.h"
#include "base/clock.h"

namespace picket::access {

// Registers a staff member or a contractor (visitors come by the two commands below).
struct RegisterPerson {
  std::string person, name;
  std::vector<std::string> aliases;
  PassKind kind = PassKind::kStaff;  // staff or contractor
  std::string company;
};
// A visitor announced in advance by their host.
struct PreRegisterVisitor {
  std::string person, name;
  std::vector<std::string> aliases;
  std::string company;
  std::string host;        // a registered staff member
  Micros expected_at = 0;  // > 0
};
// A visitor registered at the gate. `approved_by`, if given, must be the host or an
// officer: the visitor is registered at once. Without it, where the site requires approval
// (walkups_need_approval), the request waits as a PendingWalkUp (reply.pending) for
// ApproveWalkUp or DenyWalkUp; a second request for a pending person is kAlreadyPending.
struct RegisterWalkUp {
  std::string person, name;
  std::vector<std::string> aliases;
  std::string company;
  std::string host;
  std::string approved_by;
  std::string post;  // the requesting guard's post, optional (an id)
  std::string gate;  // the gate the visitor waits at, optional (a configured gate)
};
// A pending walk-up approved by its host or an officer (`by`): registered exactly as an
// approved RegisterWalkUp, the request removed.
struct ApproveWalkUp {
  std::string person, by;
};
// A pending walk-up refused by its host or an officer, with a reason (required).
struct DenyWalkUp {
  std::string person, by, reason;
};
// A vehicle (a truck, a contractor's car) as a pass holder: stored as a Person with id
// VehicleId(plate), name = description, aliases = the plate as written and normalized,
// vehicle = true. Passes, scans, visits, the roll call, overstay and the watchlist then
// treat it like a person.
struct RegisterVehicle {
  std::string plate;        // as written; 1..16 letters and digits once normalized
  std::string description;  // required, like a name ("white Volvo FH tanker")
  PassKind kind = PassKind::kContractor;
  std::string company;
  std::string host;    // visitor vehicles: a registered staff member, required; else optional
  std::string driver;  // optional: the person id of its driver; must be registered
};
// A pass for a registered person; its kind is the person's kind.
struct IssuePass {
  std::string code, person;
  Micros valid_from = 0, valid_until = 0;  // valid_from < valid_until, until in the future
  std::vector<std::string> gates;          // configured gates; empty = the kind's default
  std::optional<DailyHours> hours;         // none = the kind's default
};
struct RevokePass {
  std::string code, reason;  // reason required
};
// Moves valid_until later (and an open visit's overstay timer with it).
struct ExtendPass {
  std::string code;
  Micros valid_until = 0;
};
// A guard checks someone out by hand (no scan): ends their visit.
struct CheckOut {
  std::string person;  // a person key (id, or the name a manual entry recorded)
  std::string gate;    // where they left, may be empty
};
// A watchlist entry names a name/alias (matched case- and whitespace-insensitively), a
// person id, or both.
struct AddWatchlistEntry {
  std::string name, person, reason;  // reason required
  WatchAction action = WatchAction::kDeny;
};
struct RemoveWatchlistEntry {
  uint64_t entry = 0;
  std::string reason;  // required
};
// Queries: they change nothing.
struct GetPass {
  std::string code;
};
struct GetPerson {
  std::string person;
};
// Visits whose entry is in [from, to); at most kMaxQueryRange long.
struct ListVisits {
  Micros from = 0, to = 0;
};
// Everyone on site now (the evacuation roll call), by person key.
struct ListOnSite {};
// Registration compliance of one post (empty: every post) for entries in [from, to).
struct GetCompliance {
  std::string post;
  Micros from = 0, to = 0;
};
struct ListWatchlist {};
// The walk-ups waiting for approval, oldest first.
struct ListPendingWalkUps {};

using CommandBody =
    std::variant<RegisterPerson, PreRegisterVisitor, RegisterWalkUp, IssuePass, RevokePass,
                 ExtendPass, CheckOut, AddWatchlistEntry, RemoveWatchlistEntry, GetPass, GetPerson,
                 ListVisits, ListOnSite, GetCompliance, ListWatchlist, RegisterVehicle,
                 ApproveWalkUp, DenyWalkUp, ListPendingWalkUps>;

struct Command {
  std::string actor;  // who is acting; required for every command but the queries
  CommandBody body;
};
bool IsQuery(const Command& c);

inline constexpr size_t kMaxTextBytes = 500;
inline constexpr size_t kMaxAliases = 16;
inline constexpr size_t kMaxPlateBytes = 32;  // a plate as written, separators included
inline constexpr Micros kMaxQueryRange = 31LL * 24 * 3600 * kMicrosPerSecond;

// DO NOT CHANGE the numbers: they are on the wire (AccessError).
enum class CommandError : uint8_t {
  kNone = 0,
  kInvalidArgument = 1,   // empty/too long/malformed field, bad time range
  kUnknownPerson = 2,     // no person with that id
  kUnknownPass = 3,       // no pass with that code
  kAlreadyExists = 4,     // the person id or pass code is taken
  kUnknownHost = 5,       // the host is not a registered staff member
  kApprovalRequired = 6,  // a walk-up without approval where the site requires it
  kNotAuthorized = 7,     // the approver is neither the host nor an officer
  kUnknownGate = 8,       // a gate the configuration lacks
  kAlreadyRevoked = 9,    // revoke of a revoked pass
  kRevoked = 10,          // extend of a revoked pass
  kNotOnSite = 11,        // check-out of someone not on site
  kUnknownEntry = 12,     // no watchlist entry with that id
  kValidityTooLong = 13,  // longer than the kind's max_validity
  // 14 and 15 are the wire's malformed and unavailable (the adapter's, never the core's).
  kAlreadyPending = 16,  // a walk-up request for that person is already waiting
  kNotPending = 17,      // approve/deny: no walk-up request pending for that person
};
std::string_view CommandErrorName(CommandError e);

// One line of the roll call.
struct OnSiteEntry {
  Visit visit;
  std::string name;  // the registered name, or the person key for a manual entry
};

// Registration compliance figures: what share of entries at a post were registered.
struct Compliance {
  uint32_t entries = 0;        // every entry (visit) in the period
  uint32_t with_pass = 0;      // by a granted scan
  uint32_t unregistered = 0;   // manual entries
  uint32_t visitors = 0;       // entries on passes of a kind that tracks visits
  uint32_t preregistered = 0;  // of those, visitors registered in advance
  uint32_t announced = 0;      // of those, with a recorded arrival (a wait time)
  Micros total_wait = 0;
  Micros max_wait = 0;
  // with_pass per thousand entries (1000 when there were none: nothing went unregistered).
  uint32_t registered_permille() const { return entries ? with_pass * 1000 / entries : 1000; }
  Micros mean_wait() const { return announced ? total_wait / announced : 0; }
};

struct PersonDetail {
  Person person;
  std::vector<Pass> passes;
  std::optional<Visit> on_site;
};

struct Reply {
  CommandError error = CommandError::kNone;
  std::string message;  // for a person; empty on success
  uint64_t entry = 0;   // AddWatchlistEntry: the new entry's id
  std::optional<Pass> pass;
  std::optional<PersonDetail> person;
  std::vector<Visit> visits;
  std::vector<OnSiteEntry> on_site;
  std::optional<Compliance> compliance;
  std::vector<WatchlistEntry> watchlist;
  bool pending = false;                        // RegisterWalkUp: waiting for approval
  std::vector<PendingWalkUp> pending_walkups;  // ListPendingWalkUps, oldest first
  bool ok() const { return error == CommandError::kNone; }
};

struct CommandResult {
  Reply reply;
  Effects effects;  // empty unless the command succeeded
};

}  // namespace picket::access
