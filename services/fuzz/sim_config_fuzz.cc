// sim_config: a site.toml as `picket-sim --drive` reads it (sim/sim_config_toml.h,
// ReadSimConfig: [sim], the posts of [terminal.posts], the kinds of
// [terminal.incident_kinds], the routes of [[patrol.routes]], then ValidateSimModel).
// Invariants: an accepted config passes ValidateSimModel again; the simulation it makes
// runs for an hour of site time (with a scheduled round and an alert) and gives its
// actions in time order, each line and command non-empty; a refusal says why.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_support.h"
#include "runtime/config.h"
#include "sim/sim_config_toml.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace picket;
  using namespace picket::sim;
  std::string error;
  auto root = ParseToml(fuzz::Bytes(data, size), "site.toml", &error);
  if (!root) return 0;
  auto config = ReadSimConfig(*root, "site.toml", &error);
  if (!config) {
    fuzz::Require(!error.empty(), "a refused config has a message");
    return 0;
  }
  fuzz::Require(ValidateSimModel(config->model).empty(), "an accepted config validates");
  constexpr Micros kStart = 1'781'121'000'000'000;  // 2026-06-10 19:50 UTC
  SiteSim sim(config->model, config->seed, kStart);
  if (!config->model.routes.empty())
    sim.OnRoundScheduled(1, config->model.routes.begin()->first, kStart + kMicrosPerSecond);
  sim.OnAlertRaised(1, 1, 0, kStart);
  Micros last = 0;
  for (Micros t = kStart; t <= kStart + 3600 * kMicrosPerSecond; t += 60 * kMicrosPerSecond) {
    for (const SimAction& a : sim.Due(t)) {
      fuzz::Require(a.at >= last && a.at <= t, "actions come in time order, when due");
      last = a.at;
      fuzz::Require(a.kind == SimAction::Kind::kType ? !a.line.empty() && !a.post.empty()
                                                     : !a.command.empty(),
                    "an action has something to type or run");
    }
  }
  return 0;
}
