// The configuration of one post terminal, as validated values. A later adapter reads
// [terminal] from site.toml (and the terminal's own file) into these; the core parses no
// files.
//
//   post, gates          where the terminal stands; its scans, visitors and manual entries
//                        name the current gate (the first one until /gate changes it)
//   language             the site's language for phrases; default_language the fallback
//   phrases              language -> situation name (phrases.h) -> phrase
//   post_orders          the standing orders shown at login and acknowledged with /ack
//   guards               who may log in here: person, role, and their codes as stored
//                        hashes (code_hash.h: never the codes themselves)
//   checkpoint_prefixes  how a checkpoint tag is told from a pass code (session.h, "Scans")
//   incident_kinds       the kinds /incident accepts, each with the standard procedure the
//                        screen shows when an incident of that kind opens at this post
//
// Values only; ValidateTerminalConfig is a pure function. Thread-safe as values are.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "terminal/core/line_protocol.h"
#include "terminal/core/phrases.h"

namespace picket::terminal {

struct GuardLogin {
  std::string person;          // the person id (the events' actor); 1..64 bytes, no spaces
  std::string role = "guard";  // their role on shift.started
  std::string login_code;      // stored hash of the login code (code_hash.h)
  std::string duress_code;     // stored hash of the duress code, or empty (none)
};

struct ProcedureStep {
  std::string id;    // as in the escalation config (the step of StepDone / markStepDone)
  std::string text;  // what to do, shown on screen
  bool mandatory = false;
};

struct IncidentKind {
  std::string name;                  // the incident type name from the site config (escalation)
  std::string label;                 // for the screen; empty: the name
  std::vector<ProcedureStep> steps;  // the standard procedure, in order; may be empty
  // The guard may report it with /incident. False: an incident type the services open
  // (a watchlist hit, a missed checkpoint) whose procedure the screen shows when one opens
  // at the post.
  bool reportable = true;
};

struct TerminalConfig {
  std::string terminal;            // this terminal's producer id, e.g. "gate-1-terminal"
  std::string post;                // the post it serves, e.g. "gate-1"
  std::vector<std::string> gates;  // gate ids it serves; empty: the post's own gate
  Direction default_direction = Direction::kIn;

  std::string language = "en";
  std::string default_language = "en";
  PhraseTables phrases;
  std::string post_orders;  // required; shown at login, line by line

  std::vector<GuardLogin> guards;
  // A scan starting with one of these is a checkpoint tag; empty: every scan during a round
  // is a tag and every scan outside one is a pass.
  std::vector<std::string> checkpoint_prefixes;
  std::vector<IncidentKind> incident_kinds;  // empty: /incident takes any kind

  Micros panic_cancel_window = 10 * kMicrosPerSecond;  // 0..60 s; 0 = the panic goes at once
  Micros decision_timeout = 5 * kMicrosPerSecond;      // 1..60 s; then "no answer"
  int max_login_failures = 5;                          // 1..100 wrong codes in a row ...
  Micros login_lockout = 60 * kMicrosPerSecond;        // ... lock logins this long (0..1 h)
  size_t max_pending_scans = 64;  // scans remembered for a late decision: 1..10000

  const GuardLogin* FindGuard(std::string_view person) const;
  const IncidentKind* FindIncidentKind(std::string_view name) const;
  bool HasGate(std::string_view gate) const;
  // Whether `code` starts with one of checkpoint_prefixes.
  bool LooksLikeTag(std::string_view code) const;
};

inline constexpr size_t kMaxPhraseBytes = 400;
inline constexpr size_t kMaxPostOrdersBytes = 4000;

// Every problem, one sentence each, prefixed with where it is ("guards[1] 'g-2': ...").
// Empty = valid. Checks: terminal and post set; ids (post, gates, persons, roles, kinds,
// step ids) 1..64 bytes of [A-Za-z0-9._:-] and unique where they name things; languages
// like "en" or "pt-BR"; phrase situation names known and texts 1..400 bytes with no
// control character; post_orders 1..4000 bytes; stored codes well formed (a login code
// required, a duress code optional); checkpoint prefixes non-empty, without '/' first or
// spaces; the numeric limits above.
std::vector<std::string> ValidateTerminalConfig(const TerminalConfig& config);

}  // namespace picket::terminal
