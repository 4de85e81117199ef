// Test support for the patrol core's unit tests: a validated site configuration, a
// MemoryTxn world whose timers behave like the runtime's (keyed, cancelled before set,
// fired in due order), and helpers to pick event bodies out of Effects. Tests only.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "patrol/core/patrol.h"
#include "testing/memory_txn.h"
#include "testing/utc.h"

namespace picket::patrol::testing {

inline constexpr Micros kHour = 60 * kMinute;
inline constexpr Micros kDay = 24 * kHour;
inline constexpr Micros kSecond = kMicrosPerSecond;

using ::picket::testing::Utc;

// The test site, validated (REQUIREd): zone Europe/Berlin (CET/CEST); checkpoints c1..c6
// and x9 (on no route);
//   route north: post gate-1, ordered c1 c2 c3, legs 2..10 min, grace 5, early 15
//   route yard:  post yard, any order c4 c5 c6, legs 1..10 min, grace 5, early 15
//   route fence: post yard, random c1..c5, legs 0..10 min, grace 5, early 15
//   schedule night: route north, every 2 h from 22:00 to 06:00, every day
//   schedule noon:  route yard, 12:00 on weekdays (Mon..Fri), guard g-7
// skew_limit 2 min, skew_window 10 min.
PatrolConfig SiteConfig();

using Snapshot = std::map<std::string, MemoryTxn::Table>;

// A site with its state and a timer table like the runtime's. Every handler called through
// World has its Effects applied to `timers` (cancel, then set) and returned.
struct World {
  explicit World(PatrolConfig c = SiteConfig());

  PatrolConfig config;
  Patrol patrol;
  MemoryTxn state;
  std::map<std::string, TimerSet> timers;
  Micros now = Utc(2026, 6, 10, 12, 0);  // a Wednesday, 14:00 CEST

  Effects Apply(Effects fx);
  Effects Start(const std::string& post, const std::string& route, Micros at,
                const std::string& guard = "g-1", uint64_t entropy = 0, Micros recorded = 0);
  // `recorded` 0: the bus got it when it was observed.
  Effects Scan(const std::string& post, const std::string& tag, Micros at,
               const std::string& guard = "g-1", Micros recorded = 0,
               const std::string& terminal = "t-1");
  Effects End(const std::string& post, Micros at, const std::string& guard = "g-1");
  Effects Boot(Micros at);  // OnStart
  // Fires the timer `id` (REQUIREd to be set) with the clock at `clock` (default: its due).
  Effects Fire(const std::string& id, Micros clock = 0);
  // Fires every timer due at or before `until`, earliest first (ties: by id), including
  // those the firing sets, with the clock at `clock` (default: each timer's own due, as if
  // the service had been running). Returns every event, in order.
  std::vector<OutgoingEvent> RunTimers(Micros until, Micros clock = 0);
  CommandResult Run(CommandBody body, std::string actor = "sup-1");

  Round RoundById(uint64_t id);
  std::optional<Micros> TimerDue(const std::string& id) const;
  Snapshot Rows() const;
};

template <class T>
std::vector<T> Bodies(const Effects& fx) {
  std::vector<T> out;
  for (const auto& e : fx.events)
    if (auto* b = std::get_if<T>(&e.body)) out.push_back(*b);
  return out;
}
template <class T>
std::vector<T> Bodies(const std::vector<OutgoingEvent>& events) {
  std::vector<T> out;
  for (const auto& e : events)
    if (auto* b = std::get_if<T>(&e.body)) out.push_back(*b);
  return out;
}

std::vector<std::string> Types(const Effects& fx);
std::vector<std::string> Types(const std::vector<OutgoingEvent>& events);

std::string StartTimer(uint64_t round);
std::string LegTimer(uint64_t round);
std::string EndTimer(uint64_t round);

}  // namespace picket::patrol::testing
