#include "escalation/core/trigger_catalog.h"

#include <algorithm>

namespace picket::escalation {

const std::vector<TriggerType>& TriggerTypes() {
  // A constant table (built once, never modified): not mutable global state.
  static const std::vector<TriggerType> kTypes = {
      {"terminal.incident_reported", "post kind note", "a guard reports an incident at a post"},
      {"terminal.panic_pressed", "post", "the panic button of a post terminal"},
      {"access.denied", "post reason person pass_code",
       "entry refused (reason: watchlist, expired, revoked, wrong_gate, outside_hours, ...)"},
      {"access.watchlist_hit", "post person reason", "a watchlisted person presented at a gate"},
      {"access.unregistered_entry", "post person note", "someone entered without a pass"},
      {"access.overstay", "post person pass_code", "a visitor still on site after expiry + grace"},
      {"patrol.checkpoint_missed", "post route round checkpoint", "a round skipped a checkpoint"},
      {"patrol.round_not_started", "post route round", "a scheduled round did not start"},
      {"patrol.round_late", "post route round", "a round finished after its deadline"},
  };
  return kTypes;
}

const TriggerType* FindTriggerType(std::string_view type) {
  for (const auto& t : TriggerTypes())
    if (t.type == type) return &t;
  return nullptr;
}

std::vector<std::string> TriggerFields(const TriggerType& t) {
  std::vector<std::string> out;
  std::string_view rest = t.body_fields;
  while (!rest.empty()) {
    size_t space = rest.find(' ');
    out.emplace_back(rest.substr(0, space));
    rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
  }
  out.emplace_back("actor");
  out.emplace_back("producer");
  return out;
}

bool TriggerHasField(const TriggerType& t, std::string_view field) {
  auto fields = TriggerFields(t);
  return std::find(fields.begin(), fields.end(), field) != fields.end();
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace picket::escalation
