# picket-patrol: rounds, checkpoint verdicts, missed deadlines, and the supervisors'
# commands that change them (docs/patrol.md). Fields are only ever added; numbers, ids
# and enum values are fixed forever. Times are Int64 microseconds since the Unix epoch
# (UTC); durations are Int64 µs.
#
# Command endpoint (ROUTER, `patrol.commands` in site.toml):
#
#   command = C:PatrolRequest S:PatrolReply
#   query   = C:PatrolRequest(listRounds / getRound / currentRounds / getCompletion)
#             S:PatrolReply
#   error   = C:<not a PatrolRequest> S:PatrolReply(error = malformed)
#
# One frame holds one message; frames before it (a REQ socket's empty delimiter) are echoed
# before the reply. The reply to a command that changed something is sent once the bus has
# acknowledged its events, or, at most patrol.reply_wait later, with `unpublished` set. A
# refused command gets a reply with `error` set and changes nothing.
#
# Facts picket-patrol judges (published by post terminals; schemas/terminal.capnp):
# terminal.round_started (PatrolStart), terminal.checkpoint_scanned (CheckpointScanned),
# terminal.round_ended (PatrolEnd). The guard is the envelope's actor (required);
# observedAt is when the guard scanned (an offline terminal publishes late with it).
#
# Events picket-patrol publishes (bodies of Event, by type). The envelope's actor is the
# guard (a verdict on a fact), the supervisor (a command), or empty (a deadline);
# observedAt is the fact's time, the deadline's, or when the command ran.
#
#   type                        body
#   patrol.round_scheduled      RoundScheduled
#   patrol.round_started        RoundStarted
#   patrol.round_refused        RoundRefused
#   patrol.checkpoint_accepted  CheckpointAccepted
#   patrol.checkpoint_rejected  CheckpointRejected
#   patrol.checkpoint_missed    CheckpointMissed
#   patrol.missed_withdrawn     MissedReviewed
#   patrol.missed_confirmed     MissedReviewed
#   patrol.round_not_started    RoundNotStarted
#   patrol.round_late           RoundLate
#   patrol.round_completed      RoundCompleted
#   patrol.deadline_extended    DeadlineExtended
#   patrol.checkpoint_excused   CheckpointExcused
#   patrol.round_cancelled      RoundCancelled
#   patrol.clock_skew           ClockSkew
#
# Enumerated reasons travel as Text (snake_case names: "out_of_sequence"), as escalation
# rules match them by name.
@0xd2a7c3e91b5f4068;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("picket::wire");

struct RoundScheduled {
  round @0 :UInt64;     # the round's id (1, 2, ... per site)
  route @1 :Text;
  post @2 :Text;        # the post whose guards walk it
  schedule @3 :Text;
  guard @4 :Text;       # the schedule's assigned guard, or empty
  due @5 :Int64;        # when it is due to start
}

struct RoundStarted {
  round @0 :UInt64;
  route @1 :Text;
  post @2 :Text;
  guard @3 :Text;
  due @4 :Int64;        # 0: an unscheduled round
  late @5 :Bool;        # started after due + grace (round_not_started went out before)
  order @6 :List(Text); # the checkpoint tags in the expected order (random: the drawn one)
  routeOrder @7 :Text;  # "ordered", "any" or "random"
}

struct RoundRefused {
  route @0 :Text;
  post @1 :Text;
  guard @2 :Text;
  reason @3 :Text;      # unknown_route, other_post, route_required, future_time
}

struct CheckpointAccepted {
  round @0 :UInt64;
  route @1 :Text;
  post @2 :Text;
  guard @3 :Text;
  checkpoint @4 :Text;  # the tag
  position @5 :UInt32;  # 1-based place in the round's order
  onTime @6 :Bool;      # false: late (after legMax, within grace)
  leg @7 :Int64;        # scanned - the previous verdict (or the start)
}

