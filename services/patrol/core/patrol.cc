// The terminal facts: a round started, a checkpoint scanned, a round ended.
#include "patrol/core/patrol.h"

#include <algorithm>
#include <set>

#include "patrol/core/clock_skew.h"
#include "patrol/core/patrol_keys.h"
#include "patrol/core/round_flow.h"

namespace picket::patrol {
namespace {

bool InFuture(const PatrolConfig& config, const FactSource& s) {
  return s.at > s.recorded + config.skew_limit;
}

// A route is walked at a post if it is the route's post or a schedule of the route names
// that post.
bool ServesPost(const PatrolConfig& config, const Route& route, std::string_view post) {
  if (route.post == post) return true;
  return std::any_of(config.schedules.begin(), config.schedules.end(),
                     [&](const Schedule& s) { return s.route == route.id && s.post == post; });
}

std::vector<const Route*> RoutesOf(const PatrolConfig& config, std::string_view post) {
  std::vector<const Route*> out;
  for (const auto& r : config.routes)
    if (ServesPost(config, r, post)) out.push_back(&r);
  return out;
}

class StartRun {
 public:
  StartRun(const PatrolConfig& config, Flow& flow, const RoundStart& fact)
      : config_(config), flow_(flow), fact_(fact), at_(fact.source.at) {}

  void Run() {
    if (InFuture(config_, fact_.source)) return Refuse(StartRefusal::kFutureTime);
    std::optional<Round> active;
    if (auto id = flow_.store.ActiveRound(fact_.post, guard()))
      active = flow_.store.IndexedRound(*id);
    const Route* route = nullptr;
    if (!fact_.route.empty()) {
      route = config_.FindRoute(fact_.route);
      if (!route) return Refuse(StartRefusal::kUnknownRoute);
      if (!ServesPost(config_, *route, fact_.post)) return Refuse(StartRefusal::kOtherPost);
    } else if (active) {
      route = config_.FindRoute(active->route);  // the same start sent again
    }
    if (!route) {
      auto resolved = ResolveRoute();
      if (!resolved.first) return Refuse(resolved.second);
      route = resolved.first;
    }
    if (active && active->route == route->id) return;  // already walking it: ignored
    if (active) EndByGuard(flow_, *active, at_, guard());
    Start(*route);
  }

 private:
  const std::string& guard() const { return fact_.source.guard; }

  void Refuse(StartRefusal why) {
    flow_.fx.events.push_back({guard(), at_, RoundRefused{fact_.route, fact_.post, guard(), why}});
  }

  // No route named: the route of the post's startable rounds if they are all of one
  // route, else the post's only route.
  std::pair<const Route*, StartRefusal> ResolveRoute() {
    std::set<std::string> startable;
    for (const Round& o : flow_.store.OpenRounds(fact_.post)) {
      const Route* r = config_.FindRoute(o.route);
      if (r && StartableAt(o, *r, at_)) startable.insert(o.route);
    }
    if (startable.size() == 1) return {config_.FindRoute(*startable.begin()), {}};
    if (startable.size() > 1) return {nullptr, StartRefusal::kRouteRequired};
    const auto routes = RoutesOf(config_, fact_.post);
    if (routes.size() == 1) return {routes[0], {}};
    return {nullptr, routes.empty() ? StartRefusal::kUnknownRoute : StartRefusal::kRouteRequired};
  }

  void Start(const Route& route) {
    std::optional<Round> bound;
    for (Round& o : flow_.store.OpenRounds(fact_.post, route.id))
      if (StartableAt(o, route, at_)) {
        bound = std::move(o);
        break;
      }
    Round r;
    if (bound) {
      r = std::move(*bound);
      flow_.store.RemoveOpen(r);
      flow_.CancelTimer(keys::RoundTimer::kStart, r.id);
      if (r.status == RoundStatus::kScheduled && at_ > StartDeadline(r, route))
        ReportNotStarted(r, route);
    } else {
      r.id = flow_.store.TakeRoundId();
      r.route = route.id;
      r.post = fact_.post;
      r.started_at = at_;
      flow_.store.AddToTimeIndex(r);
    }
    StartRound(flow_, r, route, guard(), at_, fact_.entropy);
  }

  // Started after its start deadline before the start timer was handled: the timer's
  // round_not_started comes first, as it would have (round_started then says late).
  void ReportNotStarted(Round& r, const Route& route) {
    const Micros deadline = StartDeadline(r, route);
    r.status = RoundStatus::kNotStarted;
    RoundNotStarted ev{r.id,
                       r.route,
                       r.post,
                       r.assigned,
                       r.due,
                       deadline,
                       std::max<Micros>(0, fact_.source.recorded - deadline)};
    flow_.fx.events.push_back({"", deadline, std::move(ev)});
  }

  const PatrolConfig& config_;
  Flow& flow_;
  const RoundStart& fact_;
  const Micros at_;
};

}  // namespace

Patrol::Patrol(const PatrolConfig& config)
    : config_(config),
      zone_(TimeZoneRule::Parse(config.time_zone, nullptr).value_or(TimeZoneRule::Utc())) {}

std::vector<std::string> Patrol::Tables() { return keys::AllTables(); }

Effects Patrol::OnRoundStarted(const RoundStart& fact, Txn& state) {
  Effects fx;
  PatrolStore store(state);
  Flow flow{config_, store, fx};
  auto skew = SampleClock(config_, store, fact.post, fact.source);
  StartRun(config_, flow, fact).Run();
  if (skew) fx.events.push_back(std::move(*skew));
  return fx;
}

Effects Patrol::OnRoundEnded(const RoundEnd& fact, Txn& state) {
  Effects fx;
  PatrolStore store(state);
  Flow flow{config_, store, fx};
  auto skew = SampleClock(config_, store, fact.post, fact.source);
  // An end observed in the future is ignored (its time would be every pending deadline).
  const auto id = InFuture(config_, fact.source) ? std::nullopt
                                                 : store.ActiveRound(fact.post, fact.source.guard);
  if (id) {
    Round r = store.IndexedRound(*id);
    if (r.started_at <= fact.source.at) EndByGuard(flow, r, fact.source.at, fact.source.guard);
  }
  if (skew) fx.events.push_back(std::move(*skew));
  return fx;
}

}  // namespace picket::patrol
