// `picketctl incident ...`: from parsed arguments to one EscalationRequest frame
// (schemas/escalation.capnp). Pure: no sockets, no clock, no environment (the caller
// passes $PICKET_ACTOR / $USER in).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"

namespace picket {

enum class IncidentVerb {
  kAcknowledge,    // ack ID
  kUnacknowledge,  // unack ID
  kStepDone,       // step ID STEP
  kNote,           // note ID TEXT
  kResolve,        // resolve ID [--override REASON]
  kReassign,       // reassign ID --to PERSON [--reason R]
  kSilence,        // silence ID --for DURATION --reason R
  kCancel,         // cancel ID
  kList,           // list [--from T --to T [--post P]]  (query: listOpen, or listIncidents)
  kShow,           // show ID       (query)
};

// What the person typed, as text; BuildIncidentRequest checks it.
struct IncidentArgs {
  IncidentVerb verb = IncidentVerb::kList;
  std::string incident;         // the incident id as typed (decimal, optionally "#12")
  std::string actor;            // already resolved (ResolveActor)
  std::string step;             // kStepDone
  std::string text;             // kNote
  std::string override_reason;  // kResolve ("" = none)
  std::string to;               // kReassign
  std::string reason;           // kReassign (optional), kSilence (required)
  std::string duration;         // kSilence, e.g. "15m" (runtime ParseDurationMicros)
  // kList: with --from and --to (both or neither; access_time.h's forms: RFC 3339, "now",
  // "-7d"), the incidents first opened in [from, to) (listIncidents) instead of the open
  // ones; --post (optional) only those at that post.
  std::string opened_from;  // --from
  std::string opened_to;    // --to
  std::string post;
  Micros now = 0;  // what "now" and "-7d" in from/to are relative to
};

// The sub-command's name as typed ("ack", "unack", "step", ...).
std::string_view IncidentVerbName(IncidentVerb verb);

// Whether the verb changes the incident (then it needs a command id, and a retry must
// reuse it) rather than only reading it.
bool IsMutatingVerb(IncidentVerb verb);

// The acting person: `flag` (--as) if non-empty, else $PICKET_ACTOR (nullptr when unset).
// nullopt if both are empty: picketctl never makes up an actor (the login name of the
// shell is not a person of the site), and escalation refuses a name it does not know.
std::optional<std::string> ResolveActor(const std::string& flag, const char* picket_actor);

// Parses an incident id: decimal digits, optionally after '#', value >= 1.
std::optional<uint64_t> ParseIncidentId(std::string_view text);

// Encodes the EscalationRequest for `args`. `command_id` (16 bytes) is set on mutating
// verbs and ignored by queries. Returns nullopt and sets *error (naming the argument,
// e.g. "--for: '15x' is not a duration like 15m") for what the CLI can tell is wrong:
// a bad id, a bad duration, an empty required text, no actor for a mutating verb (a
// query may go without one). Range checks the service
// makes itself (text length, silence at most 24 h) are left to it.
std::optional<std::string> BuildIncidentRequest(const IncidentArgs& args,
                                                std::string_view command_id, std::string* error);

}  // namespace picket
