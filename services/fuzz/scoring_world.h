// The small site the picket-scoring harnesses run the core on (scoring/core/scoring.h): like
// patrol_world.h, the ideas of the core tests' World (scoring_test_support.h) without
// Catch2. Built once per process by running recorded events, timers and commands through
// the core as the service would have: every event goes through a wire::Event frame and
// ToFact (scoring/wire_convert.h), the service's own events come back from the "bus" the
// same way, and only the types the adapter scores reach OnEvent (scoring_service.cc). Each
// input then runs on a copy of its state, so a run does not depend on the inputs before it
// and a crash reproduces from its one input.
//
// Zone CET/CEST, shifts 06:00 14:00 22:00; squads north (gate-1, gate-2) and south (dock),
// post yard in no squad; the default rules (the catalog is the registered schemas',
// BuildEventCatalog) with overstay at -2; default categories; awards per day and per week,
// 5 min after the period. Guards g-1 .. g-4; supervisor sup-1.
//
// The ledger at kNow (Wednesday 2026-06-10 14:00 CEST), entries by id (checked when the
// world is built; tests/fuzz_corpus/scoring_* seeds name them):
//   Mon 1 June   1 +1 g-1 gate-1 c1 on time     2 +1 c2 on time (voided by sup-1, Wed)
//                3 -5 g-1 gate-1 c3 missed      (round 1 completed with a miss: nothing)
//                4 +1 g-2 dock c7 on time       5 +10 g-2 dock round 2 completed
//                (a replayed c1 of round 1 earns nothing: once)
//   Tue 2 June   6 -5 g-3 gate-2 c4 missed (reversed: missed_withdrawn)
//                7 +1 g-3 gate-2 c4 late scan on time
//                8 -10 yard round 4 not started (reversed: round_cancelled)
//                9 +2 g-2 dock visitor checked out (guard: the actor)
//               10 +3 g-1 incident 1 acknowledged in 30 s (no post)
//   Fri 5 June  11 -5 g-4 gate-1 unregistered entry   12 -2 yard overstay (no guard)
//                (the second overstay reminder earns nothing)
//   Tue 9 June  13 -3 g-3 incident 2 acknowledged after 10 min
//               14 -5 g-1 gate-2 c5 missed (reversed: checkpoint_excused)
//               15 +1 g-4 gate-1 c1 on time
//               16 +1 / 17 -3: inspection 1 of gate-1 (g-4), uniform passed, phone fault
//   Wed 10 June 18 +5 commendation 1 of yard and g-2   19 +10 g-4 gate-1 round 6 completed
// Awards: days 1, 2 and 5 June and 9 June (dock, dock, yard, gate-1), week 2026-W23 (dock).
#pragma once

#include <capnp/dynamic.h>
#include <capnp/message.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "base/overloaded.h"
#include "fuzz/fuzz_support.h"
#include "scoring/core/scoring.h"
#include "scoring/core/scoring_keys.h"
#include "scoring/wire_convert.h"
#include "testing/memory_txn.h"
#include "wire/event_types.h"

namespace picket::fuzz {

class ScoringWorld {
 public:
  static constexpr Micros kMinute = 60 * kMicrosPerSecond;
  static constexpr Micros kHour = 60 * kMinute;
  static constexpr Micros kDay = 24 * kHour;
  static constexpr Micros kDay0 = 1'781'049'600'000'000;  // 2026-06-10 00:00 UTC, a Wednesday
  static constexpr Micros kMonday = kDay0 - 9 * kDay;     // 2026-06-01 00:00 UTC (02:00 CEST)
  static constexpr Micros kNow = kDay0 + 12 * kHour;      // Wednesday 14:00 CEST
  static constexpr char kProducer[] = "scoring";          // OwnerOf("scoring.*")
  static constexpr char kSupervisor[] = "sup-1";

