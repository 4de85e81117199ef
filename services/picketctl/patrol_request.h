// `picketctl patrol ...`: from parsed arguments to one PatrolRequest frame
// (schemas/patrol.capnp). Pure: no sockets, no clock, no environment (the caller passes
// the actor, already resolved with ResolveActor, and `now` for relative and default
// times).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"

namespace picket {

// The commands first, then the queries (IsPatrolQuery relies on the order).
enum class PatrolVerb {
  kExtend,      // extend ROUND --by DURATION --reason R
  kExcuse,      // excuse ROUND CHECKPOINT --reason R
  kCancel,      // cancel ROUND --reason R
  kRounds,      // rounds [--from T] [--to T] [--post P] [--guard G] [--route R]  (query)
  kRound,       // round ROUND                                                   (query)
  kCurrent,     // current [--post P]                                            (query)
  kCompletion,  // completion [--by guard|post] [--from T] [--to T]              (query)
};

inline constexpr PatrolVerb kAllPatrolVerbs[] = {
    PatrolVerb::kExtend, PatrolVerb::kExcuse,  PatrolVerb::kCancel,    PatrolVerb::kRounds,
    PatrolVerb::kRound,  PatrolVerb::kCurrent, PatrolVerb::kCompletion};

// The window `rounds` and `completion` look at when --from and --to are not given: the
// 24 hours before --to (default now).
inline constexpr Micros kDefaultPatrolWindow = 24 * 3600 * kMicrosPerSecond;

// What the person typed, as text; BuildPatrolRequest checks it.
struct PatrolArgs {
  PatrolVerb verb = PatrolVerb::kCurrent;
  std::string actor;            // already resolved (ResolveActor); required by commands
  std::string round;            // the positional of extend, excuse, cancel, round: "12" or "#12"
  std::string checkpoint;       // excuse: the checkpoint's tag
  std::string by;               // extend: a duration, "10m" (runtime ParseDurationMicros)
  std::string reason;           // the commands
  std::string from, to;         // rounds, completion: times (access_time.h); "" = the default
  std::string post;             // rounds, current: "" = any
  std::string guard;            // rounds: "" = any
  std::string route;            // rounds: "" = any
  std::string group = "guard";  // completion --by: "guard" or "post"
};

// The sub-command's name as typed ("extend", "rounds", ...).
std::string_view PatrolVerbName(PatrolVerb verb);

// Whether the verb only reads (a query: no actor, no command id).
bool IsPatrolQuery(PatrolVerb verb);

// Encodes the PatrolRequest for `args`. `command_id` (16 bytes) is set on commands and
// left out of queries. --from and --to default as kDefaultPatrolWindow says. Returns
// nullopt and sets *error (naming the argument, e.g. "--by: '10x' is not a duration like
// 10m") for what the CLI can tell is wrong: no actor for a command, an empty reason or
// checkpoint, a round that is not a number from 1, a malformed time or duration, --by of
// completion neither guard nor post. The checks the service makes itself (the range of
// --by, from < to and at most 31 days, lengths) are left to it.
std::optional<std::string> BuildPatrolRequest(const PatrolArgs& args, std::string_view command_id,
                                              Micros now, std::string* error);

}  // namespace picket
