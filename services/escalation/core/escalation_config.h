// The escalation configuration as validated domain values: incident types with their
// standard procedures, the rules that open incidents from bus events, and the escalation
// policies. Read from the `[escalation]` section of site.toml by
// escalation_config_toml.h; docs/escalation.md shows a complete example.
//
// Everything here is a plain value (copyable, no I/O). A config that reached the core
// has passed every check in ParseEscalationConfig, so the core may rely on: every rule
// names an existing incident type and event type; every type names an existing policy;
// every policy has at least one level, positive waits and a fallback with a person;
// every key template names fields the triggering events carry.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "domain/roster.h"

namespace picket::escalation {

// Who a level alerts. The text form is what site.toml and the events use.
enum class TargetKind : uint8_t {
  kPerson,       // "person:<id>"  that person, on duty or not
  kRole,         // "role:<role>"  every on-duty holder of the role (e.g. the duty officer)
  kPostLeader,   // "post_leader"  the leader of the incident's post (roster.h)
  kAllWithRole,  // "all:<role>"   everyone with the role, on duty or standing
};

struct Target {
  TargetKind kind = TargetKind::kPerson;
  std::string name;  // the person or role; empty for kPostLeader
  friend bool operator==(const Target&, const Target&) = default;
};

// Parses the text form. Nullopt and *error (a sentence) if malformed.
std::optional<Target> ParseTarget(std::string_view text, std::string* error);
std::string FormatTarget(const Target& t);

struct EscalationLevel {
  std::vector<Target> targets;  // at least one
  Micros wait = 0;              // > 0: how long to wait for an ack before the next level
};

struct EscalationPolicy {
  std::string name;
  std::vector<EscalationLevel> levels;  // at least one, in order
  // After the last level, run the chain again this many times, each time from
  // `repeat_from` (an index into levels). 0 = no repeat.
  int repeat = 0;
  size_t repeat_from = 0;
  // Alerted when the chain (with its repeats) runs out, and again every `fallback_wait`
  // until someone acknowledges: the chain never ends silently. Contains a kPerson target.
  std::vector<Target> fallback;
  Micros fallback_wait = 0;  // > 0
};

// Severity of an incident type. DO NOT CHANGE the numbers: stored and on the wire.
enum class Severity : uint8_t { kLow = 1, kMedium = 2, kHigh = 3, kCritical = 4 };
std::optional<Severity> ParseSeverity(std::string_view text);
std::string_view SeverityName(Severity s);

struct ProcedureStep {
  std::string id;    // unique within the procedure, [a-z0-9_-]
  std::string text;  // what to do
  bool mandatory = false;
  std::string phrase;  // the standard phrase to use, or empty
};

// A grouping key template: literal text and `{field}` placeholders naming fields of the
// triggering event, e.g. "{post}" or "{post}/{person}". "{{" and "}}" are literal braces.
struct KeyTemplate {
  struct Part {
    bool is_field = false;
    std::string text;  // the literal, or the field name
  };
  std::string source;
  std::vector<Part> parts;

  // Parses `text`. Nullopt and *error if a brace is unbalanced or a field name is empty.
  static std::optional<KeyTemplate> Parse(std::string_view text, std::string* error);
  // The field names it uses, in order of first use.
  std::vector<std::string> Fields() const;
  // Fills the template. A field missing from `fields` renders as empty.
  std::string Render(const std::map<std::string, std::string>& fields) const;
};

struct IncidentType {
  std::string name;
  Severity severity = Severity::kMedium;
  KeyTemplate key;             // which triggers are "the same incident"
  Micros grouping_window = 0;  // a trigger joins an open incident whose last trigger is this recent
  Micros reopen_window = 0;    // a trigger reopens a resolved incident resolved this recently
  Micros ack_timeout = 0;      // > 0: an ack lapses after this long without resolution
  Micros cancel_window = 0;    // > 0: escalation starts only after this (panics)
  std::string policy;
  std::vector<ProcedureStep> procedure;  // ordered

  const ProcedureStep* FindStep(std::string_view id) const;
};

// A bus event of type `event_type` whose fields equal every entry of `match` opens (or
// joins) an incident of `incident_type`. Rules are tried in order; the first match wins.
struct TriggerRule {
  std::string event_type;
  std::map<std::string, std::string> match;
  std::string incident_type;
};

struct EscalationConfig {
  // The adapter's endpoints (the core ignores them): the command ROUTER and /metrics.
  std::string commands = "tcp://127.0.0.1:7411";
  std::string http = "127.0.0.1:7481";  // "" = none
  // How long a command's reply waits for its events to be on the bus (the adapter's;
  // 0 = not at all). Below picketctl's per-attempt share of its timeout (5 s / 3).
  Micros reply_wait = 1500 * kMicrosPerMilli;
  std::map<std::string, IncidentType, std::less<>> incident_types;
  std::map<std::string, EscalationPolicy, std::less<>> policies;
  std::vector<TriggerRule> rules;
  RosterConfig roster;

  const IncidentType* FindType(std::string_view name) const;
  const EscalationPolicy* FindPolicy(std::string_view name) const;
  // The first rule that `event_type` with `fields` matches, or nullptr.
  const TriggerRule* Match(std::string_view event_type,
                           const std::map<std::string, std::string>& fields) const;
};

}  // namespace picket::escalation