  // Entries of the state (see above).
  static constexpr uint64_t kOnTimeEntry = 1;            // live, gate-1, g-1
  static constexpr uint64_t kSupervisorVoidedEntry = 2;  // voided by sup-1
  static constexpr uint64_t kMissedEntry = 3;            // live: round 1's c3
  static constexpr uint64_t kWithdrawnEntry = 6;         // voided: missed_withdrawn
  static constexpr uint64_t kCancelledEntry = 8;         // voided: round_cancelled
  static constexpr uint64_t kExcusedEntry = 14;          // voided: checkpoint_excused
  static constexpr uint64_t kLastEntry = 19;             // live, gate-1 round 6 completed
  static constexpr uint64_t kNextEntry = kLastEntry + 1;
  // The last bus seq of the state: recorded events after it are new.
  uint64_t last_seq = 0;

  static const ScoringWorld& Get() {
    static const ScoringWorld world;
    return world;
  }

  scoring::EventCatalog catalog;     // BuildEventCatalog()
  scoring::ScoringConfig config;     // validated against `catalog`
  scoring::PeriodCalendar calendar;  // the core's, for checking totals
  mutable scoring::Scoring core;     // holds only the config; its handlers are not const
  MemoryTxn state;                   // copy it per input

  // Whether `s` has the same rows as the world's state in every table (but `except`).
  bool Unchanged(const MemoryTxn& s, std::string_view except = "") const {
    for (const auto& t : scoring::Scoring::Tables())
      if (t != except && s.Rows(t) != state.Rows(t)) return false;
    return true;
  }

  // The value of a scoring_counters counter in `s` (1 if it has no row: Ledger::Take).
  static uint64_t Counter(const MemoryTxn& s, std::string_view name) {
    const auto& rows = s.Rows(scoring::keys::kCounters);
    auto it = rows.find(name);
    if (it == rows.end()) return 1;
    auto v = scoring::keys::DecodeCounter(it->second);
    Require(v.has_value(), "a counter row decodes");
    return *v;
  }

  // The entry `id` as stored in `s`, if any.
  static std::optional<scoring::Entry> StoredEntry(const MemoryTxn& s, uint64_t id) {
    const auto& rows = s.Rows(scoring::keys::kEntries);
    auto it = rows.find(scoring::keys::EntryKey(id));
    if (it == rows.end()) return std::nullopt;
    auto e = scoring::keys::DecodeEntry(it->second);
    Require(e.has_value() && e->id == id, "a stored entry decodes under its id");
    return e;
  }

  // The totals row of a subject in `s` (zero if none).
  static scoring::Totals StoredTotals(const MemoryTxn& s, scoring::PeriodKind kind, Micros start,
                                      scoring::SubjectKind subject_kind, std::string_view subject) {
    const auto& rows = s.Rows(scoring::keys::kTotals);
    auto it = rows.find(scoring::keys::TotalsKey(kind, start, subject_kind, subject));
    if (it == rows.end()) return {};
    auto t = scoring::keys::DecodeTotals(it->second);
    Require(t.has_value(), "a totals row decodes");
    return *t;
  }

  // Whether every totals row of `s` is the sum of the live entries of `s` of that subject
  // in that period, and every subject with a live entry in a period has its row.
  bool TotalsAreSums(const MemoryTxn& s) const {
    using namespace scoring;
    std::map<std::string, Totals> want;
    for (const auto& [key, row] : s.Rows(keys::kEntries)) {
      auto e = keys::DecodeEntry(row);
      if (!e) return false;
      if (e->voided) continue;
      const std::pair<SubjectKind, const std::string*> subjects[] = {
          {SubjectKind::kGuard, &e->guard},
          {SubjectKind::kPost, &e->post},
          {SubjectKind::kSquad, &e->squad}};
      for (PeriodKind kind : kAllPeriodKinds) {
        const Micros start = calendar.At(kind, e->at).start;
        for (const auto& [subject_kind, subject] : subjects) {
          if (subject->empty()) continue;
          Totals& t = want[keys::TotalsKey(kind, start, subject_kind, *subject)];
          t.points += e->points;
          (e->points > 0 ? t.rewards : t.penalties) += e->points;
          ++t.entries;
        }
      }
    }
    const auto& rows = s.Rows(keys::kTotals);
    if (rows.size() != want.size()) return false;
    for (const auto& [key, t] : want) {
      auto it = rows.find(key);
      if (it == rows.end()) return false;
      auto got = keys::DecodeTotals(it->second);
      if (!got || !(*got == t)) return false;
    }
    return true;
  }

