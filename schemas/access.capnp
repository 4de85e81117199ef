# picket-access: gate decisions, visits, passes, the watchlist, and the commands that
# change them (docs/access.md). Fields are only ever added; numbers, ids and enum values
# are fixed forever. Times are Int64 microseconds since the Unix epoch (UTC); durations
# are Int64 µs.
#
# Command endpoint (ROUTER, `access.commands` in site.toml):
#
#   command = C:AccessRequest S:AccessReply
#   query   = C:AccessRequest(getPass / getPerson / listVisits / listOnSite /
#                             getCompliance / listWatchlist / listPendingWalkUps) S:AccessReply
#   error   = C:<not an AccessRequest> S:AccessReply(error = malformed)
#
# One frame holds one message; frames before it (a REQ socket's empty delimiter) are echoed
# before the reply. The reply to a command that changed something is sent once the bus has
# acknowledged its events, or, at most access.reply_wait later, with `unpublished` set. A
# refused command gets a reply with `error` set and changes nothing.
#
# Facts picket-access judges (published by gate terminals; schemas/terminal.capnp):
# terminal.pass_scanned, terminal.manual_entry, terminal.visitor_arrived. The guard on duty
# is the envelope's actor.
#
# Events picket-access publishes (bodies of Event, by type). The envelope's actor is the
# guard at the gate (gate facts), the person who sent the command, or empty (a timer);
# observedAt is the fact's own time (the terminal's), or when the command or timer ran.
#
#   type                          body
#   access.granted                AccessGranted
#   access.denied                 AccessDenied
#   access.watchlist_hit          WatchlistHit
#   access.unregistered_entry     UnregisteredEntry
#   access.visitor_arrived        VisitorArrived
#   access.visitor_checked_in     VisitorCheckedIn
#   access.visitor_checked_out    VisitorCheckedOut
#   access.overstay               Overstay
#   access.person_registered      PersonRegistered
#   access.pass_issued            PassIssued
#   access.pass_revoked           PassRevoked
#   access.pass_extended          PassExtended
#   access.watchlist_added        WatchlistAdded
#   access.watchlist_removed      WatchlistRemoved
#   access.walkup_requested       WalkUpRequested
#   access.walkup_approved        WalkUpApproved
#   access.walkup_denied          WalkUpDenied
@0xb5d0c4a1e8f37a62;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("picket::wire");

using Terminal = import "terminal.capnp";

enum PassKind {
  # DO NOT CHANGE: on the wire. Same numbers as the core's PassKind.
  unknown @0;      # never sent
  visitor @1;      # a visitor's day pass: check-in/out, wait times, overstay
  contractor @2;   # a contractor's pass (visits tracked like a visitor's)
  staff @3;        # staff: anti-passback and the roll call only
}

enum WatchAction {
  # DO NOT CHANGE: on the wire. Same numbers as the core's WatchAction.
  unknown @0;      # never sent
  deny @1;         # refused at the gate (access.denied reason "watchlist")
  supervisor @2;   # refused unless the scan names an officer standing by
  notify @3;       # admitted; the hit is on the bus for whoever must know
}

enum AccessError {
  # DO NOT CHANGE the numbers: on the wire and in clients (same as the core's CommandError).
  none @0;
  invalidArgument @1;    # empty, too long or malformed field; bad time range
  unknownPerson @2;      # no person with that id
  unknownPass @3;        # no pass with that code
  alreadyExists @4;      # the person id or pass code is taken
  unknownHost @5;        # the host is not a registered staff member
  approvalRequired @6;   # a walk-up without approval where the site requires it
  notAuthorized @7;      # the approver is neither the host nor an officer
  unknownGate @8;        # a gate the configuration lacks
  alreadyRevoked @9;     # revoke of a revoked pass
  revoked @10;           # extend of a revoked pass
  notOnSite @11;         # check-out of someone not on site
  unknownEntry @12;      # no watchlist entry with that id
  validityTooLong @13;   # longer than the pass kind's max_validity
  malformed @14;         # the frame is not a valid AccessRequest (or a Text in it is not
                         # UTF-8 or holds a NUL byte)
  unavailable @15;       # could not be stored now (nothing applied): retry with the same
                         # commandId
  alreadyPending @16;    # a walk-up request for that person is already waiting for approval
  notPending @17;        # approveWalkUp / denyWalkUp: no walk-up request pending for that person
  unauthorized @18;      # the caller's key may not send this command (its role), or not
                         # as this actor (docs/security.md); nothing applied
}

