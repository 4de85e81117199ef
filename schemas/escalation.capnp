# picket-escalation: incidents, alerts and the commands officers send about them.
# Fields are only ever added; numbers, ids and enum values are fixed forever.
# Times are Int64 microseconds since the Unix epoch (UTC); durations are Int64 µs.
#
# Command endpoint (ROUTER, `escalation.commands` in site.toml):
#
#   command = C:EscalationRequest S:EscalationReply
#   query   = C:EscalationRequest(listOpen / getIncident / listOnDuty / listIncidents)
#             S:EscalationReply
#   error   = C:<not an EscalationRequest> S:EscalationReply(error = malformed)
#
# One frame holds one message; frames before it (a REQ socket's empty delimiter) are echoed
# before the reply. The reply to a command that changed something is sent once the bus has
# acknowledged its events and every event the service emitted before them, or, at most
# escalation.reply_wait later, with `unpublished` set. A refused command (unknown incident, already acknowledged, missing
# procedure steps, ...) gets a reply with `error` set and changes nothing.
#
# Events picket-escalation publishes on the bus (bodies of Event, by type). The envelope's
# actor is the person who caused the transition, or empty when the service did it itself
# (a trigger, a timer). Level numbers are 1-based as in site.toml; 0 means none.
#
#   type                                  body
#   escalation.incident_opened            IncidentOpened
#   escalation.incident_grouped           IncidentGrouped
#   escalation.alert_raised               AlertRaised
#   escalation.incident_escalated         IncidentEscalated
#   escalation.level_unstaffed            LevelUnstaffed
#   escalation.incident_acknowledged      IncidentAcknowledged
#   escalation.incident_unacknowledged    IncidentUnacknowledged
#   escalation.step_done                  StepDone
#   escalation.note_added                 NoteAdded
#   escalation.incident_resolved          IncidentResolved
#   escalation.incident_reopened          IncidentReopened
#   escalation.incident_silenced          IncidentSilenced
#   escalation.silence_ended              SilenceEnded
#   escalation.incident_reassigned        IncidentReassigned
#   escalation.incident_cancelled         IncidentCancelled
@0xdecbb0d6fd812baa;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("picket::wire");

enum Severity {
  # DO NOT CHANGE: on the wire. Same numbers as the core's Severity.
  unknown @0;       # never sent; what a reader sees for a value it does not know
  low @1;
  medium @2;
  high @3;
  critical @4;
}

enum IncidentState {
  # DO NOT CHANGE: on the wire. Same numbers as the core's IncidentState.
  unknown @0;       # never sent
  pending @1;       # opened, inside its cancel window (a panic); no alerts yet
  open @2;          # escalating: alerts are raised level by level
  acknowledged @3;  # someone answered; no alerts until the ack times out
  resolved @4;      # closed; a trigger within the reopen window reopens it
  cancelled @5;     # a panic cancelled within its cancel window (final)
}

enum EscalationError {
  # DO NOT CHANGE the numbers: on the wire and in clients (same as the core's CommandError).
  none @0;
  unknownIncident @1;        # no incident with that id
  alreadyResolved @2;        # the incident is resolved
  alreadyAcknowledged @3;    # someone acknowledged it already (message says who)
  notAcknowledged @4;        # unacknowledge of an incident nobody acknowledged
  unknownStep @5;            # not a step of the incident type's procedure
  stepAlreadyDone @6;        # the step was marked done before (message says by whom)
  mandatorySteps @7;         # resolve without every mandatory step and no override reason
  cancelWindowPassed @8;     # cancel after the window, or of an incident without one
  cancelled @9;              # the incident was cancelled
  invalidArgument @10;       # empty actor, text or person; too long; duration out of range
  wrongState @11;            # e.g. silence during a cancel window
  malformed @12;             # the request frame is not a valid EscalationRequest (or
                             # a Text in it is not UTF-8 or holds a NUL byte)
  unauthorized @13;          # the caller may not act (as this actor)
  unavailable @14;           # the service could not store the command now (nothing was
                             # applied): retry with the same commandId
}

