// What the access core emits: one OutgoingEvent per decision or change, as plain values.
// The adapter (wire_convert.h) copies them into schemas/access.capnp's bodies. Field names
// follow what escalation's rules already read (escalation/core/trigger_catalog.cc):
// access.denied {post reason person pass_code}, access.watchlist_hit {post person reason},
// access.unregistered_entry {post person note}, access.overstay {post person pass_code}.
// Every body here carries those fields under those names, and more.
//
// The envelope's actor is the person who caused it (the guard at the gate, the officer
// issuing a command); empty for a timer. `at` is the envelope's observed time: the fact's
// own time for gate facts, the handler's `now` for commands and timers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "access/core/access_types.h"
#include "base/clock.h"

namespace picket::access {

// Why a scan was refused, numbered in the order they are checked (docs/access.md,
// "Decision order"): the first that applies is the one reported. The numbers are not
// stored; DO NOT CHANGE the names: they are on the bus, and escalation rules match on
// them (access.denied's `reason`).
enum class DenyReason : uint8_t {
  kUnknownGate = 1,   // "unknown_gate": the scan came from a gate the config lacks
  kUnknownPass = 2,   // "unknown_pass": no pass with that code
  kRevoked = 3,       // "revoked"
  kWatchlist = 4,     // "watchlist": a deny entry, or a supervisor entry without one
  kNotYetValid = 5,   // "not_yet_valid": before valid_from
  kExpired = 6,       // "expired": at or after valid_until
  kWrongGate = 7,     // "wrong_gate": the pass does not open this gate
  kOutsideHours = 8,  // "outside_hours": the gate or the pass is closed now (local time)
  kAntiPassback = 9,  // "anti_passback": in while on site, or out while not on site
};
std::string_view DenyReasonName(DenyReason r);

// access.granted
struct AccessGranted {
  std::string post, gate, person, pass_code;
  Direction direction = Direction::kIn;
  PassKind kind = PassKind::kVisitor;
  std::string supervisor;  // the officer named on the scan (watchlist "supervisor"), or ""
};
// access.denied
struct AccessDenied {
  std::string post, gate;
  DenyReason reason = DenyReason::kUnknownPass;
  std::string person;  // the pass's person, or "" for an unknown pass
  std::string pass_code;
  Direction direction = Direction::kIn;
};
// access.watchlist_hit: a watchlisted person presented (scan, manual entry or arrival),
// whatever the decision.
struct WatchlistHit {
  std::string post, gate, person;
  std::string reason;  // the entry's reason
  WatchAction action = WatchAction::kDeny;
  uint64_t entry = 0;
  std::string matched;  // what matched: "person:<id>" or the normalized name
};
// access.unregistered_entry: a guard let someone in without a pass.
struct UnregisteredEntry {
  std::string post, gate, person, note;
  uint64_t visit = 0;
};
// access.visitor_arrived: a visitor announced at a gate (the wait starts).
struct VisitorArrived {
  std::string post, gate, person;
};
// access.visitor_checked_in (passes of a kind that tracks visits)
struct VisitorCheckedIn {
  std::string post, gate, person, pass_code;
  uint64_t visit = 0;
  Micros waited = 0;  // at the gate, since VisitorArrived; 0 if not announced
};
// access.visitor_checked_out
struct VisitorCheckedOut {
  std::string post, gate, person, pass_code;
  uint64_t visit = 0;
  Micros stayed = 0;        // checked out - checked in
  bool by_command = false;  // a guard's CheckOut rather than a scan out
};
// access.overstay: still on site at pass expiry + grace (and at each repeat).
struct Overstay {
  std::string post, person, pass_code;
  uint64_t visit = 0;
  Micros expired_at = 0;  // the pass's valid_until
  uint32_t number = 0;    // 1 the first, 2 the first repeat, ...
  Micros lateness = 0;    // how late the timer was handled
};
// Command events. access.person_registered (RegisterPerson, PreRegisterVisitor, walk-up,
// RegisterVehicle: then `person` is the vehicle's id and `name` its description)
struct PersonRegistered {
  std::string person, name, host;
  PassKind kind = PassKind::kVisitor;
  bool walk_up = false;
  std::string approved_by;
  Micros expected_at = 0;
  bool vehicle = false;  // RegisterVehicle
  std::string plate;     // vehicles: the plate as written
  std::string driver;    // vehicles: the driver's person id, or empty
};
// access.pass_issued
struct PassIssued {
  std::string person, pass_code;
  PassKind kind = PassKind::kVisitor;
  Micros valid_from = 0, valid_until = 0;
};
// access.pass_revoked
struct PassRevoked {
  std::string person, pass_code, reason;
};
// access.pass_extended
struct PassExtended {
  std::string person, pass_code;
  Micros previous_until = 0, valid_until = 0;
};
// access.watchlist_added / access.watchlist_removed
struct WatchlistAdded {
  uint64_t entry = 0;
  std::string name, person, reason;
  WatchAction action = WatchAction::kDeny;
};
struct WatchlistRemoved {
  uint64_t entry = 0;
  std::string reason;
};

// access.walkup_requested: a walk-up waiting for approval (the actor is the guard).
struct WalkUpRequested {
  std::string person, name, company, host, post, gate;
  Micros requested_at = 0;
};
// access.walkup_approved: after the access.person_registered of the same approval.
struct WalkUpApproved {
  std::string person, name, host, approved_by;
  Micros requested_at = 0;
  Micros waited = 0;  // approval - request
};
// access.walkup_denied
struct WalkUpDenied {
  std::string person, name, host, denied_by, reason;
  Micros requested_at = 0;
};

using EventBody =
    std::variant<AccessGranted, AccessDenied, WatchlistHit, UnregisteredEntry, VisitorArrived,
                 VisitorCheckedIn, VisitorCheckedOut, Overstay, PersonRegistered, PassIssued,
                 PassRevoked, PassExtended, WatchlistAdded, WatchlistRemoved, WalkUpRequested,
                 WalkUpApproved, WalkUpDenied>;

struct OutgoingEvent {
  std::string actor;
  Micros at = 0;
  EventBody body;
  // The bus type, e.g. "access.denied". DO NOT CHANGE the names: on the bus.
  std::string_view type() const;
};
std::string_view EventTypeName(const EventBody& body);

// A keyed timer effect for the runtime's timers (ServiceStore::SetTimer): setting an id
// again moves it.
struct TimerSet {
  std::string id;
  Micros due = 0;
  std::string payload;
  friend bool operator==(const TimerSet&, const TimerSet&) = default;
};

struct Effects {
  std::vector<OutgoingEvent> events;  // in order; to the outbox, then the bus
  std::vector<std::string> cancel;    // timer ids to cancel; applied before `set`
  std::vector<TimerSet> set;
};

}  // namespace picket::access