struct CheckpointRejected {
  round @0 :UInt64;     # 0: the guard had no round in progress
  route @1 :Text;
  post @2 :Text;
  guard @3 :Text;
  checkpoint @4 :Text;
  reason @5 :Text;
  # unknown_tag, future_time, no_round, not_on_route, duplicate, out_of_sequence, too_early
  expected @6 :Text;    # out_of_sequence: the tag expected next
  wait @7 :Int64;       # too_early: how much longer the leg had to take
}

struct CheckpointMissed {
  post @0 :Text;
  route @1 :Text;
  round @2 :UInt64;
  checkpoint @3 :Text;
  guard @4 :Text;       # the round's guard
  deadline @5 :Int64;
  lateness @6 :Int64;   # how long after the deadline it was declared (a downtime)
  roundEnded @7 :Bool;  # declared because the guard ended the round
}

struct MissedReviewed {
  # A scan of a missed checkpoint that arrived late (an offline terminal). It references
  # the missed verdict by (round, checkpoint, missedDeadline).
  post @0 :Text;
  route @1 :Text;
  round @2 :UInt64;
  checkpoint @3 :Text;
  guard @4 :Text;
  missedDeadline @5 :Int64;  # the deadline the checkpoint was declared missed at
  deadline @6 :Int64;        # the deadline the scan was judged against
  scannedAt @7 :Int64;       # the scan's observed time
  onTime @8 :Bool;           # missed_withdrawn: the checkpoint now counts on time (else late)
}

struct RoundNotStarted {
  post @0 :Text;
  route @1 :Text;
  round @2 :UInt64;
  guard @3 :Text;       # the schedule's assigned guard, or empty
  due @4 :Int64;
  deadline @5 :Int64;   # due + grace (+ extensions)
  lateness @6 :Int64;
}

struct RoundLate {
  post @0 :Text;
  route @1 :Text;
  round @2 :UInt64;
  guard @3 :Text;
  deadline @4 :Int64;   # start + planned length + grace (+ extensions)
  lateness @5 :Int64;
  pending @6 :UInt32;   # checkpoints without a verdict then
}

struct RoundCompleted {
  post @0 :Text;
  route @1 :Text;
  round @2 :UInt64;
  guard @3 :Text;
  onTime @4 :UInt32;
  late @5 :UInt32;
  missed @6 :UInt32;
  excused @7 :UInt32;
  total @8 :Int64;      # the last verdict (or the end) - the start
  endedEarly @9 :Bool;  # the guard ended it with checkpoints pending
  scheduled @10 :Bool;
}

struct DeadlineExtended {
  round @0 :UInt64;
  route @1 :Text;
  post @2 :Text;
  reason @3 :Text;
  by @4 :Int64;
  extension @5 :Int64;  # the round's total extension now
}

struct CheckpointExcused {
  round @0 :UInt64;
  route @1 :Text;
  post @2 :Text;
  checkpoint @3 :Text;
  reason @4 :Text;
  guard @5 :Text;       # the round's guard
}

struct RoundCancelled {
  round @0 :UInt64;
  route @1 :Text;
  post @2 :Text;
  reason @3 :Text;
  was @4 :Text;         # its status before: scheduled, not_started or in_progress
}

struct ClockSkew {
  terminal @0 :Text;    # the producer
  post @1 :Text;
  offset @2 :Int64;     # + = the terminal's clock is ahead of the bus
  samples @3 :UInt32;
}

# --- commands ---

enum PatrolError {
  # DO NOT CHANGE the numbers: on the wire and in clients (same as the core's CommandError).
  none @0;
  invalidArgument @1;    # empty, too long or malformed field; bad range; `by` out of bounds
  unknownRound @2;       # no round with that id
  unknownCheckpoint @3;  # not a checkpoint of that round
  wrongState @4;         # e.g. cancel a completed round, excuse a checkpoint not missed
  malformed @5;          # the frame is not a valid PatrolRequest (or a Text in it is not
                         # UTF-8 or holds a NUL byte)
  unavailable @6;        # could not be stored now (nothing applied): retry with the same
                         # commandId
  unauthorized @7;       # the caller's key may not send this command (its role), or not
                         # as this actor (docs/security.md); nothing applied
}

