// Test support for the scoring core's unit tests: a hand-written EventCatalog with the
// real schema names and kinds of the events the default rules score, a validated site
// configuration, and a MemoryTxn world whose timers behave like the runtime's (keyed,
// cancelled before set) and whose facts carry increasing bus seqs. Tests only.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "scoring/core/scoring.h"
#include "testing/memory_txn.h"
#include "testing/utc.h"

namespace picket::scoring::testing {

inline constexpr Micros kSecond = kMicrosPerSecond;
inline constexpr Micros kMinute = 60 * kSecond;
inline constexpr Micros kHour = 60 * kMinute;
inline constexpr Micros kDay = 24 * kHour;

using ::picket::testing::Utc;

inline constexpr char kBerlin[] = "CET-1CEST,M3.5.0,M10.5.0/3";

// The fields of the event types the default rules name (schemas/patrol.capnp,
// access.capnp, escalation.capnp, scoring.capnp): UInt64/Int64/UInt32 -> kInt,
// Text/enum -> kText, Bool -> kBool.
EventCatalog TestCatalog();

// The test site, validated (REQUIREd): zone Europe/Berlin, shifts 06:00 14:00 22:00,
// squad north = gate-1 gate-2, post yard in no squad; default rules, categories and award
// (week, 5 min delay).
ScoringConfig TestConfig();
// `config` validated against TestCatalog (REQUIREd to pass).
ScoringConfig Validated(ScoringConfig config);

using Fields = std::map<std::string, FieldValue, std::less<>>;
using Snapshot = std::map<std::string, MemoryTxn::Table>;

// A site with its state and a timer table like the runtime's. Every handler called through
// World has its Effects applied to `timers` (cancel, then set) and returned.
struct World {
  explicit World(ScoringConfig c = TestConfig());

  ScoringConfig config;
  Scoring scoring;
  MemoryTxn state;
  std::map<std::string, TimerSet> timers;
  Micros now = Utc(2026, 6, 10, 12, 0);  // a Wednesday, 14:00 CEST
  uint64_t last_seq = 0;

  Effects Apply(Effects fx);
  // A fact of `type` observed at `at` with the next seq.
  Effects Feed(const std::string& type, Fields fields, Micros at, const std::string& actor = "");
  Effects Feed(Fact fact);  // seq 0: the next one
  // Each event of `fx` back from the bus as a fact (seq after the others), in order, as
  // the adapter hands them over. Returns what they caused, in order.
  Effects FeedBack(const Effects& fx);
  Effects Boot(Micros at);  // OnStart
  // Fires the timer `id` (REQUIREd to be set) with the clock at `clock` (default: its due).
  Effects Fire(const std::string& id, Micros clock = 0);
  CommandResult Run(CommandBody body, std::string actor = "sup-1");

  Totals TotalsOf(PeriodKind kind, Micros at, SubjectKind subject_kind, const std::string& subject);
  Entry EntryById(uint64_t id);  // REQUIREd to exist
  std::optional<Micros> TimerDue(const std::string& id) const;
  Snapshot Rows() const;
};

// A fact as the adapter makes it of an emitted event (wire_convert.h): the body's scalar
// fields by their schema names.
Fact FactOf(const OutgoingEvent& e, uint64_t seq);

// Bodies of the events the default rules score, with the real field names.
Fields CheckpointMissed(const std::string& post, int64_t round, const std::string& checkpoint,
                        const std::string& guard = "g-1");
Fields CheckpointAccepted(const std::string& post, int64_t round, const std::string& checkpoint,
                          const std::string& guard = "g-1", bool on_time = true);
Fields MissedWithdrawn(const std::string& post, int64_t round, const std::string& checkpoint,
                       const std::string& guard = "g-1", bool on_time = true);
Fields CheckpointExcused(const std::string& post, int64_t round, const std::string& checkpoint,
                         const std::string& guard = "g-1");
Fields RoundCompleted(const std::string& post, int64_t round, const std::string& guard = "g-1",
                      int64_t missed = 0, bool ended_early = false);
Fields RoundNotStarted(const std::string& post, int64_t round, const std::string& guard = "");
Fields RoundCancelled(const std::string& post, int64_t round);
Fields VisitorCheckedOut(const std::string& post, int64_t visit);
Fields UnregisteredEntry(const std::string& post, int64_t visit);
Fields Overstay(const std::string& post, int64_t visit, int64_t number);
Fields IncidentAcknowledged(int64_t incident, Micros response_time);
Fields CommendationFields(int64_t id, const std::string& post, const std::string& guard,
                          const std::string& reason = "well done");

template <class T>
std::vector<T> Bodies(const Effects& fx) {
  std::vector<T> out;
  for (const auto& e : fx.events)
    if (auto* b = std::get_if<T>(&e.body)) out.push_back(*b);
  return out;
}

std::vector<std::string> Types(const Effects& fx);
// The entries of the points_awarded events of `fx`.
std::vector<Entry> Awarded(const Effects& fx);

}  // namespace picket::scoring::testing
