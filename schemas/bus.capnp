# picket-bus: the site event log. Three endpoints (docs/protocol.md has the frames):
#
#   ingest (ROUTER):   publish = C:BusRequest.publish ( S:BusReply.ack / S:BusReply.nack )
#                      status  = C:BusRequest.status S:BusReply.status
#                      anything else = S:BusReply.nack(wrongType)
#   events (PUB):      stream  = *( S:[type][Event] / S:["_hb"][Heartbeat] )
#   replay (ROUTER):   replay  = C:BusRequest.replay *( S:BusReply.replayBatch [C:BusRequest.credit] )
#                                S:BusReply.replayEnd
#                      cancel  = C:BusRequest.cancel   [ S:BusReply.nack(unknownSession) ]
#                      report  = C:BusRequest.progress [ S:BusReply.nack ]
#                      status  = C:BusRequest.status S:BusReply.status
#                      error   = C:<anything else> S:BusReply.nack
#
# A client may pipeline publishes (many in flight); replies may come back in any order and
# carry the event id they answer (a nack: whenever the frame holds a readable 16-byte id,
# even a frame refused as too large). Every request is one frame holding one BusRequest;
# frames before it (a REQ socket's empty delimiter, a client's tag) are echoed back before
# the reply.
# Every Text the bus takes (in the envelope, in a registered body, in Progress) must be
# valid UTF-8 without NUL bytes. docs/protocol.md has the table of every input and its
# reply; the suite checks the bus against it.
@0x9e3cd77462a91637;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("picket::wire");

using import "envelope.capnp".Event;

enum ErrorCode {
  # DO NOT CHANGE the numbers: they are on the wire and in clients.
  none @0;
  malformed @1;       # the frame is not a valid Cap'n Proto BusRequest (or a pointer in the
                      # envelope is out of bounds or of the wrong kind)
  tooLarge @2;        # the frame is over the bus's max_message_bytes
  wrongType @3;       # a valid request this endpoint does not take
  missingField @4;    # a required field is absent or empty (the event, id, site, type,
                      # producer, observedAt = 0, a registered body's required field,
                      # subscriber)
  outOfRange @5;      # a field is out of range: a length (id not 16 bytes, text too long),
                      # the type grammar, observedAt, seq or recordedAt set, replay bounds
  unauthorized @6;    # the caller may not send this (reserved for CURVE roles)
  badFrames @7;       # more than 8 envelope frames before the request, or one over 255 bytes
  unknownSession @8;  # credit or cancel from a client without a replay session
  unavailable @9;     # the bus cannot take it now (shutting down, storage failure, too many sessions)
  wrongSite @10;      # the event's site is not this bus's site
  unknownType @11;    # the type or body is not one the bus knows: a registered type without
                      # a struct body or with one that does not read as its schema; a type
                      # not registered in a registered namespace (terminal.*, shift.*, ...);
                      # an unregistered type with a body (it must be null)
  badText @12;        # a Text field is not valid UTF-8 or holds a NUL byte (the message
                      # names the field)
}

struct BusRequest {
  union {
    publish @0 :Event;
    # Record this event. seq and recordedAt must be 0. A null Event is missingField.

    replay @1 :ReplayRequest;
    credit @2 :Credit;
    cancel @3 :Void;
    # End this client's replay session: no reply, or nack(unknownSession) if it has none.

    progress @4 :Progress;
    status @5 :Void;
  }
}

struct ReplayRequest {
  fromSeq @0 :UInt64;
  # First sequence number wanted (>= 1, else outOfRange). Earlier than the oldest retained
  # starts there; past the head, the replay ends at once (ReplayEnd.lastSeq = fromSeq - 1).

  toSeq @1 :UInt64;
  # Last sequence number wanted; 0 = up to the head as it is when the replay reaches it.
  # Neither 0 nor >= fromSeq: outOfRange.

  credit @2 :UInt32;
  # How many events the client can take now (1..100000, else outOfRange). The bus never
  # sends more events than the credit granted; the client grants more with
  # BusRequest.credit.

  maxBatch @3 :UInt32;
  # Most events per ReplayBatch message (0 = the bus's bus.replay_max_batch, 256 by
  # default; more than 65536 counts as 65536).
}

