// `picketctl score ...`: from parsed arguments to one ScoringRequest frame
// (schemas/scoring.capnp). Pure: no sockets, no clock, no environment (the caller passes
// the actor, already resolved with ResolveActor, and `now` for relative times).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"

namespace picket {

// The commands first, then the queries (IsScoreQuery relies on the order).
enum class ScoreVerb {
  kInspect,      // inspect POST [--guard G] --pass CATEGORY ... --fault CATEGORY[:note] ...
  kCommend,      // commend [--guard G] [--post P] --reason R
  kVoid,         // void ENTRY --reason R
  kLeaderboard,  // leaderboard [--period K] [--at T] [--by guard|post|squad] [--limit N] (query)
  kExplain,      // explain (--guard G | --post P | --squad S) [--period K] [--at T]     (query)
  kEntry,        // entry ID                                                             (query)
  kAwards,       // awards [--period K] [--limit N]                                      (query)
};

inline constexpr ScoreVerb kAllScoreVerbs[] = {
    ScoreVerb::kInspect, ScoreVerb::kCommend, ScoreVerb::kVoid,  ScoreVerb::kLeaderboard,
    ScoreVerb::kExplain, ScoreVerb::kEntry,   ScoreVerb::kAwards};

// The most rows a leaderboard or the awards may ask for (--limit 1..1000).
inline constexpr uint32_t kMaxScoreLimit = 1000;

// What the person typed, as text; BuildScoreRequest checks it.
struct ScoreArgs {
  ScoreVerb verb = ScoreVerb::kLeaderboard;
  std::string actor;                // already resolved (ResolveActor); required by commands
  std::string entry;                // void ENTRY, entry ID: "42" or "#42"
  std::string post;                 // inspect POST; commend, explain --post
  std::string guard;                // inspect, commend, explain --guard
  std::string squad;                // explain --squad
  std::string reason;               // commend, void
  std::vector<std::string> passes;  // inspect --pass: "CATEGORY" (or "CATEGORY:note")
  std::vector<std::string> faults;  // inspect --fault: "CATEGORY" or "CATEGORY:note"
  std::string period;               // shift, day, week, month; "" = day (awards: week)
  std::string at;                   // a time in the period (access_time.h); "" = now
  std::string by = "guard";         // leaderboard --by: guard, post or squad
  std::string limit;                // leaderboard, awards: "1".."1000"; "" = the service's
};

// The sub-command's name as typed ("inspect", "leaderboard", ...).
std::string_view ScoreVerbName(ScoreVerb verb);

// Whether the verb only reads (a query: no actor, no command id).
bool IsScoreQuery(ScoreVerb verb);

// Encodes the ScoringRequest for `args`. `command_id` (16 bytes) is set on commands and
// left out of queries. An absent --at is sent as 0 (the service's now). Findings go in
// the order given, the passes first. Returns nullopt and sets *error (naming the argument,
// e.g. "--limit: '0' is not a number from 1 to 1000") for what the CLI can tell is wrong:
// no actor for a command; an empty post, guard, squad or reason where one is needed; an
// entry that is not a number from 1; a period, --by or time it does not know; inspect with
// no finding or a finding without a category; commend naming neither guard nor post;
// explain naming no subject or more than one. The checks the service makes itself (known
// posts and categories, repeated categories, lengths) are left to it.
std::optional<std::string> BuildScoreRequest(const ScoreArgs& args, std::string_view command_id,
                                             Micros now, std::string* error);

}  // namespace picket