  // Whether the service hands a recorded event of `type` from `producer` to the core
  // (ScoringService::OnEvent: a type a rule scores, or scoring.entry_voided; a derived type
  // only from its owner).
  bool Scored(std::string_view type, std::string_view producer) const {
    if (!scored_.count(type)) return false;
    const std::string_view owner = OwnerOf(type);
    return owner.empty() || owner == producer;
  }

  ScoringWorld(const ScoringWorld&) = delete;
  ScoringWorld& operator=(const ScoringWorld&) = delete;

 private:
  using Fields = std::map<std::string, scoring::FieldValue>;

  static scoring::ScoringConfig SiteConfig(const scoring::EventCatalog& catalog) {
    using namespace scoring;
    ScoringConfig c;
    c.time_zone = "CET-1CEST,M3.5.0,M10.5.0/3";
    c.shift_starts = {6 * 60, 14 * 60, 22 * 60};
    c.squads = {{"north", {"gate-1", "gate-2"}}, {"south", {"dock"}}};
    c.posts = {"yard"};
    c.points = {{"overstay", -2}};
    c.award_periods = {PeriodKind::kDay, PeriodKind::kWeek};
    c.award_delay = 5 * kMinute;
    Require(ValidateScoringConfig(c, catalog).empty(), "the harness's site config is valid");
    return c;
  }

  std::set<std::string, std::less<>> scored_;
  // The runtime's timer table while the world is built: keyed, cancelled before set.
  std::map<std::string, scoring::TimerSet> timers_;
  Micros clock_ = 0;

  void Apply(const scoring::Effects& fx) {
    for (const auto& id : fx.cancel) timers_.erase(id);
    for (const auto& t : fx.set) timers_[t.id] = t;
  }

  // Fires every timer due at or before `until`, earliest first, each with the clock at its
  // due (the service was running); their events go to the bus.
  void RunTimers(Micros until) {
    for (;;) {
      auto next = timers_.end();
      for (auto it = timers_.begin(); it != timers_.end(); ++it)
        if (it->second.due <= until && (next == timers_.end() || it->second.due < next->second.due))
          next = it;
      if (next == timers_.end()) break;
      const scoring::TimerSet t = next->second;
      timers_.erase(next);  // the runtime deletes the row in the same write
      clock_ = std::max(clock_, t.due);
      Emitted(core.OnTimer(scoring::TimerFired{t.id, t.due, t.payload}, state, t.due));
    }
    clock_ = std::max(clock_, until);
  }

  // A recorded event as the service receives it: to a Fact by ToFact (REQUIREd to be
  // accepted), then to the core if the service scores its type.
  void Deliver(wire::Event::Reader event) {
    std::string why;
    auto fact = scoring::ToFact(event, &why);
    Require(fact.has_value(), "the harness's recorded event reads as a fact");
    if (!Scored(fact->type, fact->producer)) return;
    RunTimers(fact->recorded);
    Emitted(core.OnEvent(*fact, state));
  }

  // The core's effects: timers applied, events recorded by the bus and delivered back, in
  // order.
  void Emitted(const scoring::Effects& fx) {
    Apply(fx);
    for (const auto& out : fx.events) {
      capnp::MallocMessageBuilder b;
      auto e = b.initRoot<wire::Event>();
      scoring::FillEvent(e, out);
      e.setProducer(kProducer);
      e.setSeq(++last_seq);
      e.setRecordedAt(clock_ + kMicrosPerSecond);
      Deliver(e.asReader());
    }
  }

  // A recorded event of `type` observed at `at` (recorded a second later), its body's
  // fields by schema name; the fact ToFact makes of it has them.
  void Publish(std::string_view type, const std::string& producer, const std::string& actor,
               Micros at, const Fields& fields) {
    const RegisteredEventType* registered = FindRegisteredType(type);
    Require(registered != nullptr, "the harness's event type is registered");
    capnp::MallocMessageBuilder b;
    auto e = b.initRoot<wire::Event>();
    e.setType(std::string(type));
    e.setProducer(producer);
    e.setActor(actor);
    e.setObservedAt(at);
    e.setRecordedAt(at + kMicrosPerSecond);
    e.setSeq(++last_seq);
    auto body = e.getBody().initAs<capnp::DynamicStruct>(registered->body);
    for (const auto& field : fields) {
      const kj::StringPtr name = field.first.c_str();
      std::visit(Overloaded{
                     [&](bool v) { body.set(name, v); },
                     [&](int64_t v) { body.set(name, v); },
                     [&](const std::string& v) {
                       body.set(name, capnp::Text::Reader(v.c_str(), v.size()));
                     },
                 },
                 field.second);
    }
    std::string why;
    auto fact = scoring::ToFact(e.asReader(), &why);
    Require(fact.has_value(), "the harness's event reads as a fact");
    for (const auto& [name, value] : fields) {
      auto it = fact->fields.find(name);
      Require(it != fact->fields.end() && it->second == value,
              "the harness's fact has its body's fields");
    }
    Deliver(e.asReader());
  }

