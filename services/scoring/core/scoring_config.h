// picket-scoring's configuration as plain values ([scoring] in site.toml; the adapter's
// scoring_config_toml reads it), its rules, the built-in default rules and validation.
//
// A rule turns a recorded event into points:
//
//   name    "checkpoint_missed"      unique, [a-z0-9_], 1..64 bytes: entries name it
//   label   "Checkpoint {checkpoint} missed"   for people; {field} is replaced by the
//                                     event's value of that body field
//   event   "patrol.checkpoint_missed"   a registered type (EventCatalog)
//   when    ["onTime == true", "responseTime <= 60s"]   every condition must hold
//   points  -5                        -1000..1000, not 0 (0 only with `reverses`)
//   guard   "guard"                   a Text field of the body naming the guard, "@actor"
//                                     (the envelope's actor) or "" (no guard)
//   post    "post"                    a Text field naming the post, or "" (no post)
//   squad   true                      the post's squad gets the points too (if it has one)
//   once    ["round", "checkpoint"]   fields that identify the thing scored: a second
//                                     event with the same values earns nothing from this
//                                     rule (a duplicate verdict, a replayed fact)
//   reverses "checkpoint_missed"      a reversal: this rule's event voids the live entries
//   match   ["round", "checkpoint"]   of rule `reverses` whose `match` fields have the
//                                     same values; it gives no points itself
//
// Condition grammar: `<field> <op> <value>`, op one of == != < <= > >=; value `true` /
// `false` (bool fields: == and != only), an integer, a duration (30s, 5m, 2h: µs, for the
// Int64 duration fields) or text: a bare word [A-Za-z0-9_.:-]+ or "double quoted" (text
// fields: == and != only). The field must be in the event's catalog with that kind.
//
// When a rule omits `guard`, it is "guard" if the event has a Text field `guard`, else
// "@actor"; when it omits `post`, it is "post" if the event has a Text field `post`, else "".
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "domain/site_time.h"
#include "scoring/core/periods.h"
#include "scoring/core/scoring_types.h"

namespace picket::scoring {

enum class Op : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe };

struct Condition {
  std::string field;
  Op op = Op::kEq;
  FieldValue value;
  friend bool operator==(const Condition&, const Condition&) = default;
};
// Parses one condition string. Nullopt and *error (one sentence) if it does not follow the
// grammar above. (Field existence and kinds are ValidateScoringConfig's.)
std::optional<Condition> ParseCondition(std::string_view text, std::string* error);
// True if `fact` has the field and its value satisfies the condition.
bool Holds(const Condition& c, const Fact& fact);

// `guard` / `post` of a rule that did not say (the config reader's value for an absent
// key): ValidateScoringConfig replaces it with the default described above.
inline constexpr std::string_view kDefaultSubject = "@default";

struct Rule {
  std::string name, label, event;
  std::vector<Condition> when;
  int64_t points = 0;
  // kDefaultSubject until ValidateScoringConfig resolves it; "" = none.
  std::string guard{kDefaultSubject}, post{kDefaultSubject};
  bool squad = true;
  std::vector<std::string> once;
  std::string reverses;
  std::vector<std::string> match;
};

inline constexpr int64_t kMaxRulePoints = 1000;
inline constexpr size_t kMaxRules = 256;

// The built-in rules (docs/scoring.md lists them with their points), used when [scoring]
// has no [[scoring.rules]] and `default_rules` is not false. `points` overrides the points
// of a default rule by name (e.g. {"checkpoint_missed": -10}).
//   round_completed       patrol.round_completed, missed == 0 and endedEarly == false   +10
//   checkpoint_on_time    patrol.checkpoint_accepted, onTime == true; once round,checkpoint  +1
//   checkpoint_late_scan_on_time  patrol.missed_withdrawn, onTime == true; once round,checkpoint +1
//   checkpoint_missed     patrol.checkpoint_missed; once round,checkpoint                   -5
//   missed_withdrawn      patrol.missed_withdrawn reverses checkpoint_missed on round,checkpoint
//   missed_excused        patrol.checkpoint_excused reverses checkpoint_missed on round,checkpoint
//   round_not_started     patrol.round_not_started; once round                             -10
//   round_cancelled       patrol.round_cancelled reverses round_not_started on round
//   visitor_checked_out   access.visitor_checked_out; once visit                            +2
//   unregistered_entry    access.unregistered_entry; once visit                             -5
//   overstay              access.overstay, number == 1; once visit                          -3
//   fast_acknowledgement  escalation.incident_acknowledged, responseTime <= 60s; guard @actor +3
//   late_acknowledgement  escalation.incident_acknowledged, responseTime > 5m; guard @actor   -3
//   inspection_passed     scoring.finding_recorded, passed == true                          +1
//   inspection_fault      scoring.finding_recorded, passed == false                         -3
//   commendation          scoring.commendation_recorded                                     +5
std::vector<Rule> DefaultRules();

// The standard-conduct categories of an inspection finding, when the config names none.
std::vector<std::string> DefaultCategories();  // uniform badge phrases procedure phone
                                               // reading chatting tidy

struct ScoringConfig {
  std::string time_zone = "UTC0";  // a POSIX TZ rule (the adapter resolves tz names)
  std::vector<int> shift_starts;  // minutes after local midnight (periods.h)
  // squad -> its posts. A post is in at most one squad.
  std::map<std::string, std::vector<std::string>> squads;
  std::vector<std::string> posts;       // posts in no squad (inspections need a known post)
  std::vector<std::string> categories;  // inspection categories (empty: DefaultCategories)
  std::vector<Rule> rules;              // empty and default_rules: DefaultRules
  bool default_rules = true;
  std::map<std::string, int64_t> points;  // default rule name -> points
  // The best-post award: granted for each period of these kinds at its end + award_delay
  // (events of the period that arrive in the delay still count).
  std::vector<PeriodKind> award_periods = {PeriodKind::kWeek};
  Micros award_delay = 5 * 60 * kMicrosPerSecond;
};

// Checks the config against the catalog and fills in what is implied: the default rules
// (with `points` applied), each rule's default guard/post, empty categories. Returns the
// problems, one sentence each naming the rule or key ("rule checkpoint_missed: ..."):
// unknown event type, unknown field or wrong kind in when/once/match/guard/post/label,
// a duplicate rule name, points out of range or 0, `reverses` naming an unknown rule or
// one whose event lacks a `match` field (same kind in both), `points` naming no default
// rule, a post in two squads, a shift time out of range or unsorted, a bad time zone,
// award_delay outside 0..1 day, more than kMaxRules rules.
std::vector<std::string> ValidateScoringConfig(ScoringConfig& config, const EventCatalog& catalog);

// Every known post (squads' and `posts`), and the squad of a post ("" if none).
std::set<std::string> KnownPosts(const ScoringConfig& config);
std::string SquadOf(const ScoringConfig& config, std::string_view post);

}  // namespace picket::scoring
