// The part of an [escalation] section the process tests share: the incident type
// `intrusion` (high, grouped by post, policy `standard`) and the rule that opens it from a
// terminal.incident_reported of kind "intrusion". Each test writes its own policy (and
// steps, roster) around it.
#pragma once

namespace picket {

inline constexpr const char* kIntrusionTypeAndRule = R"(
[escalation.incident_types.intrusion]
severity = "high"
key = "{post}"
policy = "standard"

[[escalation.rules]]
event = "terminal.incident_reported"
match = { kind = "intrusion" }
incident = "intrusion"
)";

}  // namespace picket