struct TriggerField {
  name @0 :Text;
  # A field name of the triggering event (see docs/escalation.md, trigger types).

  value @1 :Text;
  # Its value as text.
}

struct IncidentOpened {
  incident @0 :UInt64;
  # The new incident's id (1, 2, ... per site).

  version @1 :UInt64;
  # The incident's version after this transition (every event carries it).

  incidentType @2 :Text;
  # The incident type name from site.toml.

  severity @3 :Severity;
  # The type's severity.

  groupKey @4 :Text;
  # The rendered grouping key: triggers with the same key join this incident.

  post @5 :Text;
  # The post of the trigger, or empty.

  policy @6 :Text;
  # The escalation policy the incident follows.

  triggerType @7 :Text;
  # The bus type of the event that opened it.

  triggerSeq @8 :UInt64;
  # The bus sequence number of that event.

  reportedBy @9 :Text;
  # The trigger's actor (the guard who reported it), or empty.

  cancelWindowUntil @10 :Int64;
  # > 0: escalation waits until then (a panic's cancel window); 0: alerts started at once.

  triggerFields @11 :List(TriggerField);
  # The trigger's fields, for display.
}

struct IncidentGrouped {
  # Not every grouped trigger emits one: counts 2-10, round counts (20, 30, ... 100, 200,
  # ...), and a trigger at least 1 s after the last announced (docs/escalation.md). The
  # count is exact; versions between two of these events belong to unannounced triggers.
  incident @0 :UInt64;
  # The incident the trigger joined.

  version @1 :UInt64;
  # The incident's version after this transition.

  count @2 :UInt32;
  # Triggers in the incident now, the first included.

  triggerType @3 :Text;
  # The bus type of the trigger that joined.

  triggerSeq @4 :UInt64;
  # Its bus sequence number.
}

struct AlertRaised {
  incident @0 :UInt64;
  # The incident to tell the person about.

  version @1 :UInt64;
  # The incident's version after this transition.

  person @2 :Text;
  # Who is to be told now (picket-notify delivers it to their channels).

  level @3 :UInt32;
  # The policy level that named them (1-based); 0 when `fallback`.

  pass @4 :UInt32;
  # 0 for the first run of the chain; k for its k-th repeat.

  fallback @5 :Bool;
  # True when the chain had run out and the policy's fallback is being alerted.

  target @6 :Text;
  # The target that resolved to this person: "person:<id>", "role:<role>", "post_leader",
  # "all:<role>", or "assignee".

  reason @7 :Text;
  # Why now: opened, escalated, fallback, fallback_repeat, resumed, reassigned, reopened.

  lateness @8 :Int64;
  # How long after its due time the timer that caused this alert was handled (µs); 0 if
  # no timer caused it.

  respondBy @9 :Int64;
  # When the chain moves on unless someone acknowledges (the level's wait from now).
  # picket-notify stops retrying a delivery then: a later alert supersedes it.

  incidentType @10 :Text;
  # The incident type name from site.toml (so a pager can say what happened). Empty in
  # alerts raised before this field existed.

  post @11 :Text;
  # The incident's post (of its first trigger), or empty.

  severity @12 :Severity;
  # The type's severity (unknown in alerts raised before this field existed).

  note @13 :Text;
  # The reporter's note: the `note` of the trigger that opened (or last reopened) the
  # incident, at most 2000 bytes; empty if it had none.
}

struct IncidentEscalated {
  incident @0 :UInt64;
  # The incident whose chain moved on.

  version @1 :UInt64;
  # The incident's version after this transition.

  fromLevel @2 :UInt32;
  # The level it left (1-based); 0 when leaving the cancel window or the fallback.

  toLevel @3 :UInt32;
  # The level it reached (1-based); 0 when `toFallback`.

  pass @4 :UInt32;
  # Which run of the chain it is in now (0 = first).

  toFallback @5 :Bool;
  # True when the chain has run out and the fallback is next.

  reason @6 :Text;
  # wait_passed (nobody acknowledged in time), unstaffed (the level had nobody to alert),
  # cancel_window_passed (a panic nobody cancelled).