struct PatrolRequest {
  actor @0 :Text;
  # The supervisor acting (required for every command; ignored by queries).

  union {
    extendDeadline @1 :ExtendRequest;
    # Moves the round's pending deadlines later. Event: deadline_extended.

    excuseCheckpoint @2 :ExcuseRequest;
    # A missed checkpoint counts as neither. Event: checkpoint_excused.

    cancelRound @3 :CancelRequest;
    # Event: round_cancelled.

    listRounds @4 :RoundQuery;
    # Query: rounds due (or started, when unscheduled) in [from, to), at most 31 days.

    getRound @5 :UInt64;
    # Query: one round with its checkpoints.

    currentRounds @6 :Text;
    # Query: the rounds in progress at a post (empty: every post).

    getCompletion @7 :CompletionQuery;
    # Query: completion rates per guard or per post over [from, to).
  }

  commandId @8 :Data;
  # 16 bytes chosen by the client, fresh for each command (not for each retry of it).
  # A command whose id was already applied is not applied again: the reply is the one it
  # got the first time. Empty: no such protection. Ignored by queries.
}

struct ExtendRequest {
  round @0 :UInt64;
  by @1 :Int64;          # 1 min .. 12 h
  reason @2 :Text;       # required
}

struct ExcuseRequest {
  round @0 :UInt64;
  checkpoint @1 :Text;
  reason @2 :Text;       # required
}

struct CancelRequest {
  round @0 :UInt64;
  reason @1 :Text;       # required
}

struct RoundQuery {
  from @0 :Int64;
  to @1 :Int64;
  post @2 :Text;         # empty: any
  guard @3 :Text;        # empty: any
  route @4 :Text;        # empty: any
}

struct CompletionQuery {
  from @0 :Int64;
  to @1 :Int64;
  byPost @2 :Bool;       # false: per guard
}

struct PatrolReply {
  error @0 :PatrolError;
  message @1 :Text;
  rounds @2 :List(RoundInfo);
  # listRounds (by time), getRound (one), currentRounds, and the round a command changed.
  completion @3 :List(CompletionInfo);
  truncated @4 :Bool;    # listRounds: more rounds matched than the 2000 sent
  unpublished @5 :Bool;
  # For a command that changed something: true when the change is stored but the bus had
  # not yet acknowledged its events when this reply was sent (patrol.reply_wait ran out).
}

struct RoundInfo {
  round @0 :UInt64;
  route @1 :Text;
  post @2 :Text;
  schedule @3 :Text;     # empty: unscheduled
  assigned @4 :Text;
  due @5 :Int64;
  status @6 :Text;       # scheduled, in_progress, completed, not_started, cancelled
  guard @7 :Text;
  startedAt @8 :Int64;
  endedAt @9 :Int64;
  startedLate @10 :Bool;
  lateReported @11 :Bool;
  endedEarly @12 :Bool;
  extension @13 :Int64;
  checkpoints @14 :List(CheckpointInfo);
}

struct CheckpointInfo {
  tag @0 :Text;
  state @1 :Text;        # pending, on_time, late, missed, excused
  scannedAt @2 :Int64;
  deadline @3 :Int64;    # missed: when it was declared missed
  withdrawn @4 :Bool;    # a missed verdict withdrawn by a late scan
}

struct CompletionInfo {
  subject @0 :Text;      # a guard's person id or a post
  rounds @1 :UInt32;
  completed @2 :UInt32;
  notStarted @3 :UInt32;
  late @4 :UInt32;
  checkpointsOnTime @5 :UInt32;
  checkpointsLate @6 :UInt32;
  checkpointsMissed @7 :UInt32;
  checkpointsExcused @8 :UInt32;
  permille @9 :UInt32;   # checkpoints on time or late per thousand expected
}
