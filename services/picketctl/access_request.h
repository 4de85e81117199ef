// `picketctl access ...`: from parsed arguments to one AccessRequest frame
// (schemas/access.capnp). Pure: no sockets, no clock, no environment (the caller passes
// the actor, already resolved with ResolveActor, and `now` for relative times).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"

namespace picket {

// The commands first, then the queries (IsAccessQuery relies on the order).
enum class AccessVerb {
  kRegisterPerson,   // register-person ID --name N --kind staff|contractor
  kPreRegister,      // preregister ID --name N --host H --expected TIME
  kWalkUp,           // walk-up ID --name N --host H [--approved-by P] [--gate G] [--post P]
  kRegisterVehicle,  // register-vehicle PLATE --description D --kind K [--host H] [--driver P]
  kIssuePass,        // issue-pass CODE --person ID --from TIME --until TIME
  kRevoke,           // revoke CODE --reason R
  kExtend,           // extend CODE --until TIME
  kCheckOut,         // check-out PERSON [--gate G]
  kWatchAdd,         // watch-add (--name N | --person ID) --reason R --action A
  kWatchRemove,      // watch-remove ENTRY --reason R
  kApprove,          // approve ID --by P              (a pending walk-up)
  kDeny,             // deny ID --by P --reason R      (a pending walk-up)
  kPass,             // pass CODE                       (query)
  kPerson,           // person ID                       (query)
  kVisits,           // visits --from TIME --to TIME    (query)
  kOnSite,           // on-site [--csv]                 (query)
  kCompliance,       // compliance [--post P] --from TIME --to TIME (query)
  kWatchlist,        // watchlist                       (query)
  kPending,          // pending                         (query: walk-ups waiting for approval)
};

inline constexpr AccessVerb kAllAccessVerbs[] = {
    AccessVerb::kRegisterPerson, AccessVerb::kPreRegister,
    AccessVerb::kWalkUp,         AccessVerb::kRegisterVehicle,
    AccessVerb::kIssuePass,      AccessVerb::kRevoke,
    AccessVerb::kExtend,         AccessVerb::kCheckOut,
    AccessVerb::kWatchAdd,       AccessVerb::kWatchRemove,
    AccessVerb::kApprove,        AccessVerb::kDeny,
    AccessVerb::kPass,           AccessVerb::kPerson,
    AccessVerb::kVisits,         AccessVerb::kOnSite,
    AccessVerb::kCompliance,     AccessVerb::kWatchlist,
    AccessVerb::kPending};

// What the person typed, as text; BuildAccessRequest checks it.
struct AccessArgs {
  AccessVerb verb = AccessVerb::kOnSite;
  std::string actor;  // already resolved (ResolveActor); required by commands
  std::string id;     // the positional: person id, pass code, person key or entry id
  std::string name;   // the register verbs; watch-add
  std::vector<std::string> aliases;
  std::string kind;  // register-person: "staff" or "contractor"
  std::string company;
  std::string host;                // preregister, walk-up
  std::string expected;            // preregister: a time (access_time.h)
  std::string approved_by;         // walk-up
  std::string driver;              // register-vehicle
  std::string person;              // issue-pass, watch-add
  std::string from, until;         // issue-pass (from, until); extend (until)
  std::string to;                  // visits, compliance (with from)
  std::vector<std::string> gates;  // issue-pass
  std::string hours;               // issue-pass: "HH:MM-HH:MM"
  std::string gate;                // check-out; walk-up (where the visitor waits)
  std::string reason;              // revoke, watch-add, watch-remove, deny
  std::string action;              // watch-add: deny, supervisor or notify
  std::string post;                // compliance; walk-up (the guard's post)
  std::string by;                  // approve, deny: the host or an officer deciding
};

// The sub-command's name as typed ("register-person", "on-site", ...).
std::string_view AccessVerbName(AccessVerb verb);

// Whether the verb only reads (a query: no actor, no command id).
bool IsAccessQuery(AccessVerb verb);

// Encodes the AccessRequest for `args`. `command_id` (16 bytes) is set on commands and
// left out of queries. Returns nullopt and sets *error (naming the argument, e.g.
// "--until: 'tomorrow' is not a time: ...") for what the CLI can tell is wrong: no actor
// for a command, an empty required text, a malformed time, an unknown kind or action, an
// entry that is not a number. Checks the service makes itself (id syntax, lengths, time
// ranges, hours syntax) are left to it.
std::optional<std::string> BuildAccessRequest(const AccessArgs& args, std::string_view command_id,
                                              Micros now, std::string* error);

}  // namespace picket
