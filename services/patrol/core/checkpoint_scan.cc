// Patrol::OnCheckpointScanned: the verdict on one scan (patrol.h, "Legs and deadlines"),
// and the review of a missed verdict by a scan that arrives late.
#include <algorithm>

#include "patrol/core/clock_skew.h"
#include "patrol/core/patrol.h"
#include "patrol/core/round_flow.h"

namespace picket::patrol {
namespace {

// How many UTC days back a late scan looks for the completed round it belongs to (rounds
// started on its day or the day before; an in-progress round is always found).
constexpr uint32_t kDaysBackForLateScans = 1;

// The round a scan at `at` by `guard` at `post` belongs to: the guard's round in progress
// there if it started by `at`; else the latest round the guard started there by `at`, if
// it is completed and `at` is not after its end (a scan an offline terminal sends late).
std::optional<Round> RoundForScan(PatrolStore& store, const std::string& post,
                                  const std::string& guard, Micros at) {
  if (auto id = store.ActiveRound(post, guard)) {
    Round r = store.IndexedRound(*id);
    if (r.started_at <= at) return r;
  }
  std::optional<keys::TimedRound> latest;
  const uint32_t day = keys::DayOf(at);
  for (uint32_t d = day - kDaysBackForLateScans; d <= day; ++d)
    for (const auto& t : store.GuardRoundsOnDay(post, guard, d))
      if (t.time <= at) latest = t;  // ascending: the last one is the latest
  if (!latest) return std::nullopt;
  Round r = store.IndexedRound(latest->round);
  if (r.status != RoundStatus::kCompleted || at > r.ended_at) return std::nullopt;
  return r;
}

class ScanRun {
 public:
  ScanRun(const PatrolConfig& config, Flow& flow, const CheckpointScan& fact)
      : config_(config), flow_(flow), fact_(fact), at_(fact.source.at) {}

  void Run() {
    if (!config_.FindCheckpoint(fact_.tag)) return Reject(nullptr, RejectReason::kUnknownTag);
    if (fact_.source.at > fact_.source.recorded + config_.skew_limit)
      return Reject(nullptr, RejectReason::kFutureTime);
    auto round = RoundForScan(flow_.store, fact_.post, guard(), at_);
    const Route* route = round ? config_.FindRoute(round->route) : nullptr;
    if (!route) return Reject(nullptr, RejectReason::kNoRound);  // none, or its route is gone
    Round& r = *round;
    auto it = std::find_if(r.checkpoints.begin(), r.checkpoints.end(),
                           [&](const CheckpointVerdict& v) { return v.tag == fact_.tag; });
    if (it == r.checkpoints.end()) return Reject(&r, RejectReason::kNotOnRoute);
    const size_t i = static_cast<size_t>(it - r.checkpoints.begin());
    switch (it->state) {
      case CheckpointState::kOnTime:
      case CheckpointState::kLate:
      case CheckpointState::kExcused:
        return Reject(&r, RejectReason::kDuplicate);
      case CheckpointState::kMissed:
        return Review(r, *route, i);
      case CheckpointState::kPending:
        return Judge(r, *route, i);
    }
  }

 private:
  const std::string& guard() const { return fact_.source.guard; }

  void Reject(const Round* r, RejectReason why, std::string expected = {}, Micros wait = 0) {
    CheckpointRejected ev{r ? r->id : 0, r ? r->route : "",   fact_.post, guard(), fact_.tag,
                          why,           std::move(expected), wait};
    flow_.fx.events.push_back({guard(), at_, std::move(ev)});
  }

  // A pending checkpoint: out of sequence, too early, or counted.
  void Judge(Round& r, const Route& route, size_t i) {
    const size_t next = NextPending(r).value_or(i);
    if (route.order != RouteOrder::kAnyOrder && next != i)
      return Reject(&r, RejectReason::kOutOfSequence, r.checkpoints[next].tag);
    const Micros leg = at_ - AnchorFor(r, route, i, at_);
    if (leg < route.leg_min) return Reject(&r, RejectReason::kTooEarly, "", route.leg_min - leg);
    const bool on_time = leg <= route.leg_max + r.extension;
    CheckpointVerdict& v = r.checkpoints[i];
    v.state = on_time ? CheckpointState::kOnTime : CheckpointState::kLate;
    v.scanned_at = at_;
    CheckpointAccepted ev{r.id,    r.route, r.post, guard(), v.tag, static_cast<uint32_t>(i + 1),
                          on_time, leg};
    flow_.fx.events.push_back({guard(), at_, std::move(ev)});
    AfterVerdict(flow_, r, route, guard());
  }

  // A missed checkpoint scanned: observed by the deadline recomputed from its current
  // anchor (and not too early) withdraws the miss; observed later confirms it.
  void Review(Round& r, const Route& route, size_t i) {
    CheckpointVerdict& v = r.checkpoints[i];
    const Micros deadline = DeadlineOf(r, route, i);
    const Micros leg = at_ - AnchorFor(r, route, i, at_);
    const bool withdrawn = at_ <= deadline && leg >= route.leg_min;
    const bool on_time = leg <= route.leg_max + r.extension;
    MissedReviewed ev{r.id,       r.route,  r.post, guard(),   v.tag,
                      v.deadline, deadline, at_,    withdrawn, withdrawn && on_time};
    flow_.fx.events.push_back({guard(), at_, std::move(ev)});
    if (!withdrawn) return;
    v.state = on_time ? CheckpointState::kOnTime : CheckpointState::kLate;
    v.scanned_at = at_;
    v.withdrawn = true;
    AfterVerdict(flow_, r, route, guard());
  }

  const PatrolConfig& config_;
  Flow& flow_;
  const CheckpointScan& fact_;
  const Micros at_;
};

}  // namespace

Effects Patrol::OnCheckpointScanned(const CheckpointScan& fact, Txn& state) {
  Effects fx;
  PatrolStore store(state);
  Flow flow{config_, store, fx};
  auto skew = SampleClock(config_, store, fact.post, fact.source);
  ScanRun(config_, flow, fact).Run();
  if (skew) fx.events.push_back(std::move(*skew));
  return fx;
}

}  // namespace picket::patrol
