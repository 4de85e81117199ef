#include "access/core/visit_flow.h"

#include "access/core/access_keys.h"

namespace picket::access {

std::vector<std::string> NamesOf(const Person& p) {
  std::vector<std::string> names{p.name};
  names.insert(names.end(), p.aliases.begin(), p.aliases.end());
  return names;
}

std::string WatchPlateOf(const std::optional<Person>& p) {
  return p && p->vehicle ? NormalizePlate(p->plate) : "";
}

TimerSet OverstayTimer(uint64_t visit, Micros due, uint32_t number) {
  return TimerSet{keys::OverstayTimerId(visit), due, keys::OverstayPayload(number)};
}

Micros FirstOverstayDue(const AccessConfig& config, Micros valid_until) {
  return valid_until + config.overstay_grace;
}

void EmitHits(const std::vector<WatchlistEntry>& hits, const std::string& post,
              const std::string& gate, const std::string& person, const std::string& actor,
              Micros at, Effects* fx) {
  for (const auto& e : hits) {
    WatchlistHit hit{post,
                     gate,
                     person,
                     e.reason,
                     e.action,
                     e.id,
                     e.person.empty() ? NormalizeName(e.name) : "person:" + e.person};
    fx->events.push_back({actor, at, std::move(hit)});
  }
}

uint64_t OpenVisit(AccessStore& store, Visit* v) {
  v->id = store.TakeId(keys::kNextVisitIdKey);
  if (auto arrival = store.LoadArrival(v->person); arrival && arrival->at <= v->checked_in_at) {
    v->arrived_at = arrival->at;
    v->waited = v->checked_in_at - arrival->at;
  }
  store.ClearArrival(v->person);
  store.SaveVisit(*v, /*is_new=*/true);
  store.SetOnSite(v->person, v->id);
  return v->id;
}

void CloseVisit(const AccessConfig& config, AccessStore& store, Visit* v, Micros at,
                const std::string& gate, const std::string& actor, bool by_command, Effects* fx) {
  v->checked_out_at = at;
  v->checked_out_by = actor;
  v->exit_gate = gate;
  store.SaveVisit(*v, /*is_new=*/false);
  store.ClearOnSite(v->person);
  fx->cancel.push_back(keys::OverstayTimerId(v->id));
  if (by_command || v->manual || config.RulesFor(v->kind).tracks_visits) {
    VisitorCheckedOut out{config.PostOf(gate.empty() ? v->gate : gate),
                          gate,
                          v->person,
                          v->pass_code,
                          v->id,
                          at - v->checked_in_at,
                          by_command};
    fx->events.push_back({actor, at, std::move(out)});
  }
}

}  // namespace picket::access
