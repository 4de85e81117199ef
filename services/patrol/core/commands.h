// The commands and queries picket-patrol answers, and its replies, as domain values (the
// adapter converts PatrolRequest / PatrolReply of schemas/patrol.capnp). Every command
// names the supervisor acting (`actor`, required) and a reason. Who may send which
// command (roles) is the adapter's check; the core checks the command against the state.
//
// Expected refusals are Reply values with an error code and a sentence; a refused command
// changes nothing and emits nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "patrol/core/events.h"

namespace picket::patrol {

// Moves every pending deadline of a round (its start, the next checkpoint, its end) later
// by `by`: a guard called away to an incident. Scheduled, not-started and in-progress
// rounds only.
struct ExtendDeadline {
  uint64_t round = 0;
  Micros by = 0;  // 1 min .. 12 h
  std::string reason;
};
// Turns a missed checkpoint into an excused one (it then counts as neither).
struct ExcuseCheckpoint {
  uint64_t round = 0;
  std::string checkpoint;
  std::string reason;
};
// Cancels a round that is scheduled, not started or in progress; its timers go.
struct CancelRound {
  uint64_t round = 0;
  std::string reason;
};
// Queries: they change nothing.
// Rounds due (or, unscheduled, started) in [from, to), optionally of one post / guard /
// route (empty = any); at most kMaxQueryRange long, at most kMaxRounds rounds (the
// earliest), ascending by time then id.
struct ListRounds {
  Micros from = 0, to = 0;
  std::string post, guard, route;
};
// One round, whole (its checkpoints and their verdicts).
struct GetRound {
  uint64_t round = 0;
};
// The rounds in progress now (of one post, or every post), whole.
struct CurrentRounds {
  std::string post;
};
// Completion rates over the rounds of [from, to), per guard or per post.
struct GetCompletion {
  Micros from = 0, to = 0;
  bool by_guard = true;  // false: per post
};

using CommandBody = std::variant<ExtendDeadline, ExcuseCheckpoint, CancelRound, ListRounds,
                                 GetRound, CurrentRounds, GetCompletion>;

struct Command {
  std::string actor;  // who is acting; required for every command but the queries
  CommandBody body;
};
bool IsQuery(const Command& c);

inline constexpr size_t kMaxTextBytes = 500;
inline constexpr Micros kMaxQueryRange = 31LL * 24 * 3600 * kMicrosPerSecond;
inline constexpr size_t kMaxRounds = 2000;

// DO NOT CHANGE the numbers: they are on the wire (PatrolError).
enum class CommandError : uint8_t {
  kNone = 0,
  kInvalidArgument = 1,    // empty/too long field, bad range, `by` out of bounds
  kUnknownRound = 2,       // no round with that id
  kUnknownCheckpoint = 3,  // not a checkpoint of that round
  kWrongState = 4,         // e.g. cancel a completed round, excuse one not missed
};
std::string_view CommandErrorName(CommandError e);

// Completion figures of one guard or post.
struct Completion {
  std::string subject;       // the guard's person id or the post
  uint32_t rounds = 0;       // rounds due or started in the period (not cancelled)
  uint32_t completed = 0;    // of those, completed
  uint32_t not_started = 0;  // not started (or started only after their deadline)
  uint32_t late = 0;         // with round_late
  uint32_t checkpoints_on_time = 0, checkpoints_late = 0, checkpoints_missed = 0,
           checkpoints_excused = 0;
  // Checkpoints on time or late per thousand expected (excused ones not expected);
  // 1000 when none were expected.
  uint32_t permille() const;
};

struct Reply {
  CommandError error = CommandError::kNone;
  std::string message;                 // for a person; empty on success
  std::vector<Round> rounds;           // ListRounds, GetRound (one), CurrentRounds, and the
                                       // round a command changed (one)
  std::vector<Completion> completion;  // GetCompletion, ascending by subject
  bool truncated = false;              // ListRounds: more than kMaxRounds matched
  bool ok() const { return error == CommandError::kNone; }
};

struct CommandResult {
  Reply reply;
  Effects effects;  // empty unless the command succeeded
};

}  // namespace picket::patrol