  void Run(scoring::CommandBody body, Micros at) {
    RunTimers(at);
    auto r = core.OnCommand(scoring::Command{kSupervisor, std::move(body)}, state, at);
    Require(r.reply.ok(), "the harness's supervisor command is applied");
    Emitted(r.effects);
  }

  // The bodies of the events the default rules score (schemas/patrol.capnp, access.capnp,
  // escalation.capnp).
  static Fields Accepted(const std::string& post, int64_t round, const std::string& checkpoint,
                         const std::string& guard, int64_t position) {
    return {{"round", round},
            {"route", std::string("north")},
            {"post", post},
            {"guard", guard},
            {"checkpoint", checkpoint},
            {"position", position},
            {"onTime", true},
            {"leg", 4 * kMinute}};
  }
  static Fields Missed(const std::string& post, int64_t round, const std::string& checkpoint,
                       const std::string& guard) {
    return {{"post", post},           {"route", std::string("north")},
            {"round", round},         {"checkpoint", checkpoint},
            {"guard", guard},         {"deadline", kMonday},
            {"lateness", int64_t{0}}, {"roundEnded", false}};
  }
  static Fields Completed(const std::string& post, int64_t round, const std::string& guard,
                          int64_t missed) {
    return {{"post", post},
            {"route", std::string("north")},
            {"round", round},
            {"guard", guard},
            {"onTime", int64_t{3} - missed},
            {"late", int64_t{0}},
            {"missed", missed},
            {"excused", int64_t{0}},
            {"total", 30 * kMinute},
            {"endedEarly", false},
            {"scheduled", true}};
  }
  static Fields Acknowledged(int64_t incident, Micros response_time) {
    return {{"incident", incident},
            {"version", int64_t{2}},
            {"level", int64_t{1}},
            {"responseTime", response_time},
            {"ackDeadline", kMonday}};
  }
  static Fields Overstay(int64_t number) {
    return {{"post", std::string("yard")},     {"person", std::string("v-3")},
            {"passCode", std::string("P-3")},  {"visit", int64_t{3}},
            {"expiredAt", kMonday + 4 * kDay}, {"number", number},
            {"lateness", int64_t{0}}};
  }

