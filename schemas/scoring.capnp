# picket-scoring: the points ledger, inspections, commendations and the best-post award
# (docs/scoring.md). Fields are only ever added; numbers, ids and enum values are fixed
# forever. Times are Int64 microseconds since the Unix epoch (UTC); durations Int64 µs.
#
# Command endpoint (ROUTER, `scoring.commands` in site.toml):
#
#   command = C:ScoringRequest S:ScoringReply
#   query   = C:ScoringRequest(leaderboard / explain / getEntry / awards) S:ScoringReply
#   error   = C:<not a ScoringRequest> S:ScoringReply(error = malformed)
#
# One frame holds one message; frames before it (a REQ socket's empty delimiter) are echoed
# before the reply. A command that changed something is answered once the bus has its
# events, or, at most scoring.reply_wait later, with `unpublished` set. A refused command
# gets `error` set and changes nothing.
#
# picket-scoring reads every recorded event and scores those its rules name
# ([[scoring.rules]] in site.toml, or the default rules of docs/scoring.md).
#
# Events picket-scoring publishes (bodies of Event, by type). The envelope's actor is the
# supervisor for a command's events, empty otherwise; observedAt is the scored event's
# observed time (points_awarded, a reversal's entry_voided), the command's time, or the
# end of the awarded period.
#
#   type                            body
#   scoring.points_awarded          LedgerEntry (a new entry)
#   scoring.entry_voided            LedgerEntry (the entry after its void)
#   scoring.finding_recorded        FindingRecorded
#   scoring.commendation_recorded   CommendationRecorded
#   scoring.award_granted           AwardGranted
@0xc869636b7dca2c8f;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("picket::wire");

struct LedgerEntry {
  entry @0 :UInt64;       # the entry's id (1, 2, ... in the order entries were made)
  seq @1 :UInt64;         # the bus seq of the event that earned it
  event @2 :Text;         # that event's type
  rule @3 :Text;          # the rule's name
  label @4 :Text;         # the rule's label, filled in
  points @5 :Int64;       # > 0 a reward, < 0 a penalty
  guard @6 :Text;         # the subjects it counts for (empty: none)
  post @7 :Text;
  squad @8 :Text;
  at @9 :Int64;           # the earning event's observed time (the periods it counts in)
  voided @10 :Bool;
  voidReason @11 :Text;   # a supervisor's reason, or "reversed by <rule>"
  voidedBy @12 :Text;     # the supervisor, or "rule:<name>" for a reversal
  voidSeq @13 :UInt64;    # the bus seq of the reversing event (0: a supervisor's void)
  voidedAt @14 :Int64;
  reversal @15 :Bool;     # entry_voided: voided by a reversing rule
}

struct FindingRecorded {
  inspection @0 :UInt64;  # one id per inspection: its findings share it
  post @1 :Text;
  guard @2 :Text;         # the guard on post (may be empty)
  category @3 :Text;      # e.g. uniform, badge, phrases, procedure, phone, reading
  passed @4 :Bool;
  note @5 :Text;
}

struct CommendationRecorded {
  commendation @0 :UInt64;
  post @1 :Text;          # at least one of post and guard
  guard @2 :Text;
  reason @3 :Text;
}

enum PeriodKind {
  shift @0;
  day @1;
  week @2;
  month @3;
}

enum SubjectKind {
  guard @0;
  post @1;
  squad @2;
}

struct PeriodInfo {
  kind @0 :PeriodKind;
  start @1 :Int64;        # [start, end), UTC; bounds are local times in the site's zone
  end @2 :Int64;
  label @3 :Text;         # local: "2026-11-28 06:00", "2026-11-28", "2026-W48", "2026-11"
}

struct TotalsInfo {
  points @0 :Int64;
  rewards @1 :Int64;      # sum of the positive entries
  penalties @2 :Int64;    # sum of the negative entries (<= 0)
  entries @3 :UInt32;     # live entries
}