  lateness @7 :Int64;
  # How late the timer that caused it was handled (µs); 0 if none.
}

struct LevelUnstaffed {
  incident @0 :UInt64;
  # The incident whose chain met an empty level.

  version @1 :UInt64;
  # The incident's version after this transition.

  level @2 :UInt32;
  # The level (1-based) whose targets resolved to nobody; the chain moved on at once.

  targets @3 :List(Text);
  # The level's targets, as written in site.toml.
}

struct IncidentAcknowledged {
  incident @0 :UInt64;
  # The incident acknowledged (by the envelope's actor).

  version @1 :UInt64;
  # The incident's version after the ack: no alert is raised for any earlier version.

  level @2 :UInt32;
  # The level whose alert was answered (1-based); 0 on the fallback or in a cancel window.

  responseTime @3 :Int64;
  # From the incident's opening (or last reopening) to the ack (µs).

  ackDeadline @4 :Int64;
  # The ack lapses then (escalation resumes) unless the incident is resolved first.
}

struct IncidentUnacknowledged {
  incident @0 :UInt64;
  # The incident given back to its escalation chain.

  version @1 :UInt64;
  # The incident's version after this transition.

  timedOut @2 :Bool;
  # True: the ack timeout passed; false: the envelope's actor unacknowledged it.

  lateness @3 :Int64;
  # How late the ack-timeout timer was handled (µs); 0 for a command.
}

struct StepDone {
  incident @0 :UInt64;
  # The incident whose procedure step was done (by the envelope's actor).

  version @1 :UInt64;
  # The incident's version after this transition.

  step @2 :Text;
  # The step id from site.toml.

  text @3 :Text;
  # The step's text, for display.

  mandatory @4 :Bool;
  # Whether resolving requires this step.
}

struct NoteAdded {
  incident @0 :UInt64;
  # The incident annotated (by the envelope's actor).

  version @1 :UInt64;
  # The incident's version after this transition.

  text @2 :Text;
  # The note, 1..2000 bytes.
}

struct IncidentResolved {
  incident @0 :UInt64;
  # The incident resolved (by the envelope's actor).

  version @1 :UInt64;
  # The incident's version after this transition.

  overrideReason @2 :Text;
  # Non-empty when resolved although mandatory steps were not done.

  missingSteps @3 :List(Text);
  # The mandatory steps not done (only with an override).

  openFor @4 :Int64;
  # From opening (or last reopening) to resolution (µs).
}

struct IncidentReopened {
  incident @0 :UInt64;
  # The resolved incident opened again.

  version @1 :UInt64;
  # The incident's version after this transition.

  count @2 :UInt32;
  # Triggers in the incident now.

  triggerType @3 :Text;
  # The bus type of the trigger that reopened it.

  triggerSeq @4 :UInt64;
  # Its bus sequence number.

  resolvedAt @5 :Int64;
  # When it had been resolved.
}

struct IncidentSilenced {
  incident @0 :UInt64;
  # The incident silenced (by the envelope's actor).

  version @1 :UInt64;
  # The incident's version after this transition.

  until @2 :Int64;
  # No alerts are raised for it before this time.

  reason @3 :Text;
  # Why (required).
}

struct SilenceEnded {
  incident @0 :UInt64;
  # The incident whose silence ended; if unacknowledged, its current level is alerted.

  version @1 :UInt64;
  # The incident's version after this transition.

  lateness @2 :Int64;
  # How late the silence-end timer was handled (µs).
}

struct IncidentReassigned {
  incident @0 :UInt64;
  # The incident reassigned (by the envelope's actor).

  version @1 :UInt64;
  # The incident's version after this transition.

  to @2 :Text;
  # The new assignee: alerted now and with every level from now on.

  previous @3 :Text;
  # The previous assignee, or empty.

  reason @4 :Text;
  # Why, or empty.

  droppedAckBy @5 :Text;
  # The acknowledgement this cleared (the new assignee must acknowledge), or empty.
}

