#include "scoring/core/scoring_test_support.h"

#include <catch2/catch.hpp>

#include "base/overloaded.h"
#include "scoring/core/scoring_keys.h"

namespace picket::scoring::testing {
namespace {

constexpr FieldKind B = FieldKind::kBool, I = FieldKind::kInt, T = FieldKind::kText;

Fields LedgerEntryFields(const Entry& e) {
  return {{"entry", int64_t(e.id)},  {"seq", int64_t(e.seq)},
          {"event", e.event},        {"rule", e.rule},
          {"label", e.label},        {"points", e.points},
          {"guard", e.guard},        {"post", e.post},
          {"squad", e.squad},        {"at", e.at},
          {"voided", e.voided},      {"voidReason", e.void_reason},
          {"voidedBy", e.voided_by}, {"voidSeq", int64_t(e.void_seq)},
          {"voidedAt", e.voided_at}, {"reversal", false}};
}

}  // namespace

EventCatalog TestCatalog() {
  const std::map<std::string, FieldKind, std::less<>> ledger_entry = {
      {"entry", I},    {"seq", I},     {"event", T},    {"rule", T},
      {"label", T},    {"points", I},  {"guard", T},    {"post", T},
      {"squad", T},    {"at", I},      {"voided", B},   {"voidReason", T},
      {"voidedBy", T}, {"voidSeq", I}, {"voidedAt", I}, {"reversal", B}};
  return {
      {"patrol.checkpoint_missed",
       {{"post", T},
        {"route", T},
        {"round", I},
        {"checkpoint", T},
        {"guard", T},
        {"deadline", I},
        {"lateness", I},
        {"roundEnded", B}}},
      {"patrol.checkpoint_accepted",
       {{"round", I},
        {"route", T},
        {"post", T},
        {"guard", T},
        {"checkpoint", T},
        {"position", I},
        {"onTime", B},
        {"leg", I}}},
      {"patrol.missed_withdrawn",
       {{"post", T},
        {"route", T},
        {"round", I},
        {"checkpoint", T},
        {"guard", T},
        {"missedDeadline", I},
        {"deadline", I},
        {"scannedAt", I},
        {"onTime", B}}},
      {"patrol.checkpoint_excused",
       {{"round", I}, {"route", T}, {"post", T}, {"checkpoint", T}, {"reason", T}, {"guard", T}}},
      {"patrol.round_completed",
       {{"post", T},
        {"route", T},
        {"round", I},
        {"guard", T},
        {"onTime", I},
        {"late", I},
        {"missed", I},
        {"excused", I},
        {"total", I},
        {"endedEarly", B},
        {"scheduled", B}}},
      {"patrol.round_not_started",
       {{"post", T},
        {"route", T},
        {"round", I},
        {"guard", T},
        {"due", I},
        {"deadline", I},
        {"lateness", I}}},
      {"patrol.round_cancelled",
       {{"round", I}, {"route", T}, {"post", T}, {"reason", T}, {"was", T}}},
      {"access.visitor_checked_out",
       {{"post", T},
        {"gate", T},
        {"person", T},
        {"passCode", T},
        {"visit", I},
        {"stayed", I},
        {"byCommand", B}}},
      {"access.unregistered_entry",
       {{"post", T}, {"gate", T}, {"person", T}, {"note", T}, {"visit", I}}},
      {"access.overstay",
       {{"post", T},
        {"person", T},
        {"passCode", T},
        {"visit", I},
        {"expiredAt", I},
        {"number", I},
        {"lateness", I}}},
      {"escalation.incident_acknowledged",
       {{"incident", I}, {"version", I}, {"level", I}, {"responseTime", I}, {"ackDeadline", I}}},
      {"scoring.finding_recorded",
       {{"inspection", I}, {"post", T}, {"guard", T}, {"category", T}, {"passed", B}, {"note", T}}},
      {"scoring.commendation_recorded",
       {{"commendation", I}, {"post", T}, {"guard", T}, {"reason", T}}},
      {"scoring.points_awarded", ledger_entry},
      {"scoring.entry_voided", ledger_entry},
      {"scoring.award_granted", {{"post", T}, {"previous", T}}},
  };
}

ScoringConfig Validated(ScoringConfig config) {
  auto errors = ValidateScoringConfig(config, TestCatalog());
  INFO((errors.empty() ? "" : errors[0]));
  REQUIRE(errors.empty());
  return config;
}

ScoringConfig TestConfig() {
  ScoringConfig c;
  c.time_zone = kBerlin;
  c.shift_starts = {6 * 60, 14 * 60, 22 * 60};
  c.squads = {{"north", {"gate-1", "gate-2"}}};
  c.posts = {"yard"};
  return Validated(std::move(c));
}

World::World(ScoringConfig c) : config(std::move(c)), scoring(config), state(Scoring::Tables()) {}

Effects World::Apply(Effects fx) {
  for (const auto& id : fx.cancel) timers.erase(id);
  for (const auto& t : fx.set) timers[t.id] = t;
  return fx;
}

Effects World::Feed(const std::string& type, Fields fields, Micros at, const std::string& actor) {
  Fact f;
  f.type = type;
  f.producer = type.substr(0, type.find('.'));
  f.actor = actor;
  f.at = at;
  f.recorded = at;
  f.fields = std::move(fields);
  return Feed(std::move(f));
}

Effects World::Feed(Fact fact) {
  if (fact.seq == 0) fact.seq = ++last_seq;
  last_seq = std::max(last_seq, fact.seq);
  return Apply(scoring.OnEvent(fact, state));
}

Effects World::FeedBack(const Effects& fx) {
  Effects out;
  for (const auto& e : fx.events) {
    Effects caused = Feed(FactOf(e, ++last_seq));
    out.events.insert(out.events.end(), caused.events.begin(), caused.events.end());
    out.cancel.insert(out.cancel.end(), caused.cancel.begin(), caused.cancel.end());
    out.set.insert(out.set.end(), caused.set.begin(), caused.set.end());
  }
  return out;
}

Effects World::Boot(Micros at) { return Apply(scoring.OnStart(state, at)); }

Effects World::Fire(const std::string& id, Micros clock) {
  auto it = timers.find(id);
  REQUIRE(it != timers.end());
  const TimerSet t = it->second;
  timers.erase(it);  // the runtime deletes the row in the same write
  return Apply(scoring.OnTimer(TimerFired{t.id, t.due, t.payload}, state, clock ? clock : t.due));
}

CommandResult World::Run(CommandBody body, std::string actor) {
  CommandResult r = scoring.OnCommand(Command{std::move(actor), std::move(body)}, state, now);
  Apply(r.effects);
  return r;
}

Totals World::TotalsOf(PeriodKind kind, Micros at, SubjectKind subject_kind,
                       const std::string& subject) {
  ExplainQuery q{subject_kind, subject, kind, at};
  CommandResult r = scoring.OnCommand(Command{"", q}, state, now);
  REQUIRE(r.reply.ok());
  return r.reply.totals;
}

Entry World::EntryById(uint64_t id) {
  CommandResult r = scoring.OnCommand(Command{"", EntryQuery{id}}, state, now);
  REQUIRE(r.reply.ok());
  REQUIRE(r.reply.entries.size() == 1);
  return r.reply.entries[0];
}

std::optional<Micros> World::TimerDue(const std::string& id) const {
  auto it = timers.find(id);
  if (it == timers.end()) return std::nullopt;
  return it->second.due;
}

Snapshot World::Rows() const {
  Snapshot s;
  for (const auto& t : Scoring::Tables()) s[t] = state.Rows(t);
  return s;
}

Fact FactOf(const OutgoingEvent& e, uint64_t seq) {
  Fact f;
  f.seq = seq;
  f.type = std::string(e.type());
  f.producer = "scoring";
  f.actor = e.actor;
  f.at = e.at;
  f.recorded = e.at;
  f.fields = std::visit(Overloaded{
                            [](const PointsAwarded& p) { return LedgerEntryFields(p.entry); },
                            [](const EntryVoided& v) {
                              Fields fields = LedgerEntryFields(v.entry);
                              fields["reversal"] = v.reversal;
                              return fields;
                            },
                            [](const FindingRecorded& r) {
                              return Fields{{"inspection", int64_t(r.inspection)},
                                            {"post", r.post},
                                            {"guard", r.guard},
                                            {"category", r.category},
                                            {"passed", r.passed},
                                            {"note", r.note}};
                            },
                            [](const CommendationRecorded& c) {
                              return CommendationFields(int64_t(c.commendation), c.post, c.guard,
                                                        c.reason);
                            },
                            [](const AwardGranted& a) {
                              return Fields{{"post", a.post}, {"previous", a.previous}};
                            },
                        },
                        e.body);
  return f;
}

Fields CheckpointMissed(const std::string& post, int64_t round, const std::string& checkpoint,
                        const std::string& guard) {
  return {{"post", post},   {"route", "north"}, {"round", round}, {"checkpoint", checkpoint},
          {"guard", guard}, {"deadline", 0},    {"lateness", 0},  {"roundEnded", false}};
}

Fields CheckpointAccepted(const std::string& post, int64_t round, const std::string& checkpoint,
                          const std::string& guard, bool on_time) {
  return {{"round", round},           {"route", "north"}, {"post", post},      {"guard", guard},
          {"checkpoint", checkpoint}, {"position", 1},    {"onTime", on_time}, {"leg", 0}};
}

Fields MissedWithdrawn(const std::string& post, int64_t round, const std::string& checkpoint,
                       const std::string& guard, bool on_time) {
  return {{"post", post},     {"route", "north"},    {"round", round}, {"checkpoint", checkpoint},
          {"guard", guard},   {"missedDeadline", 0}, {"deadline", 0},  {"scannedAt", 0},
          {"onTime", on_time}};
}

Fields CheckpointExcused(const std::string& post, int64_t round, const std::string& checkpoint,
                         const std::string& guard) {
  return {{"round", round},           {"route", "north"},  {"post", post},
          {"checkpoint", checkpoint}, {"reason", "storm"}, {"guard", guard}};
}

Fields RoundCompleted(const std::string& post, int64_t round, const std::string& guard,
                      int64_t missed, bool ended_early) {
  return {{"post", post},     {"route", "north"},
          {"round", round},   {"guard", guard},
          {"onTime", 3},      {"late", 0},
          {"missed", missed}, {"excused", 0},
          {"total", 0},       {"endedEarly", ended_early},
          {"scheduled", true}};
}

Fields RoundNotStarted(const std::string& post, int64_t round, const std::string& guard) {
  return {{"post", post}, {"route", "north"}, {"round", round}, {"guard", guard},
          {"due", 0},     {"deadline", 0},    {"lateness", 0}};
}

Fields RoundCancelled(const std::string& post, int64_t round) {
  return {{"round", round},
          {"route", "north"},
          {"post", post},
          {"reason", "storm"},
          {"was", "not_started"}};
}

Fields VisitorCheckedOut(const std::string& post, int64_t visit) {
  return {{"post", post},   {"gate", "g1"}, {"person", "v-1"},   {"passCode", "P1"},
          {"visit", visit}, {"stayed", 0},  {"byCommand", false}};
}

Fields UnregisteredEntry(const std::string& post, int64_t visit) {
  return {{"post", post}, {"gate", "g1"}, {"person", "v-2"}, {"note", "no pass"}, {"visit", visit}};
}

Fields Overstay(const std::string& post, int64_t visit, int64_t number) {
  return {{"post", post},   {"person", "v-3"},  {"passCode", "P3"}, {"visit", visit},
          {"expiredAt", 0}, {"number", number}, {"lateness", 0}};
}

Fields IncidentAcknowledged(int64_t incident, Micros response_time) {
  return {{"incident", incident},
          {"version", 2},
          {"level", 1},
          {"responseTime", response_time},
          {"ackDeadline", 0}};
}

Fields CommendationFields(int64_t id, const std::string& post, const std::string& guard,
                          const std::string& reason) {
  return {{"commendation", id}, {"post", post}, {"guard", guard}, {"reason", reason}};
}

std::vector<std::string> Types(const Effects& fx) {
  std::vector<std::string> out;
  for (const auto& e : fx.events) out.emplace_back(e.type());
  return out;
}

std::vector<Entry> Awarded(const Effects& fx) {
  std::vector<Entry> out;
  for (const auto& p : Bodies<PointsAwarded>(fx)) out.push_back(p.entry);
  return out;
}

}  // namespace picket::scoring::testing
