# The duty roster's facts (bodies of Event, by type). Published by post terminals when a
# guard signs on or off, or by the console for officers. Every service that needs to know
# who is on duty builds the same projection from these (services/domain/roster.h).
# Fields are only ever added.
#
#   type            body
#   shift.started   ShiftStarted
#   shift.ended     ShiftEnded
@0x96e37d75df0ea60f;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("picket::wire");

struct ShiftStarted {
  person @0 :Text;
  # Who is now on duty. A person holds one duty at a time: a new start replaces the last.

  post @1 :Text;
  # The post they are on duty at.

  role @2 :Text;
  # Their role on this shift, e.g. "guard", "squad_leader", "duty_officer".
}

struct ShiftEnded {
  person @0 :Text;
  # Who is now off duty (a no-op if they were not on duty).
}
