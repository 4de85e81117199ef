// The default rules, and ValidateScoringConfig: every problem as one sentence naming the
// rule or key, the implied values filled in.
#include "scoring/core/scoring_config.h"

#include <algorithm>

#include "scoring/core/rules.h"

namespace picket::scoring {
namespace {

constexpr Micros kMaxAwardDelay = 86400 * kMicrosPerSecond;
constexpr size_t kMaxRuleName = 64;

Condition Cond(std::string field, Op op, FieldValue value) {
  return Condition{std::move(field), op, std::move(value)};
}

Rule Scored(std::string name, std::string label, std::string event, int64_t points,
            std::vector<Condition> when = {}, std::vector<std::string> once = {}) {
  Rule r;
  r.name = std::move(name);
  r.label = std::move(label);
  r.event = std::move(event);
  r.points = points;
  r.when = std::move(when);
  r.once = std::move(once);
  return r;
}

Rule Reversal(std::string name, std::string label, std::string event, std::string reverses,
              std::vector<std::string> match) {
  Rule r = Scored(std::move(name), std::move(label), std::move(event), 0);
  r.reverses = std::move(reverses);
  r.match = std::move(match);
  return r;
}

bool ValidRuleName(std::string_view name) {
  if (name.empty() || name.size() > kMaxRuleName) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

// The checks of one validation run; `errors` collects the sentences.
class Checker {
 public:
  Checker(ScoringConfig& config, const EventCatalog& catalog)
      : config_(config), catalog_(catalog) {}

  std::vector<std::string> Run() {
    CheckZoneAndShifts();
    CheckPosts();
    CheckAwards();
    if (config_.categories.empty()) config_.categories = DefaultCategories();
    CheckPointsOverrides();
    if (config_.rules.empty() && config_.default_rules) config_.rules = DefaultRulesWithPoints();
    if (config_.rules.size() > kMaxRules)
      Add("rules: at most " + std::to_string(kMaxRules) + " rules, not " +
          std::to_string(config_.rules.size()));
    std::set<std::string> names;
    for (Rule& r : config_.rules) {
      if (!names.insert(r.name).second) Add("rule " + r.name + ": a second rule of that name");
      CheckRule(r);
    }
    for (const Rule& r : config_.rules)
      if (!r.reverses.empty()) CheckReversal(r);
    return std::move(errors_);
  }

 private:
  using Fields = std::map<std::string, FieldKind, std::less<>>;

  void Add(std::string sentence) { errors_.push_back(std::move(sentence)); }

  void CheckZoneAndShifts() {
    std::string why;
    if (!TimeZoneRule::Parse(config_.time_zone, &why)) Add("time_zone: " + why);
    const auto& s = config_.shift_starts;
    for (int m : s)
      if (m < 0 || m >= 24 * 60)
        Add("shifts: " + std::to_string(m) + " is not a minute of the day (0..1439)");
    for (size_t i = 1; i < s.size(); ++i)
      if (s[i] <= s[i - 1]) {
        Add("shifts: the start times must be ascending and different");
        break;
      }
  }

  void CheckPosts() {
    std::map<std::string, std::string> squad_of;
    for (const auto& [squad, posts] : config_.squads) {
      if (squad.empty()) Add("squads: a squad needs a name");
      for (const auto& post : posts) {
        if (post.empty()) Add("squads: squad " + Quoted(squad) + " lists an empty post");
        auto [it, fresh] = squad_of.emplace(post, squad);
        if (!fresh && it->second != squad)
          Add("squads: post " + Quoted(post) + " is in squads " + Quoted(it->second) + " and " +
              Quoted(squad));
      }
    }
    for (const auto& post : config_.posts)
      if (post.empty()) Add("posts: a post needs a name");
  }

  void CheckAwards() {
    if (config_.award_delay < 0 || config_.award_delay > kMaxAwardDelay)
      Add("award_delay: must be between 0 and 1 day");
    std::vector<PeriodKind> kinds;
    for (PeriodKind k : config_.award_periods) {
      if (!ParsePeriodKind(PeriodKindName(k)))
        Add("award_periods: unknown period kind " + std::to_string(static_cast<int>(k)));
      else if (std::find(kinds.begin(), kinds.end(), k) == kinds.end())
        kinds.push_back(k);
    }
    config_.award_periods = kinds;
  }

  void CheckPointsOverrides() {
    const auto defaults = DefaultRules();
    for (const auto& entry : config_.points) {
      const std::string& name = entry.first;  // not a structured binding: clang 14 cannot
                                              // capture one in the lambda
      if (std::none_of(defaults.begin(), defaults.end(),
                       [&](const Rule& r) { return r.name == name; }))
        Add("points: no default rule is named " + Quoted(name));
    }
  }

  std::vector<Rule> DefaultRulesWithPoints() const {
    std::vector<Rule> rules = DefaultRules();
    for (Rule& r : rules)
      if (auto it = config_.points.find(r.name); it != config_.points.end()) r.points = it->second;
    return rules;
  }

  void CheckRule(Rule& r) {
    const std::string at = "rule " + r.name + ": ";
    if (!ValidRuleName(r.name)) Add(at + "a name is 1 to 64 characters of [a-z0-9_]");
    CheckPoints(r, at);
    if (r.event == kPointsAwardedType || r.event == kEntryVoidedType)
      return Add(at + r.event + " cannot be scored (each entry or void would score again)");
    auto it = catalog_.find(r.event);
    if (it == catalog_.end()) return Add(at + "unknown event type " + Quoted(r.event));
    const Fields& fields = it->second;
    ResolveSubjects(r, fields);
    for (const Condition& c : r.when) CheckCondition(r, fields, c, at);
    for (const auto& f : r.once) Need(fields, f, std::nullopt, at + "once: ", r.event);
    for (const auto& f : r.match) Need(fields, f, std::nullopt, at + "match: ", r.event);
    if (!r.match.empty() && r.reverses.empty()) Add(at + "match is for a rule that reverses");
    if (r.guard != "" && r.guard != kActorSubject)
      Need(fields, r.guard, FieldKind::kText, at + "guard: ", r.event);
    if (r.post != "") Need(fields, r.post, FieldKind::kText, at + "post: ", r.event);
    std::string why;
    if (auto names = LabelFields(r.label, &why)) {
      for (const auto& f : *names) Need(fields, f, std::nullopt, at + "label: ", r.event);
    } else {
      Add(at + "label: " + why);
    }
  }

  void CheckPoints(const Rule& r, const std::string& at) {
    if (!r.reverses.empty()) {
      if (r.points != 0) Add(at + "a rule that reverses gives no points: points must be 0");
      return;
    }
    if (r.points == 0) Add(at + "points must not be 0");
    if (r.points < -kMaxRulePoints || r.points > kMaxRulePoints)
      Add(at + "points must be between -1000 and 1000");
  }

  // The documented defaults for a guard or post the rule did not give.
  static void ResolveSubjects(Rule& r, const Fields& fields) {
    auto has_text = [&](std::string_view name) {
      auto it = fields.find(name);
      return it != fields.end() && it->second == FieldKind::kText;
    };
    if (r.guard == kDefaultSubject) r.guard = has_text("guard") ? "guard" : kActorSubject;
    if (r.post == kDefaultSubject) r.post = has_text("post") ? "post" : "";
  }

  void CheckCondition(const Rule& r, const Fields& fields, const Condition& c,
                      const std::string& at) {
    const std::string where = at + "when " + Quoted(FormatCondition(c)) + ": ";
    if (!Need(fields, c.field, KindOf(c.value), where, r.event)) return;
    if (KindOf(c.value) != FieldKind::kInt && c.op != Op::kEq && c.op != Op::kNe)
      Add(where + "a " + std::string(FieldKindName(KindOf(c.value))) +
          " field compares with == and != only");
  }

  // True if `fields` has `name` (of `kind`, if given); else adds `where` + why.
  bool Need(const Fields& fields, const std::string& name, std::optional<FieldKind> kind,
            const std::string& where, const std::string& event) {
    auto it = fields.find(name);
    if (it == fields.end()) {
      Add(where + event + " has no field " + Quoted(name));
      return false;
    }
    if (kind && it->second != *kind) {
      Add(where + name + " is a " + std::string(FieldKindName(it->second)) + " field, not " +
          std::string(FieldKindName(*kind)));
      return false;
    }
    return true;
  }

  const Rule* Find(std::string_view name) const {
    for (const Rule& r : config_.rules)
      if (r.name == name) return &r;
    return nullptr;
  }

  void CheckReversal(const Rule& r) {
    const std::string at = "rule " + r.name + ": reverses " + Quoted(r.reverses) + ": ";
    const Rule* target = Find(r.reverses);
    if (!target || target == &r) return Add(at + "no other rule has that name");
    if (!target->reverses.empty()) return Add(at + "that rule reverses too: it has no points");
    if (r.match.empty()) return Add(at + "match names no field to find its entries by");
    // The entries of a rule are found by one match key (scoring_keys.h): every rule that
    // reverses it must match on the same fields.
    for (const Rule& other : config_.rules)
      if (&other != &r && other.reverses == r.reverses && other.match != r.match) {
        if (&other < &r) Add(at + "match must name the same fields as rule " + other.name);
        break;
      }
    auto mine = catalog_.find(r.event), theirs = catalog_.find(target->event);
    if (mine == catalog_.end() || theirs == catalog_.end()) return;  // reported with the rule
    for (const auto& f : r.match) {
      auto a = mine->second.find(f), b = theirs->second.find(f);
      if (a == mine->second.end()) continue;  // reported with the rule
      if (b == theirs->second.end())
        Add(at + target->event + " has no match field " + Quoted(f));
      else if (a->second != b->second)
        Add(at + "match field " + Quoted(f) + " is " + std::string(FieldKindName(a->second)) +
            " here but " + std::string(FieldKindName(b->second)) + " in " + target->event);
    }
  }

  ScoringConfig& config_;
  const EventCatalog& catalog_;
  std::vector<std::string> errors_;
};

}  // namespace

std::vector<Rule> DefaultRules() {
  using V = std::vector<std::string>;
  const V kRoundCheckpoint{"round", "checkpoint"};
  Rule fast = Scored("fast_acknowledgement", "Incident {incident} acknowledged fast",
                     "escalation.incident_acknowledged", 3,
                     {Cond("responseTime", Op::kLe, int64_t{60} * kMicrosPerSecond)});
  fast.guard = kActorSubject;
  Rule late = Scored("late_acknowledgement", "Incident {incident} acknowledged late",
                     "escalation.incident_acknowledged", -3,
                     {Cond("responseTime", Op::kGt, int64_t{300} * kMicrosPerSecond)});
  late.guard = kActorSubject;
  return {
      Scored("round_completed", "Round {round} completed", "patrol.round_completed", 10,
             {Cond("missed", Op::kEq, int64_t{0}), Cond("endedEarly", Op::kEq, false)}),
      Scored("checkpoint_on_time", "Checkpoint {checkpoint} on time", "patrol.checkpoint_accepted",
             1, {Cond("onTime", Op::kEq, true)}, kRoundCheckpoint),
      Scored("checkpoint_late_scan_on_time", "Checkpoint {checkpoint} on time (late scan)",
             "patrol.missed_withdrawn", 1, {Cond("onTime", Op::kEq, true)}, kRoundCheckpoint),
      Scored("checkpoint_missed", "Checkpoint {checkpoint} missed", "patrol.checkpoint_missed", -5,
             {}, kRoundCheckpoint),
      Reversal("missed_withdrawn", "Missed checkpoint {checkpoint} withdrawn",
               "patrol.missed_withdrawn", "checkpoint_missed", kRoundCheckpoint),
      Reversal("missed_excused", "Missed checkpoint {checkpoint} excused",
               "patrol.checkpoint_excused", "checkpoint_missed", kRoundCheckpoint),
      Scored("round_not_started", "Round {round} not started", "patrol.round_not_started", -10, {},
             {"round"}),
      Reversal("round_cancelled", "Round {round} cancelled", "patrol.round_cancelled",
               "round_not_started", {"round"}),
      Scored("visitor_checked_out", "Visitor {person} checked out", "access.visitor_checked_out", 2,
             {}, {"visit"}),
      Scored("unregistered_entry", "Unregistered entry of {person}", "access.unregistered_entry",
             -5, {}, {"visit"}),
      Scored("overstay", "Visitor {person} overstayed", "access.overstay", -3,
             {Cond("number", Op::kEq, int64_t{1})}, {"visit"}),
      fast,
      late,
      Scored("inspection_passed", "Inspection {inspection}: {category} passed",
             "scoring.finding_recorded", 1, {Cond("passed", Op::kEq, true)}),
      Scored("inspection_fault", "Inspection {inspection}: {category} fault",
             "scoring.finding_recorded", -3, {Cond("passed", Op::kEq, false)}),
      Scored("commendation", "Commendation: {reason}", "scoring.commendation_recorded", 5),
  };
}

std::vector<std::string> DefaultCategories() {
  return {"uniform", "badge", "phrases", "procedure", "phone", "reading", "chatting", "tidy"};
}

std::vector<std::string> ValidateScoringConfig(ScoringConfig& config, const EventCatalog& catalog) {
  return Checker(config, catalog).Run();
}

std::set<std::string> KnownPosts(const ScoringConfig& config) {
  std::set<std::string> out(config.posts.begin(), config.posts.end());
  for (const auto& [squad, posts] : config.squads) out.insert(posts.begin(), posts.end());
  return out;
}

std::string SquadOf(const ScoringConfig& config, std::string_view post) {
  if (post.empty()) return "";
  for (const auto& [squad, posts] : config.squads)
    if (std::find(posts.begin(), posts.end(), post) != posts.end()) return squad;
  return "";
}

}  // namespace picket::scoring
