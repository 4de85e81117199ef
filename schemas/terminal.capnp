# Observations published by post terminals (bodies of Event, by type).
# Grown by later areas; fields are only ever added.
#
#   type                       body
#   terminal.pass_scanned      PassScanned
#   terminal.checkpoint_scanned CheckpointScanned
#   terminal.incident_reported IncidentReported
#   terminal.panic_pressed     PanicPressed
#   terminal.manual_entry      ManualEntry
#   terminal.visitor_arrived   VisitorArrival
#   terminal.round_started     PatrolStart
#   terminal.round_ended       PatrolEnd
#
# The guard on duty is the envelope's actor; observedAt is when the guard or the reader
# saw it (a terminal that was offline publishes late with the original time).
@0xcc8730136cf186c3;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("picket::wire");

struct PassScanned {
  post @0 :Text;       # the post (gate) where it was scanned
  passCode @1 :Text;   # the code read from the pass
  direction @2 :Direction;
  gate @3 :Text;
  # The gate id (site.toml access.gates). Empty: the gate whose id is `post`, else the one
  # gate staffed by `post` (picket-access refuses unknown_gate if neither is one gate).
  supervisor @4 :Text;
  # An officer standing by at the gate (a "supervisor" watchlist entry admits only with
  # one), or empty.
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
  duress @1 :Bool;
  # True: the guard entered their duress code (forced to log in or to open the gate). The
  # terminal showed the guard's screen as usual and sent this at once, with no cancel
  # window; nothing at the post may show that it went out.
}

struct ManualEntry {
  # A guard let someone in without a pass (an unregistered entry).
  post @0 :Text;
  gate @1 :Text;       # as in PassScanned
  person @2 :Text;     # a person id, or the name as the guard typed it
  note @3 :Text;       # why (required)
}

struct VisitorArrival {
  # A visitor announced themselves at the gate: their wait starts.
  post @0 :Text;
  gate @1 :Text;       # as in PassScanned
  person @2 :Text;     # the visitor's person id
}

struct PatrolStart {
  # A guard starts a patrol round (picket-patrol binds it to the round due).
  post @0 :Text;       # the guard's post
  route @1 :Text;      # the route; empty when the post has one (or one round is due)
}

struct PatrolEnd {
  # A guard ends their round at this post early: its pending checkpoints are missed.
  post @0 :Text;
}
