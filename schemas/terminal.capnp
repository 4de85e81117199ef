# Observations published by post terminals (bodies of Event, by type).
# Grown by later areas; fields are only ever added.
#
#   type                       body
#   terminal.pass_scanned      PassScanned
#   terminal.checkpoint_scanned CheckpointScanned
#   terminal.incident_reported IncidentReported
#   terminal.panic_pressed     PanicPressed
@0xcc8730136cf186c3;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("picket::wire");

struct PassScanned {
  post @0 :Text;       # the post (gate) where it was scanned
  passCode @1 :Text;   # the code read from the pass
  direction @2 :Direction;
}

enum Direction {
  # DO NOT CHANGE: on the wire.
  in @0;
  out @1;
}

struct CheckpointScanned {
  post @0 :Text;       # the post the patrolling guard belongs to
  tag @1 :Text;        # the checkpoint tag read
}

struct IncidentReported {
  post @0 :Text;
  kind @1 :Text;       # an incident type name from the site config
  note @2 :Text;
}

struct PanicPressed {
  post @0 :Text;
}