# ---- events ---------------------------------------------------------------------------

struct AccessGranted {
  post @0 :Text;          # the gate's post
  gate @1 :Text;          # the gate id (site.toml access.gates)
  person @2 :Text;        # the pass's holder
  passCode @3 :Text;
  direction @4 :Terminal.Direction;
  kind @5 :PassKind;
  supervisor @6 :Text;    # the officer named on the scan (a "supervisor" watchlist entry)
  scanSeq @7 :UInt64;     # the bus seq of the terminal.pass_scanned judged
}

struct AccessDenied {
  post @0 :Text;
  gate @1 :Text;
  reason @2 :Text;
  # One of: unknown_gate, unknown_pass, revoked, watchlist, not_yet_valid, expired,
  # wrong_gate, outside_hours, anti_passback (docs/access.md, "Decision order").
  person @3 :Text;        # the pass's holder, or empty for an unknown pass
  passCode @4 :Text;
  direction @5 :Terminal.Direction;
  scanSeq @6 :UInt64;     # the bus seq of the terminal.pass_scanned judged
}

struct WatchlistHit {
  post @0 :Text;
  gate @1 :Text;
  person @2 :Text;
  reason @3 :Text;        # the watchlist entry's reason
  action @4 :WatchAction;
  entry @5 :UInt64;       # the watchlist entry's id
  matched @6 :Text;       # what matched: "person:<id>" or the normalized name
}

struct UnregisteredEntry {
  post @0 :Text;
  gate @1 :Text;
  person @2 :Text;        # a person id, or the name as the guard typed it
  note @3 :Text;          # the guard's reason
  visit @4 :UInt64;       # the visit it opened
}

struct VisitorArrived {
  post @0 :Text;
  gate @1 :Text;
  person @2 :Text;
}

struct VisitorCheckedIn {
  post @0 :Text;
  gate @1 :Text;
  person @2 :Text;
  passCode @3 :Text;
  visit @4 :UInt64;
  waited @5 :Int64;       # at the gate since the arrival (µs); 0 if not announced
}

struct VisitorCheckedOut {
  post @0 :Text;
  gate @1 :Text;
  person @2 :Text;
  passCode @3 :Text;
  visit @4 :UInt64;
  stayed @5 :Int64;       # checked out - checked in (µs)
  byCommand @6 :Bool;     # a guard's checkOut command rather than a scan out
}

struct Overstay {
  post @0 :Text;          # the post of the gate the visitor came in by
  person @1 :Text;
  passCode @2 :Text;
  visit @3 :UInt64;
  expiredAt @4 :Int64;    # the pass's validUntil
  number @5 :UInt32;      # 1 the first, 2 the first repeat, ...
  lateness @6 :Int64;     # how late the timer was handled (µs)
}

struct PersonRegistered {
  person @0 :Text;
  name @1 :Text;
  host @2 :Text;          # visitors: the staff member they visit
  kind @3 :PassKind;
  walkUp @4 :Bool;
  approvedBy @5 :Text;
  expectedAt @6 :Int64;   # pre-registered visitors; 0 otherwise
  vehicle @7 :Bool;       # a vehicle (registerVehicle): person is "veh.<PLATE>"
  plate @8 :Text;         # a vehicle's plate as written
  driver @9 :Text;        # a vehicle's usual driver (a person id), or empty
}

