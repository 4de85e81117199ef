#include "access/core/access.h"

#include "access/core/access_keys.h"
#include "access/core/access_store.h"
#include "access/core/gate_decision.h"
#include "access/core/visit_flow.h"

namespace picket::access {
namespace {

// A granted scan in: opens the visit; a kind that tracks visits is checked in and gets its
// overstay timer.
void EnterOnPass(const AccessConfig& config, AccessStore& store, const PassScanned& scan,
                 const Pass& pass, bool preregistered, Effects* fx) {
  Visit v;
  v.person = pass.person;
  v.pass_code = pass.code;
  v.kind = pass.kind;
  v.gate = scan.gate;
  v.post = config.PostOf(scan.gate);
  v.guard_in = scan.guard;
  v.checked_in_at = scan.at;
  v.preregistered = preregistered;
  OpenVisit(store, &v);
  if (!config.RulesFor(pass.kind).tracks_visits) return;
  fx->events.push_back(
      {scan.guard, scan.at,
       VisitorCheckedIn{v.post, scan.gate, v.person, v.pass_code, v.id, v.waited}});
  fx->set.push_back(OverstayTimer(v.id, FirstOverstayDue(config, pass.valid_until), 1));
}

// A granted scan out: closes the open visit `visit_id`.
void LeaveOnPass(const AccessConfig& config, AccessStore& store, const PassScanned& scan,
                 uint64_t visit_id, Effects* fx) {
  auto visit = store.LoadVisit(visit_id);
  if (!visit)
    throw StoreError("access: on_site names visit " + std::to_string(visit_id) +
                     " that is missing");
  CloseVisit(config, store, &*visit, scan.at, scan.gate, scan.guard, /*by_command=*/false, fx);
}

}  // namespace

std::vector<std::string> Access::Tables() { return keys::AllTables(); }

Effects Access::OnPassScanned(const PassScanned& scan, Txn& state) {
  Effects fx;
  AccessStore store(state);
  const std::string post = config_.PostOf(scan.gate);
  std::optional<Pass> pass = store.LoadPass(scan.code);
  std::optional<Person> person = pass ? store.LoadPerson(pass->person) : std::nullopt;
  // Visit ids start at 1, so 0 is "not on site".
  const uint64_t open_visit = pass ? store.OnSiteVisit(pass->person).value_or(0) : 0;

  ScanInputs in;
  in.gate = config_.FindGate(scan.gate);
  in.pass = pass ? &*pass : nullptr;
  in.on_site = open_visit != 0;
  in.direction = scan.direction;
  in.supervisor_present = config_.IsOfficer(scan.supervisor);
  in.at = scan.at;
  if (pass && scan.direction == Direction::kIn)
    in.hits = store.MatchWatchlist(
        pass->person, person ? NamesOf(*person) : std::vector<std::string>{}, WatchPlateOf(person));
  const ScanDecision d = DecideScan(config_, in);
  const std::string holder = pass ? pass->person : "";
  EmitHits(d.hits, post, scan.gate, holder, scan.guard, scan.at, &fx);

  if (d.denied) {
    AccessDenied denied{post, scan.gate, *d.denied, holder, scan.code, scan.direction};
    fx.events.push_back({scan.guard, scan.at, std::move(denied)});
    return fx;
  }
  const bool supervised = !d.hits.empty() && in.supervisor_present;
  AccessGranted granted{post,
                        scan.gate,
                        holder,
                        scan.code,
                        scan.direction,
                        pass->kind,
                        supervised ? scan.supervisor : ""};
  fx.events.push_back({scan.guard, scan.at, std::move(granted)});

  if (scan.direction == Direction::kOut)
    LeaveOnPass(config_, store, scan, open_visit, &fx);
  else
    EnterOnPass(config_, store, scan, *pass, person && person->expected_at > 0, &fx);
  return fx;
}

Effects Access::OnManualEntry(const ManualEntry& entry, Txn& state) {
  Effects fx;
  AccessStore store(state);
  const std::string post = config_.PostOf(entry.gate);
  std::optional<Person> person = store.LoadPerson(entry.person);
  auto hits = store.MatchWatchlist(
      entry.person, person ? NamesOf(*person) : std::vector<std::string>{entry.person},
      WatchPlateOf(person));
  EmitHits(hits, post, entry.gate, entry.person, entry.guard, entry.at, &fx);

  // Someone already on site is not opened a second visit: the entry is still on the record.
  uint64_t visit_id = store.OnSiteVisit(entry.person).value_or(0);
  if (visit_id == 0) {
    Visit v;
    v.person = entry.person;
    v.kind = person ? person->kind : PassKind::kVisitor;
    v.gate = entry.gate;
    v.post = post;
    v.guard_in = entry.guard;
    v.checked_in_at = entry.at;
    v.manual = true;
    v.note = entry.note;
    v.preregistered = person && person->expected_at > 0;
    visit_id = OpenVisit(store, &v);
  }
  fx.events.push_back({entry.guard, entry.at,
                       UnregisteredEntry{post, entry.gate, entry.person, entry.note, visit_id}});
  return fx;
}

Effects Access::OnVisitorArrived(const VisitorArrival& arrival, Txn& state) {
  Effects fx;
  AccessStore store(state);
  const std::string post = config_.PostOf(arrival.gate);
  std::optional<Person> person = store.LoadPerson(arrival.person);
  auto hits = store.MatchWatchlist(
      arrival.person, person ? NamesOf(*person) : std::vector<std::string>{arrival.person},
      WatchPlateOf(person));
  EmitHits(hits, post, arrival.gate, arrival.person, arrival.guard, arrival.at, &fx);
  store.SaveArrival(arrival.person, Arrival{arrival.at, arrival.gate});
  fx.events.push_back(
      {arrival.guard, arrival.at, VisitorArrived{post, arrival.gate, arrival.person}});
  return fx;
}

Effects Access::OnTimer(const TimerFired& t, Txn& state, Micros now) {
  Effects fx;
  auto visit_id = keys::DecodeOverstayTimerId(t.id);
  auto number = keys::DecodeOverstayPayload(t.payload);
  if (!visit_id || !number) return fx;  // not ours or malformed: nothing to do
  AccessStore store(state);
  auto visit = store.LoadVisit(*visit_id);
  if (!visit || !visit->on_site()) return fx;  // checked out since: stale
  auto pass = store.LoadPass(visit->pass_code);
  if (!pass) return fx;
  // The pass was extended after this row was written: wait for the new expiry.
  const Micros first_due = FirstOverstayDue(config_, pass->valid_until);
  if (first_due > now) {
    fx.set.push_back(OverstayTimer(visit->id, first_due, 1));
    return fx;
  }
  Overstay o{visit->post,       visit->person, visit->pass_code, visit->id,
             pass->valid_until, *number,       now - t.due};
  fx.events.push_back({"", now, std::move(o)});
  if (config_.overstay_repeat > 0) {
    // Next on the repeat grid after now: a service that was down does not raise the
    // missed repeats all at once; `number` counts overstays raised, not grid steps.
    const Micros skipped = (now - t.due) / config_.overstay_repeat;
    const Micros next = t.due + (skipped + 1) * config_.overstay_repeat;
    fx.set.push_back(OverstayTimer(visit->id, next, *number + 1));
  }
  return fx;
}

}  // namespace picket::access
