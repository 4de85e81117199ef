# The event envelope: every fact in Picket travels in one of these.
#
# Ids and field numbers are fixed forever; fields are only ever added.
# Times are microseconds since the Unix epoch (UTC), as Int64.
@0xa63824cb6f9987dc;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("picket::wire");

struct Event {
  id @0 :Data;
  # Exactly 16 bytes, chosen by the producer (random for observations; derived from
  # (service, cause seq, index) for derived events). The bus drops duplicates by this id.

  site @1 :Text;
  # The site this event belongs to; must equal the bus's site id. 1..64 bytes.

  type @2 :Text;
  # Dotted lower-case type name, e.g. "access.pass_scanned" (grammar in docs/protocol.md).
  # Also the PUB topic. 3..64 bytes.

  producer @3 :Text;
  # Who produced it: a terminal id or a service name. 1..64 bytes.

  actor @4 :Text;
  # The person acting (a guard, an officer), or empty. 0..64 bytes.

  observedAt @5 :Int64;
  # The producer's clock when the fact was observed (unix µs). Must be > 0.

  seq @6 :UInt64;
  # The site sequence number: 0 in a publish; set by the bus when recorded.

  recordedAt @7 :Int64;
  # The bus's receive time (unix µs): 0 in a publish; set by the bus when recorded.

  body @8 :AnyPointer;
  # The type's body: a struct of the schema the type registry names for `type`
  # (see schemas/terminal.capnp), or null for types without a body.
}
