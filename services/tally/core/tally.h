// The tally: the example service of docs/writing-a-service.md, and the fixture of the
// multi-process tests. It counts the site's events: per producer, in all, and the sum of
// their sequence numbers; every `milestone_every`-th event it derives a `tally.milestone`
// event. So after any number of crashes, once it has caught up with a log of N events,
// its state must equal what the log says: events == N, seq_sum == 1 + ... + N.
//
// Pure: standard library and picket_base only.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/txn.h"

namespace picket::tally {

// The type of the derived events (unregistered: no body). DO NOT CHANGE: on the bus.
inline constexpr std::string_view kMilestoneType = "tally.milestone";

// Tables, and the stored format: producers: producer -> u64 BE count;
// totals: "events" | "seq_sum" | "milestones" -> u64 BE. DO NOT CHANGE: on disk.
inline constexpr std::string_view kProducers = "producers";
inline constexpr std::string_view kTotals = "totals";
std::vector<std::string> Tables();

struct TallyConfig {
  uint64_t milestone_every = 10;  // [tally] milestone_every, 1..1000000
};

// What one event did: a milestone to publish (observed at the cause's recordedAt, so a
// re-derived milestone is the same event), or none.
struct Counted {
  std::optional<Micros> milestone_at;
};

// Counts one recorded event.
Counted CountEvent(const TallyConfig& config, Txn& state, std::string_view producer, uint64_t seq,
                   Micros recorded_at);

struct TallyTotals {
  uint64_t events = 0, seq_sum = 0, milestones = 0;
  std::map<std::string, uint64_t> producers;
};
TallyTotals ReadTotals(Txn& state);

}  // namespace picket::tally