struct IncidentCancelled {
  incident @0 :UInt64;
  # The pending incident (a panic) cancelled within its window (by the envelope's actor).

  version @1 :UInt64;
  # The incident's version after this transition.
}

struct EscalationRequest {
  actor @0 :Text;
  # The person acting. The endpoint checks it against the caller's CURVE identity: an
  # officer key may act only as itself; the console's service key on behalf of officers.

  union {
    acknowledge @1 :IncidentRef;
    # Stop escalation. Reply: version = the incident's version after the ack.

    unacknowledge @2 :IncidentRef;
    # Give an ack back: escalation resumes at the current level.

    markStepDone @3 :StepRef;
    # Mark one procedure step done.

    addNote @4 :Note;
    # Add a note (any state, resolved included).

    resolve @5 :ResolveRequest;
    # Resolve: needs every mandatory step done, or an override reason.

    reassign @6 :ReassignRequest;
    # Make a person the assignee; drops any ack.

    silence @7 :SilenceRequest;
    # No alerts for a while, with a reason.

    cancel @8 :IncidentRef;
    # Cancel a pending incident (a panic) within its cancel window.

    listOpen @9 :Void;
    # Query: the pending, open and acknowledged incidents.

    getIncident @10 :IncidentRef;
    # Query: one incident with its procedure and whole history.

    listOnDuty @12 :Void;
    # Query: who is on duty now, as escalation's roster has it (from shift.* events).

    listIncidents @13 :IncidentRange;
    # Query: the incidents first opened in [from, to) at a post (or every post), in the
    # order they were opened (by id), at most 1000 (the oldest; `truncated` says more
    # were opened). Reply: incidents, each with firstOpenedAt, resolvedAt, resolvedBy and
    # acknowledgedAt set. invalidArgument for from >= to, a range over 31 days or a post
    # over 64 bytes.
  }

  commandId @11 :Data;
  # 16 bytes chosen by the client, fresh for each command (not for each retry of it).
  # A command whose id was already applied is not applied again: the reply is the one it
  # got the first time. Empty: no such protection (a retry may apply twice). Ignored by
  # queries. The derived events' ids are computed from it.
}

struct IncidentRef {
  incident @0 :UInt64;
  # The incident id.
}

struct IncidentRange {
  from @0 :Int64;
  # The range's start (µs, included).

  to @1 :Int64;
  # Its end (µs, excluded); more than `from`, at most 31 days after it.

  post @2 :Text;
  # Only the incidents at this post; empty: every post.
}

struct StepRef {
  incident @0 :UInt64;
  # The incident id.

  step @1 :Text;
  # A step id of its type's procedure.
}

struct Note {
  incident @0 :UInt64;
  # The incident id.

  text @1 :Text;
  # 1..2000 bytes.
}

struct ResolveRequest {
  incident @0 :UInt64;
  # The incident id.

  overrideReason @1 :Text;
  # Empty, or why it is resolved without every mandatory step (at most 2000 bytes).
}

struct ReassignRequest {
  incident @0 :UInt64;
  # The incident id.

  to @1 :Text;
  # The person to assign it to.

  reason @2 :Text;
  # Why, or empty.
}

struct SilenceRequest {
  incident @0 :UInt64;
  # The incident id.

  duration @1 :Int64;
  # How long (µs), more than 0 and at most 24 h.

  reason @2 :Text;
  # Why (required).
}

struct EscalationReply {
  error @0 :EscalationError;
  # none on success.

  message @1 :Text;
  # For a person: what was wrong; empty on success.

  incident @2 :UInt64;
  # The incident the command was about (0 for listOpen).

  version @3 :UInt64;
  # The incident's version after the command (for acknowledge: the ack's version).

  missingSteps @4 :List(Text);
  # With mandatorySteps: the mandatory steps not done yet.

  incidents @5 :List(IncidentSummary);
  # listOpen: the pending, open and acknowledged incidents, by id.

  detail @6 :IncidentDetail;
  # getIncident: the incident (null otherwise).

