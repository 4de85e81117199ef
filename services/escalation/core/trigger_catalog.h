// The bus event types that escalation rules may name, and the fields each one carries.
//
// This is the contract between the configuration (rules match on these fields, key
// templates name them) and the adapter, which turns each recorded event of these types
// into a RecordedEvent whose `fields` hold exactly these names (the body's fields, in
// snake_case), plus `actor` and `producer` from the envelope for every type. A rule or
// template naming anything else is refused when the config is read.
//
// Adding a type or a field here is compatible; removing or renaming one breaks configs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace picket::escalation {

struct TriggerType {
  std::string_view type;         // the bus event type
  std::string_view body_fields;  // space-separated field names from the body
  std::string_view meaning;      // one line, for docs and error messages
};

// Every known trigger type, in a fixed order.
const std::vector<TriggerType>& TriggerTypes();
// The entry for `type`, or nullptr.
const TriggerType* FindTriggerType(std::string_view type);
// The field names of `t`: its body fields, then "actor" and "producer".
std::vector<std::string> TriggerFields(const TriggerType& t);
bool TriggerHasField(const TriggerType& t, std::string_view field);
// "a, b, c": for error messages.
std::string JoinNames(const std::vector<std::string>& names);

}  // namespace picket::escalation
