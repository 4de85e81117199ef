#include "patrol/core/round_flow.h"

#include <algorithm>
#include <utility>

namespace picket::patrol {
namespace {

bool Counted(CheckpointState s) {
  return s == CheckpointState::kOnTime || s == CheckpointState::kLate;
}

// The time a verdict was given at; nullopt while pending.
std::optional<Micros> VerdictTime(const CheckpointVerdict& v) {
  switch (v.state) {
    case CheckpointState::kPending:
      return std::nullopt;
    case CheckpointState::kOnTime:
    case CheckpointState::kLate:
      return v.scanned_at;
    case CheckpointState::kMissed:
    case CheckpointState::kExcused:
      return v.deadline;
  }
  return std::nullopt;
}

// splitmix64 (Steele, Lea, Flood 2014): a small, well-mixed generator whose whole state is
// one word, so the drawn order depends on the entropy alone.
uint64_t SplitMix64(uint64_t* state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

Micros StartDeadline(const Round& r, const Route& route) {
  return r.due + route.grace + r.extension;
}

Micros StartableUntil(const Round& r, const Route& route) {
  return StartDeadline(r, route) + route.planned_length();
}

bool StartableAt(const Round& r, const Route& route, Micros at) {
  return r.due - route.early <= at && at <= StartableUntil(r, route);
}

Micros EndDeadline(const Round& r, const Route& route) {
  return r.started_at + route.planned_length() + route.grace + r.extension;
}

std::optional<size_t> NextPending(const Round& r) {
  for (size_t i = 0; i < r.checkpoints.size(); ++i)
    if (r.checkpoints[i].state == CheckpointState::kPending) return i;
  return std::nullopt;
}

Micros AnchorOf(const Round& r, size_t i) {
  if (i == 0) return r.started_at;
  return VerdictTime(r.checkpoints[i - 1]).value_or(r.started_at);
}

Micros AnyOrderAnchor(const Round& r, Micros at) {
  Micros anchor = r.started_at;
  for (const auto& v : r.checkpoints)
    if (Counted(v.state) && v.scanned_at <= at) anchor = std::max(anchor, v.scanned_at);
  return anchor;
}

Micros AnchorFor(const Round& r, const Route& route, size_t i, Micros at) {
  return route.order == RouteOrder::kAnyOrder ? AnyOrderAnchor(r, at) : AnchorOf(r, i);
}

Micros DeadlineOf(const Round& r, const Route& route, size_t i) {
  if (route.order == RouteOrder::kAnyOrder) return EndDeadline(r, route);
  return AnchorOf(r, i) + route.leg_max + route.grace + r.extension;
}

Micros LastVerdictTime(const Round& r) {
  Micros last = r.started_at;
  for (const auto& v : r.checkpoints)
    if (auto t = VerdictTime(v)) last = std::max(last, *t);
  return last;
}

bool HasLegTimer(const Route& route) { return route.order != RouteOrder::kAnyOrder; }

std::vector<std::string> DrawOrder(const Route& route, uint64_t entropy) {
  std::vector<std::string> order = route.checkpoints;
  if (route.order != RouteOrder::kRandom) return order;
  uint64_t state = entropy;
  // The modulo's bias is below 100 / 2^64: irrelevant for at most 100 checkpoints.
  for (size_t i = order.size(); i > 1; --i) {
    const size_t j = static_cast<size_t>(SplitMix64(&state) % i);
    std::swap(order[i - 1], order[j]);
  }
  return order;
}

void Flow::SetTimer(keys::RoundTimer kind, uint64_t round, Micros due) {
  fx.set.push_back({keys::RoundTimerId(kind, round), due, ""});
}

void Flow::CancelTimer(keys::RoundTimer kind, uint64_t round) {
  fx.cancel.push_back(keys::RoundTimerId(kind, round));
}

void StartRound(Flow& flow, Round& r, const Route& route, const std::string& guard, Micros at,
                uint64_t entropy) {
  r.status = RoundStatus::kInProgress;
  r.guard = guard;
  r.started_at = at;
  r.started_late = r.due != 0 && at > StartDeadline(r, route);
  r.checkpoints.clear();
  const std::vector<std::string> order = DrawOrder(route, entropy);
  for (const auto& tag : order) r.checkpoints.push_back({tag});
  flow.store.SaveRound(r);
  flow.store.SetActive(r);
  flow.store.AddGuardRound(r);
  RoundStarted ev{r.id, r.route, r.post, guard, r.due, r.started_late, order, route.order};
  flow.fx.events.push_back({guard, at, std::move(ev)});
  if (HasLegTimer(route)) flow.SetTimer(keys::RoundTimer::kLeg, r.id, DeadlineOf(r, route, 0));
  flow.SetTimer(keys::RoundTimer::kEnd, r.id, EndDeadline(r, route));
}

void MissCheckpoint(Flow& flow, Round& r, size_t i, Micros deadline, Micros lateness,
                    bool round_ended, const std::string& actor, Micros at) {
  CheckpointVerdict& v = r.checkpoints[i];
  v.state = CheckpointState::kMissed;
  v.deadline = deadline;
  CheckpointMissed ev{r.id, r.route, r.post, r.guard, v.tag, deadline, lateness, round_ended};
  flow.fx.events.push_back({actor, at, std::move(ev)});
}

void AfterVerdict(Flow& flow, Round& r, const Route& route, const std::string& actor) {
  flow.store.SaveRound(r);
  if (r.status != RoundStatus::kInProgress) return;
  const auto next = NextPending(r);
  if (!next) return CompleteRound(flow, r, actor);
  if (HasLegTimer(route)) flow.SetTimer(keys::RoundTimer::kLeg, r.id, DeadlineOf(r, route, *next));
}

void CompleteRound(Flow& flow, Round& r, const std::string& actor) {
  r.status = RoundStatus::kCompleted;
  r.ended_at = LastVerdictTime(r);
  flow.store.SaveRound(r);
  flow.store.ClearActive(r);
  flow.CancelTimer(keys::RoundTimer::kLeg, r.id);
  flow.CancelTimer(keys::RoundTimer::kEnd, r.id);
  RoundCompleted ev;
  ev.round = r.id;
  ev.route = r.route;
  ev.post = r.post;
  ev.guard = r.guard;
  ev.on_time = r.count(CheckpointState::kOnTime);
  ev.late = r.count(CheckpointState::kLate);
  ev.missed = r.count(CheckpointState::kMissed);
  ev.excused = r.count(CheckpointState::kExcused);
  ev.total = r.ended_at - r.started_at;
  ev.ended_early = r.ended_early;
  ev.scheduled = !r.schedule.empty();
  flow.fx.events.push_back({actor, r.ended_at, std::move(ev)});
}

void EndByGuard(Flow& flow, Round& r, Micros at, const std::string& guard) {
  for (size_t i = 0; i < r.checkpoints.size(); ++i) {
    if (r.checkpoints[i].state != CheckpointState::kPending) continue;
    r.ended_early = true;
    MissCheckpoint(flow, r, i, at, 0, /*round_ended=*/true, guard, at);
  }
  CompleteRound(flow, r, guard);
}

}  // namespace picket::patrol