struct PassIssued {
  person @0 :Text;
  passCode @1 :Text;
  kind @2 :PassKind;
  validFrom @3 :Int64;
  validUntil @4 :Int64;
}

struct PassRevoked {
  person @0 :Text;
  passCode @1 :Text;
  reason @2 :Text;
}

struct PassExtended {
  person @0 :Text;
  passCode @1 :Text;
  previousUntil @2 :Int64;
  validUntil @3 :Int64;
}

struct WatchlistAdded {
  entry @0 :UInt64;
  name @1 :Text;
  person @2 :Text;
  reason @3 :Text;
  action @4 :WatchAction;
}

struct WatchlistRemoved {
  entry @0 :UInt64;
  reason @1 :Text;
}

struct WalkUpRequested {
  # A walk-up registered at the gate without approval where the site requires it: the
  # request waits (listPendingWalkUps) for the host or an officer (approveWalkUp,
  # denyWalkUp). The envelope's actor is the guard who registered it.
  person @0 :Text;
  name @1 :Text;
  company @2 :Text;
  host @3 :Text;
  post @4 :Text;          # the requesting guard's post, or empty
  gate @5 :Text;          # the gate they wait at, or empty
  requestedAt @6 :Int64;
}

struct WalkUpApproved {
  # After the access.person_registered (walkUp, approvedBy) of the same command.
  person @0 :Text;
  name @1 :Text;
  host @2 :Text;
  approvedBy @3 :Text;
  requestedAt @4 :Int64;
  waited @5 :Int64;       # approval - request (µs)
}

struct WalkUpDenied {
  person @0 :Text;
  name @1 :Text;
  host @2 :Text;
  deniedBy @3 :Text;
  reason @4 :Text;
  requestedAt @5 :Int64;
}

# ---- commands -------------------------------------------------------------------------

struct AccessRequest {
  actor @0 :Text;
  # The person acting (required for every command; ignored by queries).

  union {
    registerPerson @1 :PersonInput;
    # A staff member or contractor (kind staff or contractor). Event: person_registered.

    preRegisterVisitor @2 :PersonInput;
    # A visitor announced by their host (host and expectedAt required).

    registerWalkUp @3 :PersonInput;
    # A visitor registered at the gate (host required). With approvedBy (the host or an
    # officer): registered at once. Without it where access.walkups_need_approval: a
    # pending request (reply.pending, event walkup_requested) until approveWalkUp or
    # denyWalkUp; a second request for a pending person is alreadyPending.

    issuePass @4 :IssuePassRequest;
    # A pass for a registered person; its kind is the person's. Event: pass_issued.

    revokePass @5 :RevokePassRequest;
    # Event: pass_revoked.

    extendPass @6 :ExtendPassRequest;
    # Moves validUntil later (and an open visit's overstay timer). Event: pass_extended.

    checkOut @7 :CheckOutRequest;
    # A guard checks someone out by hand. Event: visitor_checked_out (byCommand).

    addWatchlistEntry @8 :WatchlistInput;
    # Reply: entry = the new entry's id. Event: watchlist_added.

    removeWatchlistEntry @9 :RemoveWatchlistRequest;
    # Event: watchlist_removed.

    getPass @10 :Text;
    # Query: a pass by code (reply.pass).

    getPerson @11 :Text;
    # Query: a person by id with their passes and open visit (reply.person).

    listVisits @12 :TimeRange;
    # Query: visits whose entry is in [from, to), at most 31 days (reply.visits).

    listOnSite @13 :Void;
    # Query: everyone on site now, the evacuation roll call (reply.onSite).

    getCompliance @14 :ComplianceRequest;
    # Query: registration compliance of a post (empty: every post) over [from, to).

    listWatchlist @15 :Void;
    # Query: every watchlist entry (reply.watchlist).

    registerVehicle @17 :VehicleInput;
    # A vehicle by its plate: a pass holder with the id "veh.<PLATE>" (the plate
    # normalized: letters upper-cased, digits kept, spaces and punctuation dropped).
    # Event: person_registered with vehicle set.