  ScoringWorld()
      : catalog(scoring::BuildEventCatalog()),
        config(SiteConfig(catalog)),
        core(config),
        state(scoring::Scoring::Tables()) {
    using namespace scoring;
    namespace n = event_names;
    calendar.zone = *TimeZoneRule::Parse(config.time_zone, nullptr);
    calendar.shift_starts = config.shift_starts;
    for (const Rule& r : config.rules) scored_.insert(r.event);
    scored_.insert(std::string(n::kEntryVoided));
    const Micros m = kMinute, h = kHour;
    const std::string patrol = "patrol", access = "access", escalation = "escalation";

    clock_ = kMonday;
    Apply(core.OnStart(state, kMonday));
    // Monday 1 June: round 1 at gate-1 (c3 missed), round 2 at dock; a replayed c1.
    Micros d = kMonday;
    Publish(n::kCheckpointAccepted, patrol, "", d + 6 * h + 10 * m,
            Accepted("gate-1", 1, "c1", "g-1", 1));
    Publish(n::kCheckpointAccepted, patrol, "", d + 6 * h + 20 * m,
            Accepted("gate-1", 1, "c2", "g-1", 2));
    Publish(n::kCheckpointMissed, patrol, "", d + 6 * h + 40 * m, Missed("gate-1", 1, "c3", "g-1"));
    Publish(n::kRoundCompleted, patrol, "", d + 6 * h + 41 * m, Completed("gate-1", 1, "g-1", 1));
    Publish(n::kCheckpointAccepted, patrol, "", d + 7 * h, Accepted("dock", 2, "c7", "g-2", 1));
    Publish(n::kRoundCompleted, patrol, "", d + 7 * h + 20 * m, Completed("dock", 2, "g-2", 0));
    Publish(n::kCheckpointAccepted, patrol, "", d + 7 * h + 21 * m,
            Accepted("gate-1", 1, "c1", "g-1", 1));
    // Tuesday 2 June: a miss withdrawn by a late scan, a round not started then cancelled,
    // a visitor checked out, a fast acknowledgement.
    d = kMonday + kDay;
    Publish(n::kCheckpointMissed, patrol, "", d + 6 * h + 30 * m, Missed("gate-2", 3, "c4", "g-3"));
    Publish(n::kMissedWithdrawn, patrol, "", d + 9 * h,
            {{"post", std::string("gate-2")},
             {"route", std::string("north")},
             {"round", int64_t{3}},
             {"checkpoint", std::string("c4")},
             {"guard", std::string("g-3")},
             {"missedDeadline", d + 6 * h + 30 * m},
             {"deadline", d + 6 * h + 30 * m},
             {"scannedAt", d + 6 * h + 25 * m},
             {"onTime", true}});
    Publish(n::kRoundNotStarted, patrol, "", d + 10 * h,
            {{"post", std::string("yard")},
             {"route", std::string("yard")},
             {"round", int64_t{4}},
             {"guard", std::string()},
             {"due", d + 9 * h + 50 * m},
             {"deadline", d + 10 * h},
             {"lateness", int64_t{0}}});
    Publish(n::kRoundCancelled, patrol, "", d + 10 * h + 30 * m,
            {{"round", int64_t{4}},
             {"route", std::string("yard")},
             {"post", std::string("yard")},
             {"reason", std::string("drill")},
             {"was", std::string("not_started")}});
    Publish(n::kVisitorCheckedOut, access, "g-2", d + 12 * h,
            {{"post", std::string("dock")},
             {"gate", std::string("east")},
             {"person", std::string("v-1")},
             {"passCode", std::string("P-1")},
             {"visit", int64_t{1}},
             {"stayed", 2 * h},
             {"byCommand", false}});
    Publish(n::kIncidentAcknowledged, escalation, "g-1", d + 13 * h,
            Acknowledged(1, 30 * kMicrosPerSecond));
    // Friday 5 June: an unregistered entry, an overstay and its second reminder.
    d = kMonday + 4 * kDay;
    Publish(n::kUnregisteredEntry, access, "g-4", d + 8 * h,
            {{"post", std::string("gate-1")},
             {"gate", std::string("north")},
             {"person", std::string("Ivan Petrov")},
             {"note", std::string("delivery driver without a pass")},
             {"visit", int64_t{2}}});
    Publish(n::kOverstay, access, "", d + 15 * h, Overstay(1));
    Publish(n::kOverstay, access, "", d + 16 * h, Overstay(2));
    // Tuesday 9 June: a late acknowledgement, a miss excused, a scan, an inspection.
    d = kDay0 - kDay;
    Publish(n::kIncidentAcknowledged, escalation, "g-3", d + 7 * h, Acknowledged(2, 10 * m));
    Publish(n::kCheckpointMissed, patrol, "", d + 8 * h, Missed("gate-2", 5, "c5", "g-1"));
    Publish(n::kCheckpointExcused, patrol, "", d + 9 * h,
            {{"round", int64_t{5}},
             {"route", std::string("north")},
             {"post", std::string("gate-2")},
             {"checkpoint", std::string("c5")},
             {"reason", std::string("storm")},
             {"guard", std::string("g-1")}});
    Publish(n::kCheckpointAccepted, patrol, "", d + 10 * h, Accepted("gate-1", 6, "c1", "g-4", 1));
    Run(InspectCommand{"gate-1",
                       "g-4",
                       {Finding{"uniform", true, ""}, Finding{"phone", false, "on the phone"}}},
        d + 11 * h);
    // Wednesday 10 June: a supervisor's void, a commendation, a round completed.
    d = kDay0;
    Run(VoidCommand{kSupervisorVoidedEntry, "a test scan"}, d + 8 * h);
    Run(CommendCommand{"yard", "g-2", "found a lost child"}, d + 9 * h);
    Publish(n::kRoundCompleted, patrol, "", d + 10 * h, Completed("gate-1", 6, "g-4", 0));
    RunTimers(kNow);

    auto entry = [&](uint64_t id) {
      auto e = StoredEntry(state, id);
      Require(e.has_value(), "the harness's entry exists");
      return *e;
    };
    Require(Counter(state, keys::kNextEntry) == kNextEntry, "the state has 19 entries");
    Require(!entry(kOnTimeEntry).voided && !entry(kMissedEntry).voided &&
                !entry(kLastEntry).voided && entry(kLastEntry).points == 10,
            "entries 1, 3 and 19 are live");
    Require(entry(kSupervisorVoidedEntry).voided &&
                entry(kSupervisorVoidedEntry).voided_by == kSupervisor,
            "entry 2: voided by sup-1");
    Require(entry(kWithdrawnEntry).voided_by == "rule:missed_withdrawn" &&
                entry(kCancelledEntry).voided_by == "rule:round_cancelled" &&
                entry(kExcusedEntry).voided_by == "rule:missed_excused",
            "entries 6, 8 and 14: reversed");
    Require(entry(12).points == -2 && entry(12).guard.empty() && entry(12).post == "yard",
            "entry 12: the overstay, with the site's points");
    Require(entry(18).rule == "commendation" && entry(16).rule == "inspection_passed" &&
                entry(17).rule == "inspection_fault",
            "entries 16 to 18: the commands' events scored");
    Require(
        Counter(state, keys::kNextInspection) == 2 && Counter(state, keys::kNextCommendation) == 2,
        "one inspection and one commendation");
    const auto& awards = state.Rows(keys::kAwards);
    size_t days = 0, weeks = 0;
    for (const auto& [key, row] : awards) {
      auto a = keys::DecodeAward(row);
      Require(a.has_value(), "an award row decodes");
      if (a->period.kind == PeriodKind::kDay) ++days;
      if (a->period.kind == PeriodKind::kWeek) {
        ++weeks;
        Require(a->post == "dock" && a->period.label == "2026-W23", "week 23's award: dock");
      }
    }
    Require(days == 4 && weeks == 1, "four day awards and one week award");
    Require(TotalsAreSums(state), "the world's totals are the sums of its live entries");
  }
};

// What the core's Effects promise the adapter, checked for every harness run: each event
// has a scoring.* type and fills a wire event (FillEvent) carrying its type, actor and
// time; each timer set or cancelled is an award timer ("award/<kind>"), one set for a
// configured kind with the period start as its payload.
inline void CheckEffects(const ScoringWorld& world, const scoring::Effects& fx) {
  using namespace scoring;
  for (const auto& e : fx.events) {
    Require(e.type().starts_with("scoring."), "an event has a scoring.* type");
    capnp::MallocMessageBuilder out;
    auto w = out.initRoot<wire::Event>();
    FillEvent(w, e);
    auto r = w.asReader();
    Require(std::string_view(r.getType().cStr(), r.getType().size()) == e.type() &&
                std::string_view(r.getActor().cStr(), r.getActor().size()) == e.actor &&
                r.getObservedAt() == e.at && r.hasBody(),
            "a wire event carries the event's type, actor, time and a body");
  }
  auto kind = [](std::string_view id) -> std::optional<PeriodKind> {
    for (PeriodKind k : kAllPeriodKinds)
      if (keys::AwardTimer(k) == id) return k;
    return std::nullopt;
  };
  for (const auto& id : fx.cancel) Require(kind(id).has_value(), "a cancelled timer is an award's");
  for (const auto& t : fx.set) {
    auto k = kind(t.id);
    Require(k.has_value() &&
                std::find(world.config.award_periods.begin(), world.config.award_periods.end(),
                          *k) != world.config.award_periods.end(),
            "a timer set is a configured award's");
    Require(keys::DecodeTime(t.payload).has_value(), "an award timer carries its period start");
  }
}

}  // namespace picket::fuzz