struct Credit {
  events @0 :UInt32;
  # More events the client can take (added to what is left): 1..100000, else outOfRange.
}

struct Progress {
  subscriber @0 :Text;
  # The reporting subscriber's name, e.g. "picket-access". 1..64 bytes of UTF-8 (empty:
  # missingField; longer: outOfRange; not UTF-8 or with a NUL: badText).

  appliedSeq @1 :UInt64;
  # The highest sequence number it has applied.
}

struct BusReply {
  union {
    ack @0 :Ack;
    nack @1 :Nack;
    replayBatch @2 :ReplayBatch;
    replayEnd @3 :ReplayEnd;
    status @4 :Status;
  }
}

struct Ack {
  eventId @0 :Data;      # the id of the event this answers
  seq @1 :UInt64;        # its sequence number in the site log
  recordedAt @2 :Int64;  # the bus's receive time (unix µs)
  duplicate @3 :Bool;    # true if the id was already recorded: seq/recordedAt are the original's
}

struct Nack {
  eventId @0 :Data;      # the id of the event refused: read from every frame that begins
                         # with a complete message holding a publish with a 16-byte id,
                         # whatever else is wrong with it (too large, bytes after it, a
                         # bad field); else empty
  code @1 :ErrorCode;
  message @2 :Text;      # a human-readable reason
}

struct ReplayBatch {
  events @0 :List(Event);  # consecutive sequence numbers, in order
  headSeq @1 :UInt64;      # the bus head when sent
  firstSeq @2 :UInt64;     # the oldest retained sequence number (0 if the log is empty)
}

struct ReplayEnd {
  lastSeq @0 :UInt64;      # the last sequence number sent (fromSeq-1 if none, which is
                           # above headSeq for a replay that started past the head)
  headSeq @1 :UInt64;      # the bus head when sent
  firstSeq @2 :UInt64;     # the oldest retained sequence number (0 if the log is empty)
}

struct Heartbeat {
  site @0 :Text;
  headSeq @1 :UInt64;      # the last recorded sequence number (0 = empty log)
  sentAt @2 :Int64;        # the bus clock (unix µs)
}

struct SubscriberStatus {
  subscriber @0 :Text;
  appliedSeq @1 :UInt64;
  reportedAt @2 :Int64;    # when it last reported (bus clock, unix µs)
}

struct Status {
  site @0 :Text;
  headSeq @1 :UInt64;
  firstSeq @2 :UInt64;
  subscribers @3 :List(SubscriberStatus);
  now @4 :Int64;
}

struct ChainCheckpoint {
  # The body of bus.checkpoint, recorded by the bus itself (producer "bus") when a
  # checkpoint key is configured: a signature over the hash chain's tip, which nobody
  # without the key can make again for a log rewritten with recomputed links
  # (docs/security.md, docs/protocol.md "Signed checkpoints").

  upTo @0 :UInt64;
  # The seq of the event whose chain hash is signed: the event recorded just before this one.

  tipHash @1 :Data;
  # That event's chain hash (32 bytes).

  signature @2 :Data;
  # Ed25519 (64 bytes) over "picket.checkpoint.v1" 0x00 site 0x00 upTo (8 bytes, big-endian)
  # tipHash.

  key @3 :Data;
  # The Ed25519 public key that made it (32 bytes), so a verifier can name the key; trust
  # comes from the key the verifier holds, never from this field.
}

struct Refused {
  # The body of bus.publish_refused (recorded by the bus) and of <service>.command_refused
  # (recorded by picket-escalation, -access, -patrol, -scoring): a request refused because
  # of who sent it, on a site with [security] (docs/security.md). Who tried what.

  identity @0 :Text;
  # The name the sender's CURVE key is listed under (site.toml [security.identities]).

  role @1 :Text;
  # Its role: terminal, service, officer, supervisor or admin.

  what @2 :Text;
  # The event type it offered (publish), or the command it sent ("acknowledge").

  asWhom @3 :Text;
  # The producer the event named, or the actor the command named (may be empty).

  reason @4 :Text;
  # Why it was refused, as the sender was told.

  unrecorded @5 :UInt64;
  # Refusals of this process since the last recorded one that were not recorded (at most
  # 60 are recorded a minute; every one is counted in the metrics and answered).
}
