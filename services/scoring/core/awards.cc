// The best-post award: one timer per configured period kind, "award/<kind>", due at the
// end of the period it stands for + award_delay. The period it stands for is also kept in
// the state (keys::ArmedAwardKey), so a restart re-arms the same period rather than the
// current one: after a downtime every period still gets its award, once, as each fired
// timer moves to the next period (whose due may already have passed).
#include <algorithm>

#include "scoring/core/ledger.h"
#include "scoring/core/scoring.h"
#include "scoring/core/scoring_keys.h"

namespace picket::scoring {
namespace {

std::optional<PeriodKind> KindOfTimer(std::string_view id) {
  for (PeriodKind k : kAllPeriodKinds)
    if (keys::AwardTimer(k) == id) return k;
  return std::nullopt;
}

bool Configured(const ScoringConfig& config, PeriodKind kind) {
  return std::find(config.award_periods.begin(), config.award_periods.end(), kind) !=
         config.award_periods.end();
}

class AwardRun {
 public:
  AwardRun(const ScoringConfig& config, const PeriodCalendar& calendar, Txn& txn, Effects& fx)
      : config_(config), calendar_(calendar), ledger_(txn, calendar), fx_(fx) {}

  // Records `p` as the period the kind's timer stands for and sets the timer.
  void Arm(const Period& p) {
    if (ledger_.Armed(p.kind) != p.start) ledger_.SetArmed(p.kind, p.start);
    fx_.set.push_back(
        {keys::AwardTimer(p.kind), p.end + config_.award_delay, keys::EncodeTime(p.start)});
  }

  // The award of `p` to the first post of its ranking, unless no post has an entry in it
  // or it was granted already.
  void Grant(const Period& p) {
    if (ledger_.LoadAward(p.kind, p.start)) return;
    const auto standings = Ranked(ledger_.PeriodTotals(p.kind, p.start, SubjectKind::kPost));
    if (standings.empty()) return;
    AwardGranted a{p, standings[0].subject, standings[0].totals, PreviousHolder(p)};
    ledger_.SaveAward(a);
    fx_.events.push_back({"", p.end, std::move(a)});
  }

  Ledger& ledger() { return ledger_; }

 private:
  std::string PreviousHolder(const Period& p) {
    const Period before = calendar_.At(p.kind, p.start - 1);
    auto a = ledger_.LoadAward(p.kind, before.start);
    return a ? a->post : "";
  }

  const ScoringConfig& config_;
  const PeriodCalendar& calendar_;
  Ledger ledger_;
  Effects& fx_;
};

}  // namespace

Effects Scoring::OnStart(Txn& state, Micros now) {
  Effects fx;
  AwardRun run(config_, calendar_, state, fx);
  for (PeriodKind kind : kAllPeriodKinds) {
    const auto armed = run.ledger().Armed(kind);
    if (!Configured(config_, kind)) {
      if (armed) run.ledger().ClearArmed(kind);
      fx.cancel.push_back(keys::AwardTimer(kind));
      continue;
    }
    if (!armed && !TimeInRange(now)) continue;
    // Armed already: the same period again (its due follows the configured delay).
    run.Arm(calendar_.At(kind, armed ? *armed : now));
  }
  return fx;
}

Effects Scoring::OnTimer(const TimerFired& t, Txn& state, Micros now) {
  Effects fx;
  const auto kind = KindOfTimer(t.id);
  if (!kind || !Configured(config_, *kind)) return fx;  // OnStart cancels it
  AwardRun run(config_, calendar_, state, fx);
  auto fired = keys::DecodeTime(t.payload);
  if (fired && !TimeInRange(*fired)) fired.reset();
  // No row: the state was lost under a live timer; the timer says which period it is.
  auto armed = run.ledger().Armed(*kind);
  if (!armed) armed = fired;
  if (!armed) return fx;
  const Period p = calendar_.At(*kind, *armed);
  // A stale timer (not the recorded period), or one early for the configured delay: the
  // recorded period's timer again.
  if (fired != armed || now < p.end + config_.award_delay) {
    run.Arm(p);
    return fx;
  }
  run.Grant(p);
  run.Arm(calendar_.Next(p));
  return fx;
}

}  // namespace picket::scoring
