# The event envelope: every fact in Picket travels in one of these.
#
# Ids and field numbers are fixed forever; fields are only ever added.
# Times are microseconds since the Unix epoch (UTC), as Int64. Every Text (here and in the
# registered bodies) is valid UTF-8 without NUL bytes, or the bus refuses the publish
# (badText). docs/protocol.md gives the rule and the refusal code of every field.
@0xa63824cb6f9987dc;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("picket::wire");

struct Event {
  id @0 :Data;
  # Exactly 16 bytes, chosen by the producer (random for observations; derived from
  # (service, cause seq, index) for derived events). The bus drops duplicates by this id.
  # Absent or empty: missingField; any other length: outOfRange.

  site @1 :Text;
  # The site this event belongs to; must equal the bus's site id. 1..64 bytes.

  type @2 :Text;
  # Dotted lower-case type name, e.g. "terminal.pass_scanned" (grammar in docs/protocol.md).
  # Also the PUB topic (the type's bytes, no terminator). 3..64 bytes.

  producer @3 :Text;
  # Who produced it: a terminal id or a service name. 1..64 bytes.

  actor @4 :Text;
  # The person acting (a guard, an officer), or empty. 0..64 bytes.

  observedAt @5 :Int64;
  # The producer's clock when the fact was observed (unix µs): at or after
  # 2000-01-01T00:00:00Z (946684800000000) and before 2200-01-01T00:00:00Z
  # (7258118400000000). 0 is missingField; any other value outside is outOfRange.

  seq @6 :UInt64;
  # The site sequence number: 0 in a publish; set by the bus when recorded.

  recordedAt @7 :Int64;
  # The bus's receive time (unix µs): 0 in a publish; set by the bus when recorded.

  body @8 :AnyPointer;
  # The type's body: a struct of the schema the type registry names for `type`
  # (services/wire/event_types.h; the table in docs/protocol.md), with the type's required
  # fields non-empty (else missingField), or null for a type that is not registered (a body
  # there is refused: unknownType). A type that is not registered under a registered
  # namespace (terminal.*, shift.*, escalation.*, notify.*) is refused: unknownType.

  prevHash @9 :Data;
  # The site log's hash chain: the chain hash of the event recorded just before this one
  # (seq - 1), 32 bytes; 32 zero bytes for the first event of a log. Set by the bus when
  # it records the event (whatever a publish carries here is replaced). The chain hash of
  # an event is BLAKE2b-256 (libsodium crypto_generichash, 32-byte output, no key) of the
  # Cap'n Proto canonical encoding of the whole recorded Event, this field included, so a
  # changed byte anywhere in event n breaks the link from n + 1 (`picketctl audit verify`;
  # docs/security.md). Empty on events recorded before the chain existed.
}
