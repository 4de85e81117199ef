#include "terminal/core/phrases.h"

namespace picket::terminal {
namespace {

struct Entry {
  Situation situation;
  std::string_view name;
  std::string_view english;
};

// One row per Situation, in enum order.
constexpr Entry kEntries[kSituationCount] = {
    {Situation::kGrantedIn, "granted_in", "Good day. Your pass is valid, please go ahead."},
    {Situation::kGrantedOut, "granted_out", "Thank you for your visit. Goodbye."},
    {Situation::kDeniedUnknownGate, "denied_unknown_gate",
     "I am sorry, this gate cannot check passes right now. Please wait a moment."},
    {Situation::kDeniedUnknownPass, "denied_unknown_pass",
     "I am sorry, this pass is not known. Please go to reception to register."},
    {Situation::kDeniedRevoked, "denied_revoked",
     "I am sorry, this pass has been withdrawn. Please go to reception."},
    {Situation::kDeniedWatchlist, "denied_watchlist",
     "I am sorry, I cannot let you in. Please wait here; a supervisor will come."},
    {Situation::kDeniedNotYetValid, "denied_not_yet_valid",
     "I am sorry, your pass is not valid yet. Please come back at the time on your pass."},
    {Situation::kDeniedExpired, "denied_expired",
     "I am sorry, your pass has expired. Please go to reception to renew it."},
    {Situation::kDeniedWrongGate, "denied_wrong_gate",
     "I am sorry, your pass is for another gate. Please use the gate shown on your pass."},
    {Situation::kDeniedOutsideHours, "denied_outside_hours",
     "I am sorry, entry is not allowed at this hour with your pass."},
    {Situation::kDeniedAntiPassback, "denied_anti_passback",
     "I am sorry, this pass is already recorded as inside. Please wait a moment."},
    {Situation::kDeniedOther, "denied_other",
     "I am sorry, I cannot let you in with this pass. Please wait a moment."},
    {Situation::kChecking, "checking", "One moment please, I am checking your pass."},
    {Situation::kNetworkDown, "network_down",
     "One moment please. The system is offline; your pass has been recorded."},
    {Situation::kNoAnswer, "no_answer",
     "One moment please. The check is taking longer; your pass has been recorded."},
    {Situation::kVisitorAnnounced, "visitor_announced",
     "Welcome. Please wait here; your host is being informed."},
    {Situation::kManualEntryRecorded, "manual_entry_recorded",
     "Your entry has been recorded. Please keep to the visitor areas."},
    {Situation::kCheckpointRecorded, "checkpoint_recorded", "Checkpoint recorded."},
    {Situation::kIncidentReported, "incident_reported",
     "The incident has been reported. Follow the procedure on screen."},
};

constexpr std::string_view kDenyReasons[] = {"unknown_gate", "unknown_pass",  "revoked",
                                             "watchlist",    "not_yet_valid", "expired",
                                             "wrong_gate",   "outside_hours", "anti_passback"};

const Entry& EntryOf(Situation s) { return kEntries[static_cast<size_t>(s)]; }

}  // namespace

std::string_view SituationName(Situation s) { return EntryOf(s).name; }

std::optional<Situation> ParseSituation(std::string_view name) {
  for (const Entry& e : kEntries) {
    if (e.name == name) return e.situation;
  }
  return std::nullopt;
}

std::vector<Situation> AllSituations() {
  std::vector<Situation> all;
  for (const Entry& e : kEntries) all.push_back(e.situation);
  return all;
}

std::vector<std::string_view> KnownDenyReasons() {
  return {std::begin(kDenyReasons), std::end(kDenyReasons)};
}

Situation SituationOfDecision(bool granted, Direction direction, std::string_view deny_reason) {
  if (granted) return direction == Direction::kOut ? Situation::kGrantedOut : Situation::kGrantedIn;
  const std::string name = "denied_" + std::string(deny_reason);
  const std::optional<Situation> s = deny_reason.empty() ? std::nullopt : ParseSituation(name);
  return s ? *s : Situation::kDeniedOther;
}

std::string_view BuiltInPhrase(Situation s) { return EntryOf(s).english; }

PhraseBook::PhraseBook(PhraseTables tables, std::string language, std::string default_language)
    : tables_(std::move(tables)),
      language_(std::move(language)),
      default_language_(std::move(default_language)) {}

const std::string* PhraseBook::Find(const std::string& language, Situation s) const {
  const auto lang = tables_.find(language);
  if (lang == tables_.end()) return nullptr;
  const auto phrase = lang->second.find(std::string(SituationName(s)));
  if (phrase == lang->second.end() || phrase->second.empty()) return nullptr;
  return &phrase->second;
}

Phrase PhraseBook::Lookup(Situation s) const {
  if (const std::string* p = Find(language_, s)) return {*p, language_};
  if (const std::string* p = Find(default_language_, s)) return {*p, default_language_};
  return {std::string(BuiltInPhrase(s)), "en (built-in)"};
}

}  // namespace picket::terminal
