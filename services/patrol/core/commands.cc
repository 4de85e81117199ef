// Patrol::OnCommand: every command checks its input, then the state, and refuses with an
// error Reply before writing anything; only then does it write and emit.
#include <algorithm>

#include "base/overloaded.h"
#include "patrol/core/patrol.h"
#include "patrol/core/patrol_queries.h"
#include "patrol/core/patrol_store.h"
#include "patrol/core/round_flow.h"

namespace picket::patrol {
namespace {

constexpr Micros kMaxExtension = 12 * 60 * kMinute;

CommandResult Refuse(CommandError e, std::string message) {
  CommandResult r;
  r.reply.error = e;
  r.reply.message = std::move(message);
  return r;
}

// Required text: something besides spaces, at most kMaxTextBytes.
bool Given(std::string_view s) {
  return s.size() <= kMaxTextBytes &&
         std::any_of(s.begin(), s.end(), [](char c) { return c != ' ' && c != '\t'; });
}

bool Pending(RoundStatus s) {
  return s == RoundStatus::kScheduled || s == RoundStatus::kNotStarted ||
         s == RoundStatus::kInProgress;
}

class CommandRun {
 public:
  CommandRun(const PatrolConfig& config, Txn& txn, Micros now, const std::string& actor)
      : config_(config), store_(txn), now_(now), actor_(actor) {}

  CommandResult Run(const ExtendDeadline& c) {
    if (!Given(c.reason)) return Refuse(CommandError::kInvalidArgument, "a reason is required");
    if (c.by < kMinute || c.by > kMaxExtension)
      return Refuse(CommandError::kInvalidArgument, "by must be between 1 minute and 12 hours");
    CommandResult refused;
    auto r = LoadPending(c.round, &refused);
    if (!r) return refused;
    const Route& route = *config_.FindRoute(r->route);  // LoadPending checked it
    r->extension += c.by;
    store_.SaveRound(*r);
    CommandResult out =
        Done(*r, DeadlineExtended{r->id, r->route, r->post, c.reason, c.by, r->extension});
    MoveTimers(*r, route, out.effects);
    return out;
  }

  CommandResult Run(const ExcuseCheckpoint& c) {
    if (!Given(c.reason)) return Refuse(CommandError::kInvalidArgument, "a reason is required");
    auto r = store_.LoadRound(c.round);
    if (!r) return Refuse(CommandError::kUnknownRound, "no round " + std::to_string(c.round));
    auto it = std::find_if(r->checkpoints.begin(), r->checkpoints.end(),
                           [&](const CheckpointVerdict& v) { return v.tag == c.checkpoint; });
    if (it == r->checkpoints.end())
      return Refuse(
          CommandError::kUnknownCheckpoint,
          "round " + std::to_string(c.round) + " has no checkpoint '" + c.checkpoint + "'");
    if (it->state != CheckpointState::kMissed)
      return Refuse(CommandError::kWrongState, "only a missed checkpoint can be excused; '" +
                                                   c.checkpoint + "' is " +
                                                   std::string(CheckpointStateName(it->state)));
    it->state = CheckpointState::kExcused;
    store_.SaveRound(*r);
    return Done(*r, CheckpointExcused{r->id, r->route, r->post, c.checkpoint, c.reason, r->guard});
  }

  CommandResult Run(const CancelRound& c) {
    if (!Given(c.reason)) return Refuse(CommandError::kInvalidArgument, "a reason is required");
    auto r = store_.LoadRound(c.round);
    if (!r) return Refuse(CommandError::kUnknownRound, "no round " + std::to_string(c.round));
    if (!Pending(r->status))
      return Refuse(CommandError::kWrongState,
                    "the round is " + std::string(RoundStatusName(r->status)));
    const RoundStatus was = r->status;
    r->status = RoundStatus::kCancelled;
    r->ended_at = now_;
    store_.SaveRound(*r);
    CommandResult out = Done(*r, RoundCancelled{r->id, r->route, r->post, c.reason, was});
    using keys::RoundTimer;
    if (was == RoundStatus::kInProgress) {
      store_.ClearActive(*r);
      for (RoundTimer t : {RoundTimer::kLeg, RoundTimer::kEnd})
        out.effects.cancel.push_back(keys::RoundTimerId(t, r->id));
    } else {
      store_.RemoveOpen(*r);
      out.effects.cancel.push_back(keys::RoundTimerId(RoundTimer::kStart, r->id));
    }
    return out;
  }

 private:
  // A round whose deadlines may still move: scheduled, not started or in progress, of a
  // configured route. Else nullopt and *refused says why.
  std::optional<Round> LoadPending(uint64_t id, CommandResult* refused) {
    auto r = store_.LoadRound(id);
    if (!r) {
      *refused = Refuse(CommandError::kUnknownRound, "no round " + std::to_string(id));
      return std::nullopt;
    }
    if (!Pending(r->status)) {
      *refused = Refuse(CommandError::kWrongState,
                        "the round is " + std::string(RoundStatusName(r->status)));
      return std::nullopt;
    }
    if (!config_.FindRoute(r->route)) {
      *refused =
          Refuse(CommandError::kWrongState, "route '" + r->route + "' is no longer configured");
      return std::nullopt;
    }
    return r;
  }

  // Every timer of the round at its deadline with the new extension.
  void MoveTimers(const Round& r, const Route& route, Effects& fx) {
    Flow flow{config_, store_, fx};
    using keys::RoundTimer;
    switch (r.status) {
      case RoundStatus::kScheduled:
        return flow.SetTimer(RoundTimer::kStart, r.id, StartDeadline(r, route));
      case RoundStatus::kNotStarted:
        return flow.SetTimer(RoundTimer::kStart, r.id, StartableUntil(r, route));
      case RoundStatus::kInProgress:
        if (auto next = NextPending(r); next && HasLegTimer(route))
          flow.SetTimer(RoundTimer::kLeg, r.id, DeadlineOf(r, route, *next));
        // round_late is emitted once: after it the end timer has nothing left to say on an
        // ordered round.
        if (!HasLegTimer(route) || !r.late_reported)
          flow.SetTimer(RoundTimer::kEnd, r.id, EndDeadline(r, route));
        return;
      default:
        return;
    }
  }

  CommandResult Done(const Round& r, EventBody body) {
    CommandResult out;
    out.reply.rounds.push_back(r);
    out.effects.events.push_back({actor_, now_, std::move(body)});
    return out;
  }

  const PatrolConfig& config_;
  PatrolStore store_;
  Micros now_;
  const std::string& actor_;
};

}  // namespace

CommandResult Patrol::OnCommand(const Command& command, Txn& state, Micros now) {
  if (IsQuery(command)) return RunQuery(config_, command, state);
  if (!Given(command.actor)) return Refuse(CommandError::kInvalidArgument, "the actor is required");
  CommandRun run(config_, state, now, command.actor);
  return std::visit(Overloaded{[&](const auto& c) -> CommandResult {
                      if constexpr (requires { run.Run(c); })
                        return run.Run(c);
                      else
                        return Refuse(CommandError::kInvalidArgument, "not a command");
                    }},
                    command.body);
}

}  // namespace picket::patrol