    approveWalkUp @18 :WalkUpDecision;
    # A pending walk-up approved by `by` (the host or an officer): registered as an approved
    # walk-up, the request removed. Events: person_registered (walkUp, approvedBy), then
    # walkup_approved. notPending if none is waiting.

    denyWalkUp @19 :WalkUpDecision;
    # A pending walk-up refused by `by` (the host or an officer) with a reason (required):
    # the request removed. Event: walkup_denied. notPending if none is waiting.

    listPendingWalkUps @20 :Void;
    # Query: the walk-up requests waiting for approval, oldest first (reply.pendingWalkUps).
  }

  commandId @16 :Data;
  # 16 bytes chosen by the client, fresh for each command (not for each retry of it).
  # A command whose id was already applied is not applied again: the reply is the one it
  # got the first time. Empty: no such protection. Ignored by queries.
}

struct PersonInput {
  person @0 :Text;        # the id: 1..64 of [A-Za-z0-9._@-]
  name @1 :Text;          # the full name (required)
  aliases @2 :List(Text); # other names (at most 16)
  kind @3 :PassKind;      # registerPerson: staff or contractor; ignored otherwise
  company @4 :Text;
  host @5 :Text;          # visitors: the staff member they visit
  expectedAt @6 :Int64;   # preRegisterVisitor: when they are expected (> 0)
  approvedBy @7 :Text;    # registerWalkUp: the host or an officer
  post @8 :Text;          # registerWalkUp: the requesting guard's post (optional)
  gate @9 :Text;          # registerWalkUp: the gate the visitor waits at (optional; a
                          # configured gate; its post when post is empty)
}

struct WalkUpDecision {
  person @0 :Text;        # the pending walk-up's person id
  by @1 :Text;            # who decides: the visitor's host or an officer
  reason @2 :Text;        # denyWalkUp: required; approveWalkUp: ignored
}

struct VehicleInput {
  plate @0 :Text;         # as written on it, e.g. "B-AB 1234" (1..16 letters and digits)
  description @1 :Text;   # e.g. "white Volvo truck, Acme Logistics" (required)
  kind @2 :PassKind;      # the kind of passes it gets: visitors' vehicles need a host
  company @3 :Text;
  host @4 :Text;          # a registered staff member (required for kind visitor)
  driver @5 :Text;        # its usual driver, a registered person id, or empty
}

struct IssuePassRequest {
  code @0 :Text;          # what the scanner reads: 1..64 printable ASCII, no spaces
  person @1 :Text;
  validFrom @2 :Int64;
  validUntil @3 :Int64;   # > validFrom, in the future, within the kind's max_validity
  gates @4 :List(Text);   # gates it opens; empty = the kind's default
  hours @5 :Text;         # "HH:MM-HH:MM" site local time; empty = the kind's default
}

struct RevokePassRequest {
  code @0 :Text;
  reason @1 :Text;        # required
}

struct ExtendPassRequest {
  code @0 :Text;
  validUntil @1 :Int64;   # later than the current one
}

struct CheckOutRequest {
  person @0 :Text;        # a person id, or the name a manual entry recorded
  gate @1 :Text;          # where they left, or empty
}

struct WatchlistInput {
  name @0 :Text;          # a name or alias (matched case- and space-insensitively), or empty
  person @1 :Text;        # a person id, or empty (one of the two is required)
  reason @2 :Text;        # required
  action @3 :WatchAction;
}

struct RemoveWatchlistRequest {
  entry @0 :UInt64;
  reason @1 :Text;        # required
}

struct TimeRange {
  from @0 :Int64;
  to @1 :Int64;
}

struct ComplianceRequest {
  post @0 :Text;          # empty: every post
  from @1 :Int64;
  to @2 :Int64;
}

struct AccessReply {
  error @0 :AccessError;
  # none on success.

