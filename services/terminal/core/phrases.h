// The phrase book: the site's standard phrase for each situation at the gate, in the
// site's language, so every decision the guard sees comes with what to say.
//
// Lookup order (documented in docs/terminal.md): the configured language, then the
// default language, then the built-in English phrase. Every Situation has a built-in
// phrase, so Lookup never returns an empty text.
//
// Situation names are what the config uses ([terminal.phrases.<lang>] <name> = "...").
// DO NOT CHANGE a name: sites' configs hold them.
//
// PhraseBook is a value type holding a copy of the tables; const methods are thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "terminal/core/line_protocol.h"

namespace picket::terminal {

enum class Situation : uint8_t {
  kGrantedIn,            // "granted_in": welcome, go ahead
  kGrantedOut,           // "granted_out": goodbye
  kDeniedUnknownGate,    // "denied_unknown_gate" (access.denied reasons, schemas/access.capnp)
  kDeniedUnknownPass,    // "denied_unknown_pass"
  kDeniedRevoked,        // "denied_revoked"
  kDeniedWatchlist,      // "denied_watchlist"
  kDeniedNotYetValid,    // "denied_not_yet_valid"
  kDeniedExpired,        // "denied_expired"
  kDeniedWrongGate,      // "denied_wrong_gate" (directions to the right gate)
  kDeniedOutsideHours,   // "denied_outside_hours"
  kDeniedAntiPassback,   // "denied_anti_passback"
  kDeniedOther,          // "denied_other": a reason this terminal does not know yet
  kChecking,             // "checking": waiting for the decision
  kNetworkDown,          // "network_down": no decision can be had; the scan is kept
  kNoAnswer,             // "no_answer": the network is up but no decision came in time
  kVisitorAnnounced,     // "visitor_announced": please wait, your host is being called
  kManualEntryRecorded,  // "manual_entry_recorded"
  kCheckpointRecorded,   // "checkpoint_recorded"
  kIncidentReported,     // "incident_reported"
};
inline constexpr size_t kSituationCount = 19;

std::string_view SituationName(Situation s);
std::optional<Situation> ParseSituation(std::string_view name);
std::vector<Situation> AllSituations();

// The access.denied reason names picket-access sends (schemas/access.capnp), in its order.
std::vector<std::string_view> KnownDenyReasons();

// The situation of a decision: granted (by direction) or denied (by reason; an unknown
// reason is kDeniedOther, so a newer picket-access never leaves the guard without words).
Situation SituationOfDecision(bool granted, Direction direction, std::string_view deny_reason);

// The built-in English phrase of `s` (never empty).
std::string_view BuiltInPhrase(Situation s);

// language -> situation name -> phrase, as configured.
using PhraseTables = std::map<std::string, std::map<std::string, std::string>>;

struct Phrase {
  std::string text;
  std::string language;  // where it came from: a configured language, or "en (built-in)"
};

class PhraseBook {
 public:
  PhraseBook(PhraseTables tables, std::string language, std::string default_language);

  // The phrase for `s` by the lookup order above.
  Phrase Lookup(Situation s) const;

 private:
  const std::string* Find(const std::string& language, Situation s) const;

  PhraseTables tables_;
  std::string language_;
  std::string default_language_;
};

}  // namespace picket::terminal
