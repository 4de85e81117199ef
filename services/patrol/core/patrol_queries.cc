// The queries of the patrol core (reached through Patrol::OnCommand): reads only.
#include "patrol/core/patrol_queries.h"

#include <map>

#include "base/overloaded.h"
#include "patrol/core/patrol_store.h"

namespace picket::patrol {
namespace {

Reply Error(CommandError e, std::string message) {
  Reply r;
  r.error = e;
  r.message = std::move(message);
  return r;
}

// The difference as unsigned: exact for from < to whatever the values (no overflow).
bool RangeOk(Micros from, Micros to) {
  return from < to && static_cast<uint64_t>(to) - static_cast<uint64_t>(from) <=
                          static_cast<uint64_t>(kMaxQueryRange);
}

constexpr std::string_view kRangeError = "need from < to, at most 31 days apart";

// Whose round it is: who started it, or (not started) the guard the schedule names.
const std::string& GuardOf(const Round& r) { return r.guard.empty() ? r.assigned : r.guard; }

bool Matches(const ListRounds& q, const Round& r) {
  return (q.post.empty() || r.post == q.post) && (q.route.empty() || r.route == q.route) &&
         (q.guard.empty() || GuardOf(r) == q.guard);
}

void Count(const Round& r, Completion* c) {
  ++c->rounds;
  if (r.status == RoundStatus::kCompleted) ++c->completed;
  if (r.status == RoundStatus::kNotStarted || r.started_late) ++c->not_started;
  if (r.late_reported) ++c->late;
  c->checkpoints_on_time += r.count(CheckpointState::kOnTime);
  c->checkpoints_late += r.count(CheckpointState::kLate);
  c->checkpoints_missed += r.count(CheckpointState::kMissed);
  c->checkpoints_excused += r.count(CheckpointState::kExcused);
}

}  // namespace

std::string_view CommandErrorName(CommandError e) {
  switch (e) {
    case CommandError::kNone:
      return "none";
    case CommandError::kInvalidArgument:
      return "invalid_argument";
    case CommandError::kUnknownRound:
      return "unknown_round";
    case CommandError::kUnknownCheckpoint:
      return "unknown_checkpoint";
    case CommandError::kWrongState:
      return "wrong_state";
  }
  return "?";
}

bool IsQuery(const Command& c) {
  return std::holds_alternative<ListRounds>(c.body) || std::holds_alternative<GetRound>(c.body) ||
         std::holds_alternative<CurrentRounds>(c.body) ||
         std::holds_alternative<GetCompletion>(c.body);
}

uint32_t Completion::permille() const {
  const uint64_t counted = uint64_t{checkpoints_on_time} + checkpoints_late;
  const uint64_t expected = counted + checkpoints_missed;
  if (expected == 0) return 1000;
  return static_cast<uint32_t>(counted * 1000 / expected);
}

CommandResult RunQuery(const PatrolConfig&, const Command& c, Txn& state) {
  PatrolStore store(state);
  auto run = Overloaded{
      [&](const ListRounds& q) {
        if (!RangeOk(q.from, q.to))
          return Error(CommandError::kInvalidArgument, std::string(kRangeError));
        Reply r;
        for (uint64_t id : store.RoundsBetween(q.from, q.to)) {
          Round round = store.IndexedRound(id);
          if (!Matches(q, round)) continue;
          if (r.rounds.size() == kMaxRounds) {
            r.truncated = true;
            break;
          }
          r.rounds.push_back(std::move(round));
        }
        return r;
      },
      [&](const GetRound& q) {
        auto round = store.LoadRound(q.round);
        if (!round)
          return Error(CommandError::kUnknownRound, "no round " + std::to_string(q.round));
        Reply r;
        r.rounds.push_back(std::move(*round));
        return r;
      },
      [&](const CurrentRounds& q) {
        Reply r;
        for (uint64_t id : store.ActiveRounds(q.post)) r.rounds.push_back(store.IndexedRound(id));
        return r;
      },
      [&](const GetCompletion& q) {
        if (!RangeOk(q.from, q.to))
          return Error(CommandError::kInvalidArgument, std::string(kRangeError));
        std::map<std::string, Completion> by_subject;
        for (uint64_t id : store.RoundsBetween(q.from, q.to)) {
          const Round round = store.IndexedRound(id);
          if (round.status == RoundStatus::kCancelled) continue;
          const std::string& subject = q.by_guard ? GuardOf(round) : round.post;
          if (subject.empty()) continue;  // nobody's: not started, no guard named
          Completion& c = by_subject[subject];
          c.subject = subject;
          Count(round, &c);
        }
        Reply r;
        for (auto& [subject, c] : by_subject) r.completion.push_back(std::move(c));
        return r;
      },
      [&](const auto&) { return Error(CommandError::kInvalidArgument, "not a query"); },
  };
  CommandResult result;
  result.reply = std::visit(run, c.body);
  return result;
}

}  // namespace picket::patrol