  onDuty @7 :List(DutyEntry);
  # listOnDuty: everyone on duty, by post, then role, then longest on duty first.

  unpublished @8 :Bool;
  # For a command that changed something: true when the change is stored (it will not be
  # lost) but the bus had not yet acknowledged its events, and every event the service
  # emitted before them, when this reply was sent (escalation.reply_wait ran out, the bus
  # is slow or down). Then an alert raised before the change may still reach a pager.
  # False: those events are on the bus (or the reply carries no change).

  truncated @9 :Bool;
  # listIncidents: more incidents were opened in the range than the reply holds (the
  # oldest are given; ask again from the last one's firstOpenedAt).
}

struct DutyEntry {
  person @0 :Text;
  # Who is on duty.

  post @1 :Text;
  # The post they are on duty at.

  role @2 :Text;
  # Their role on this shift.

  since @3 :Int64;
  # When the shift started (the shift.started event's observedAt, unix µs).

  leadsPost @4 :Bool;
  # True if they are whom `post_leader` names for their post now.
}

struct IncidentSummary {
  incident @0 :UInt64;
  # The incident id.

  version @1 :UInt64;
  # Its current version.

  incidentType @2 :Text;
  # The incident type name.

  severity @3 :Severity;
  # The type's severity.

  state @4 :IncidentState;
  # Where it is in its life cycle.

  post @5 :Text;
  # The post of its first trigger, or empty.

  groupKey @6 :Text;
  # Its rendered grouping key.

  count @7 :UInt32;
  # Triggers grouped into it.

  openedAt @8 :Int64;
  # When it was opened (or last reopened).

  level @9 :UInt32;
  # The current level (1-based); 0 on the fallback or while pending.

  acknowledgedBy @10 :Text;
  # Who acknowledged it, or empty.

  assignee @11 :Text;
  # Its assignee, or empty.

  silencedUntil @12 :Int64;
  # > 0: silenced until then.

  firstOpenedAt @13 :Int64;
  # listIncidents: when it was first opened (openedAt moves when it is reopened); 0 in
  # the other replies.

  acknowledgedAt @14 :Int64;
  # When it was acknowledged, or 0.

  resolvedAt @15 :Int64;
  # When it was resolved (the last time, if reopened since: then 0), or 0.

  resolvedBy @16 :Text;
  # Who resolved it, or empty.
}

struct ProcedureStepStatus {
  step @0 :Text;
  # The step id.

  text @1 :Text;
  # What to do.

  mandatory @2 :Bool;
  # Whether resolving requires it.

  phrase @3 :Text;
  # The standard phrase to use, or empty.

  done @4 :Bool;
  # Whether it has been marked done.

  doneBy @5 :Text;
  # Who marked it done, or empty.

  doneAt @6 :Int64;
  # When, or 0.
}

struct HistoryLine {
  at @0 :Int64;
  # When the transition happened.

  type @1 :Text;
  # The event type it was published as.

  actor @2 :Text;
  # Who caused it, or empty.

  text @3 :Text;
  # One human-readable line, e.g. "alert raised to ann (level 1, role:duty_officer, opened)".

  version @4 :UInt64;
  # The incident's version after it.
}

struct IncidentDetail {
  summary @0 :IncidentSummary;
  # As in listOpen.

  procedure @1 :List(ProcedureStepStatus);
  # The type's standard procedure, in order, with what is done.

  history @2 :List(HistoryLine);
  # Every transition, oldest first.

  nextStepAt @3 :Int64;
  # When the chain moves on unless acknowledged (0 = not escalating).

  ackDeadline @4 :Int64;
  # When the current ack lapses (0 = not acknowledged).

  cancelWindowUntil @5 :Int64;
  # While pending: when escalation starts.

  resolvedAt @6 :Int64;
  # When resolved, or 0.

  resolvedBy @7 :Text;
  # Who resolved it, or empty.

  overrideReason @8 :Text;
  # The override reason it was resolved with, or empty.

  note @9 :Text;
  # The reporter's note (of the trigger that opened or last reopened it), or empty.
}
