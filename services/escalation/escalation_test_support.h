// Test support for the escalation core: a site config, and a harness that plays the
// adapter (keeps the timer rows, fires them in due order, collects the events) around an
// Escalation over a MemoryTxn with a hand-moved time.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "escalation/core/escalation.h"
#include "testing/memory_txn.h"

namespace picket::escalation::testing {

inline constexpr Micros kT0 = 1'700'000'000'000'000;  // a fixed start time
inline constexpr Micros Sec(int64_t s) { return s * kMicrosPerSecond; }

// The [escalation] section most tests use (docs/escalation.md explains each part).
extern const char kStandardConfig[];

// Parses `toml` and REQUIREs that it is valid.
EscalationConfig LoadConfig(std::string_view toml);

class Harness {
 public:
  explicit Harness(std::string_view toml = kStandardConfig);

  // A recorded event at `now` (seq increments).
  Effects Event(const std::string& type, std::map<std::string, std::string> fields,
                const std::string& actor = "");
  Effects Report(const std::string& post, const std::string& kind = "intrusion");
  Effects Shift(const std::string& person, const std::string& post, const std::string& role);
  Effects EndShift(const std::string& person);
  Effects Run(const std::string& actor, CommandBody body);
  // The north squad on shift: lea (squad_leader), otto (duty_officer), mia (manager), at hq.
  void StaffNorth();

  // Moves time to `t`, firing each timer row at its own due time on the way.
  void AdvanceTo(Micros t);
  void Advance(Micros d) { AdvanceTo(now + d); }
  // Moves time to `t` without firing anything, then fires every due row at `t` (late).
  std::vector<Effects> FireLate(Micros t);

  // Applies effects as the adapter would: cancels, then sets, then the events to log.
  void Apply(const Effects& fx);

  // The people alerted by `fx` (in order), and the types of its events.
  static std::vector<std::string> Alerted(const Effects& fx);
  static std::vector<std::string> Types(const Effects& fx);
  // Every person alerted since the log was last cleared.
  std::vector<std::string> AlertedSinceClear() const;

  MemoryTxn txn;
  EscalationConfig config;
  Escalation core;
  Micros now = kT0;
  uint64_t next_seq = 1;
  std::map<std::pair<Micros, uint64_t>, Timer> timers;  // (due, incident) -> row
  std::vector<OutgoingEvent> log;                       // every event emitted
  std::vector<Effects> fired;                           // effects of fired timers
};

}  // namespace picket::escalation::testing
