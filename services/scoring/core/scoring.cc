// Scoring::OnEvent: the rules over a recorded event (scoring.h has the picture), and the
// ranking shared by leaderboards and awards.
#include "scoring/core/scoring.h"

#include "scoring/core/ledger.h"
#include "scoring/core/rules.h"
#include "scoring/core/scoring_keys.h"

namespace picket::scoring {
namespace {

std::optional<int64_t> IntField(const Fact& fact, std::string_view name) {
  const FieldValue* v = FieldOf(fact, name);
  const auto* i = v ? std::get_if<int64_t>(v) : nullptr;
  if (!i) return std::nullopt;
  return *i;
}

// The rule that reverses `name`, if any (validation makes every such rule match on the
// same fields, so the first one speaks for all).
const Rule* ReversalOf(const ScoringConfig& config, std::string_view name) {
  for (const Rule& r : config.rules)
    if (r.reverses == name) return &r;
  return nullptr;
}

bool AllHold(const Rule& r, const Fact& fact) {
  for (const Condition& c : r.when)
    if (!Holds(c, fact)) return false;
  return true;
}

class EventRun {
 public:
  EventRun(const ScoringConfig& config, Ledger& ledger, const Fact& fact, Effects& fx)
      : config_(config), ledger_(ledger), fact_(fact), fx_(fx) {}

  // A rule that earns: a new entry unless its `once` values already earned or it names
  // nobody. A fact lacking a `once` field cannot be told apart from others: it earns
  // nothing.
  void Score(const Rule& r) {
    if (!AllHold(r, fact_)) return;
    std::optional<std::vector<FieldValue>> once;
    if (!r.once.empty()) {
      once = ValuesOf(fact_, r.once);
      if (!once || ledger_.OnceTaken(r.name, *once)) return;
    }
    Entry e;
    e.seq = fact_.seq;
    e.event = fact_.type;
    e.rule = r.name;
    e.label = FillLabel(r.label, fact_);
    e.points = r.points;
    e.guard = SubjectOf(r.guard, fact_);
    e.post = SubjectOf(r.post, fact_);
    e.squad = r.squad ? SquadOf(config_, e.post) : "";
    e.at = fact_.at;
    if (e.guard.empty() && e.post.empty() && e.squad.empty()) return;
    // A rule some rule reverses: its entries are found again by their match values.
    std::optional<std::vector<FieldValue>> match;
    if (const Rule* reversal = ReversalOf(config_, r.name))
      match = ValuesOf(fact_, reversal->match);
    e = ledger_.Add(std::move(e));
    if (once) ledger_.TakeOnce(r.name, *once, e.id);
    if (match) ledger_.AddMatch(r.name, *match, e.id);
    fx_.events.push_back({"", fact_.at, PointsAwarded{std::move(e)}});
  }

  // A reversing rule: every live entry of `reverses` with the same match values is voided.
  void Reverse(const Rule& r) {
    if (!AllHold(r, fact_)) return;
    auto values = ValuesOf(fact_, r.match);
    if (!values) return;
    for (uint64_t id : ledger_.Matching(r.reverses, *values)) {
      auto e = ledger_.Load(id);
      if (!e) throw StoreError("scoring: match_keys names missing entry " + std::to_string(id));
      if (e->voided) continue;
      Entry after = ledger_.Void(*std::move(e), "reversed by " + r.name, "rule:" + r.name,
                                 fact_.seq, fact_.at);
      fx_.events.push_back({"", fact_.at, EntryVoided{std::move(after), true}});
    }
  }

  // scoring.entry_voided of this service, back from the bus: the void is applied already
  // unless the state is being rebuilt from the bus (a supervisor's void is in no other
  // event). Its body is the entry after the void (schemas/scoring.capnp LedgerEntry).
  void ApplyOwnVoid() {
    auto id = IntField(fact_, "entry");
    if (!id || *id <= 0) return;
    auto e = ledger_.Load(static_cast<uint64_t>(*id));
    if (!e || e->voided) return;
    const FieldValue* reason = FieldOf(fact_, "voidReason");
    const FieldValue* by = FieldOf(fact_, "voidedBy");
    const int64_t seq = IntField(fact_, "voidSeq").value_or(0);
    const int64_t at = IntField(fact_, "voidedAt").value_or(0);
    ledger_.Void(*std::move(e), reason ? FormatValue(*reason) : "", by ? FormatValue(*by) : "",
                 seq > 0 ? static_cast<uint64_t>(seq) : 0, at > 0 ? at : fact_.at);
  }

  // Inspection and commendation ids seen on the bus are never handed out again, also by
  // a state rebuilt from the bus (the commands that took them are not replayed).
  void KeepIdsAhead() {
    auto keep = [&](std::string_view field, std::string_view counter) {
      if (auto id = IntField(fact_, field); id && *id > 0)
        ledger_.KeepAbove(counter, static_cast<uint64_t>(*id));
    };
    if (fact_.type == kFindingRecordedType) keep("inspection", keys::kNextInspection);
    if (fact_.type == kCommendationRecordedType) keep("commendation", keys::kNextCommendation);
  }

 private:
  const ScoringConfig& config_;
  Ledger& ledger_;
  const Fact& fact_;
  Effects& fx_;
};

}  // namespace

bool RanksBefore(const std::string& a_subject, const Totals& a, const std::string& b_subject,
                 const Totals& b) {
  if (a.points != b.points) return a.points > b.points;
  if (a.penalties != b.penalties) return a.penalties > b.penalties;  // closer to 0
  if (a.rewards != b.rewards) return a.rewards > b.rewards;
  return a_subject < b_subject;
}

Scoring::Scoring(const ScoringConfig& config) : config_(config) {
  calendar_.zone = TimeZoneRule::Parse(config.time_zone, nullptr).value_or(TimeZoneRule::Utc());
  calendar_.shift_starts = config.shift_starts;
  for (size_t i = 0; i < config.rules.size(); ++i)
    rules_by_event_[config.rules[i].event].push_back(i);
}

std::vector<std::string> Scoring::Tables() {
  using namespace keys;
  return {std::string(kEntries),  std::string(kSubjectEntries), std::string(kTotals),
          std::string(kOnceKeys), std::string(kMatchKeys),      std::string(kAwards),
          std::string(kCounters)};
}

Effects Scoring::OnEvent(const Fact& fact, Txn& state) {
  Effects fx;
  if (!TimeInRange(fact.at)) return fx;  // its periods would be outside the calendar
  Ledger ledger(state, calendar_);
  EventRun run(config_, ledger, fact, fx);
  if (fact.type == kEntryVoidedType) {
    run.ApplyOwnVoid();
    return fx;
  }
  run.KeepIdsAhead();
  auto it = rules_by_event_.find(fact.type);
  if (it == rules_by_event_.end()) return fx;
  for (size_t i : it->second) {
    const Rule& r = config_.rules[i];
    if (r.reverses.empty())
      run.Score(r);
    else
      run.Reverse(r);
  }
  return fx;
}

}  // namespace picket::scoring