  message @1 :Text;
  # For a person: what was wrong; empty on success.

  entry @2 :UInt64;
  # addWatchlistEntry: the new entry's id.

  pass @3 :PassInfo;
  # getPass (null otherwise).

  person @4 :PersonInfo;
  # getPerson (null otherwise).

  visits @5 :List(VisitInfo);
  # listVisits, by entry time.

  onSite @6 :List(OnSiteInfo);
  # listOnSite, by person key.

  compliance @7 :ComplianceInfo;
  # getCompliance (null otherwise).

  watchlist @8 :List(WatchlistInfo);
  # listWatchlist, by entry id.

  unpublished @9 :Bool;
  # For a command that changed something: true when the change is stored but the bus had
  # not yet acknowledged its events when this reply was sent (access.reply_wait ran out).

  pending @10 :Bool;
  # registerWalkUp: true when the walk-up was not registered but is waiting for approval.

  pendingWalkUps @11 :List(PendingWalkUpInfo);
  # listPendingWalkUps, oldest first.
}

struct PendingWalkUpInfo {
  person @0 :Text;
  name @1 :Text;
  aliases @2 :List(Text);
  company @3 :Text;
  host @4 :Text;
  post @5 :Text;
  gate @6 :Text;
  requestedBy @7 :Text;   # the guard who registered it
  requestedAt @8 :Int64;
}

struct PassInfo {
  code @0 :Text;
  person @1 :Text;
  kind @2 :PassKind;
  validFrom @3 :Int64;
  validUntil @4 :Int64;
  gates @5 :List(Text);   # empty: the kind's default
  hours @6 :Text;         # empty: the kind's default
  host @7 :Text;
  issuedBy @8 :Text;
  issuedAt @9 :Int64;
  revoked @10 :Bool;
  revokedBy @11 :Text;
  revokedReason @12 :Text;
  revokedAt @13 :Int64;
  extensions @14 :UInt32;
}

struct PersonInfo {
  person @0 :Text;
  name @1 :Text;
  aliases @2 :List(Text);
  kind @3 :PassKind;
  company @4 :Text;
  host @5 :Text;
  registeredBy @6 :Text;
  registeredAt @7 :Int64;
  expectedAt @8 :Int64;
  walkUp @9 :Bool;
  approvedBy @10 :Text;
  passes @11 :List(PassInfo);
  onSite @12 :VisitInfo;  # the open visit, or null
  vehicle @13 :Bool;      # a vehicle: name is its description
  plate @14 :Text;
  driver @15 :Text;
}

struct VisitInfo {
  visit @0 :UInt64;
  person @1 :Text;
  passCode @2 :Text;      # empty for a manual entry
  kind @3 :PassKind;
  gate @4 :Text;
  post @5 :Text;
  guardIn @6 :Text;
  arrivedAt @7 :Int64;    # 0 if not announced
  checkedInAt @8 :Int64;
  waited @9 :Int64;
  manual @10 :Bool;       # a manual entry without a pass
  preregistered @11 :Bool;
  note @12 :Text;
  checkedOutAt @13 :Int64;  # 0 while on site
  checkedOutBy @14 :Text;
  exitGate @15 :Text;
}

struct OnSiteInfo {
  visit @0 :VisitInfo;
  name @1 :Text;          # the registered name, or the person key for a manual entry
}

struct ComplianceInfo {
  entries @0 :UInt32;
  withPass @1 :UInt32;
  unregistered @2 :UInt32;
  visitors @3 :UInt32;
  preregistered @4 :UInt32;
  announced @5 :UInt32;
  totalWait @6 :Int64;
  maxWait @7 :Int64;
  registeredPermille @8 :UInt32;
  meanWait @9 :Int64;
}

struct WatchlistInfo {
  entry @0 :UInt64;
  name @1 :Text;
  person @2 :Text;
  reason @3 :Text;
  action @4 :WatchAction;
  addedBy @5 :Text;
  addedAt @6 :Int64;
}
