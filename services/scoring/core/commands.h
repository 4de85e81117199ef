// The commands and queries picket-scoring answers, as domain values (the adapter converts
// ScoringRequest / ScoringReply of schemas/scoring.capnp). Commands name the supervisor
// acting (`actor`, required). Who may send which (roles) is the adapter's check.
//
// A refused command changes nothing and emits nothing. Points never come from a command:
// an inspection or commendation is recorded as an event, and the rules score that event
// when it comes back from the bus, like any other.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "scoring/core/events.h"

namespace picket::scoring {

struct Finding {
  std::string category;  // one of the config's categories
  bool passed = false;
  std::string note;  // optional, <= kMaxTextBytes
};
// A supervisor's inspection at a post (a known post): 1..kMaxFindings findings, each a
// different category. `guard` (optional): the guard on post then.
struct InspectCommand {
  std::string post, guard;
  std::vector<Finding> findings;
};
// A commendation of a guard and/or a post (at least one; a post must be known).
struct CommendCommand {
  std::string post, guard, reason;  // reason required
};
// Voids a live entry with a reason (required).
struct VoidCommand {
  uint64_t entry = 0;
  std::string reason;
};
// Queries: they change nothing.
// The ranking of `subjects` in the period of `kind` containing `at` (0: the command's
// now): best first (ranking in scoring.h), at most `limit` rows (1..kMaxRows; 0 = all up
// to kMaxRows).
struct LeaderboardQuery {
  PeriodKind kind = PeriodKind::kDay;
  Micros at = 0;
  SubjectKind subjects = SubjectKind::kGuard;
  uint32_t limit = 0;
};
// Why a subject has its total in a period: its entries (voided ones too, marked), in
// time order, at most kMaxRows (the earliest).
struct ExplainQuery {
  SubjectKind subject_kind = SubjectKind::kGuard;
  std::string subject;
  PeriodKind kind = PeriodKind::kDay;
  Micros at = 0;
};
struct EntryQuery {
  uint64_t entry = 0;
};
// The awards granted for periods of `kind`, latest first, at most `limit` (1..kMaxRows;
// 0 = 10). The first is the current holder.
struct AwardsQuery {
  PeriodKind kind = PeriodKind::kWeek;
  uint32_t limit = 0;
};

using CommandBody = std::variant<InspectCommand, CommendCommand, VoidCommand, LeaderboardQuery,
                                 ExplainQuery, EntryQuery, AwardsQuery>;

struct Command {
  std::string actor;
  CommandBody body;
};
bool IsQuery(const Command& c);

inline constexpr size_t kMaxTextBytes = 500;
inline constexpr size_t kMaxFindings = 16;
inline constexpr size_t kMaxRows = 1000;

// DO NOT CHANGE the numbers: on the wire (ScoringError).
enum class CommandError : uint8_t {
  kNone = 0,
  kInvalidArgument = 1,  // empty/too long text, no findings, repeated category, bad limit
  kUnknownPost = 2,
  kUnknownCategory = 3,
  kUnknownEntry = 4,
  kAlreadyVoided = 5,
};
std::string_view CommandErrorName(CommandError e);

// One row of a leaderboard.
struct Standing {
  uint32_t rank = 0;  // 1-based; equal totals under the ranking share no rank (ties are
                      // broken, see scoring.h)
  std::string subject;
  Totals totals;
  friend bool operator==(const Standing&, const Standing&) = default;
};

struct Reply {
  CommandError error = CommandError::kNone;
  std::string message;  // for a person; empty on success
  Period period;        // Leaderboard, Explain: the period answered
  std::vector<Standing> standings;  // Leaderboard
  Totals totals;                    // Explain: the subject's totals
  std::vector<Entry> entries;       // Explain; Entry (one); Void (the entry after the void)
  std::vector<AwardGranted> awards;  // Awards
  uint64_t id = 0;                   // Inspect: the inspection id; Commend: the commendation id
  bool truncated = false;            // more rows than returned
  bool ok() const { return error == CommandError::kNone; }
};

struct CommandResult {
  Reply reply;
  Effects effects;  // empty unless the command succeeded
};

}  // namespace picket::scoring