struct AwardGranted {
  period @0 :PeriodInfo;
  post @1 :Text;
  totals @2 :TotalsInfo;
  previous @3 :Text;      # the holder of the period before (empty: none)
}

# --- commands ---

enum ScoringError {
  # DO NOT CHANGE the numbers: on the wire and in clients (same as the core's CommandError).
  none @0;
  invalidArgument @1;     # empty/too long text, no findings, repeated category, bad limit
  unknownPost @2;
  unknownCategory @3;
  unknownEntry @4;
  alreadyVoided @5;
  malformed @6;           # the frame is not a valid ScoringRequest (or a Text in it is not
                          # UTF-8 or holds a NUL byte)
  unavailable @7;         # could not be stored now (nothing applied): retry with the same
                          # commandId
  unauthorized @8;        # the caller's key may not send this command (its role), or not
                          # as this actor (docs/security.md); nothing applied
}

struct ScoringRequest {
  actor @0 :Text;
  # The supervisor acting (required for every command; ignored by queries).

  union {
    inspect @1 :InspectRequest;
    # Events: one finding_recorded per finding (scored by the rules when recorded).

    commend @2 :CommendRequest;
    # Event: commendation_recorded.

    voidEntry @3 :VoidRequest;
    # Event: entry_voided.

    leaderboard @4 :LeaderboardQuery;
    # Query: ranked totals of guards, posts or squads in a period.

    explain @5 :ExplainQuery;
    # Query: a subject's entries in a period.

    getEntry @6 :UInt64;
    # Query: one entry.

    awards @7 :AwardsQuery;
    # Query: the latest awards of a period kind (the first is the current holder).
  }

  commandId @8 :Data;
  # 16 bytes chosen by the client, fresh for each command (not for each retry of it).
  # A command whose id was already applied is not applied again: the reply is the one it
  # got the first time. Empty: no such protection. Ignored by queries.
}

struct Finding {
  category @0 :Text;
  passed @1 :Bool;
  note @2 :Text;          # optional, at most 500 bytes
}

struct InspectRequest {
  post @0 :Text;          # a post of [scoring] squads or posts
  guard @1 :Text;         # optional: the guard on post
  findings @2 :List(Finding);  # 1..16, each a different category
}

struct CommendRequest {
  post @0 :Text;          # at least one of post and guard
  guard @1 :Text;
  reason @2 :Text;        # required
}

struct VoidRequest {
  entry @0 :UInt64;
  reason @1 :Text;        # required
}

struct LeaderboardQuery {
  period @0 :PeriodKind;
  at @1 :Int64;           # a time in the period (0: now)
  subjects @2 :SubjectKind;
  limit @3 :UInt32;       # rows, 1..1000 (0: all, up to 1000)
}

struct ExplainQuery {
  subjectKind @0 :SubjectKind;
  subject @1 :Text;
  period @2 :PeriodKind;
  at @3 :Int64;           # a time in the period (0: now)
}

struct AwardsQuery {
  period @0 :PeriodKind;
  limit @1 :UInt32;       # 1..1000 (0: 10)
}

struct Standing {
  rank @0 :UInt32;
  subject @1 :Text;
  totals @2 :TotalsInfo;
}

struct ScoringReply {
  error @0 :ScoringError;
  message @1 :Text;
  period @2 :PeriodInfo;          # leaderboard, explain: the period answered
  standings @3 :List(Standing);   # leaderboard, best first
  totals @4 :TotalsInfo;          # explain
  entries @5 :List(LedgerEntry);  # explain (by time), getEntry (one), void (the entry)
  awards @6 :List(AwardGranted);  # awards, latest first
  id @7 :UInt64;                  # inspect: the inspection id; commend: the commendation id
  truncated @8 :Bool;             # more rows than sent
  unpublished @9 :Bool;
  # For a command that changed something: true when the change is stored but the bus had
  # not yet acknowledged its events when this reply was sent (scoring.reply_wait ran out).
}
