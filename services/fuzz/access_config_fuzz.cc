// access_config: the text of a site.toml as picket-access reads its [access] section
// (access/access_config_toml.h, ParseAccessConfig: toml++, the runtime's ConfigReader,
// then the core's ValidateAccessConfig). Invariants: an accepted config passes
// ValidateAccessConfig again unchanged (gate ids unique, default gates are gates, the
// time zone parses); its command endpoint is tcp:// or ipc://, its reply wait not negative;
// each gate's hours and each kind's default hours print and parse back to themselves; a
// refusal says why.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include "access/access_config_toml.h"
#include "fuzz/fuzz_support.h"

namespace {

bool HoursRoundTrip(const std::optional<picket::DailyHours>& h) {
  if (!h) return true;
  std::string why;
  auto again = picket::DailyHours::Parse(h->Format(), &why);
  return again.has_value() && *again == *h;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace picket;
  std::string error;
  auto text = fuzz::Bytes(data, size);
  auto config = access::ParseAccessConfig(text, "/nonexistent/fuzz/site.toml", &error);
  if (!config) {
    fuzz::Require(!error.empty(), "a refused config has a message");
    return 0;
  }
  access::AccessConfig again = config->access;
  fuzz::Require(access::ValidateAccessConfig(&again).empty(), "an accepted config validates");
  fuzz::Require(config->commands.starts_with("tcp://") || config->commands.starts_with("ipc://"),
                "the command endpoint is tcp:// or ipc://");
  fuzz::Require(config->reply_wait >= 0, "the reply wait is not negative");
  std::set<std::string> ids;
  for (const auto& gate : config->access.gates) {
    fuzz::Require(!gate.id.empty() && ids.insert(gate.id).second, "gate ids unique, non-empty");
    fuzz::Require(HoursRoundTrip(gate.hours), "a gate's hours round-trip");
  }
  for (const auto& [kind, rules] : config->access.kinds) {
    for (const auto& g : rules.default_gates)
      fuzz::Require(ids.count(g) == 1, "a default gate is a gate");
    fuzz::Require(HoursRoundTrip(rules.default_hours), "a kind's default hours round-trip");
    fuzz::Require(rules.max_validity > 0, "max_validity positive");
  }
  return 0;
}
