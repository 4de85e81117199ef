// Internal to the scoring core: the event types it knows by name, and what the rules do
// with a Fact's fields (a field looked up, a label filled in, a subject named, the values
// of `once` and `match`). Implemented in conditions.cc.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scoring/core/scoring_config.h"
#include "scoring/core/scoring_types.h"

namespace picket::scoring {

// DO NOT CHANGE: on the bus. The same names as wire/event_names.h, spelled here because a
// core includes nothing outside base/, domain/ and its own directory.
inline constexpr std::string_view kPointsAwardedType = "scoring.points_awarded";
inline constexpr std::string_view kEntryVoidedType = "scoring.entry_voided";
inline constexpr std::string_view kFindingRecordedType = "scoring.finding_recorded";
inline constexpr std::string_view kCommendationRecordedType = "scoring.commendation_recorded";
inline constexpr std::string_view kAwardGrantedType = "scoring.award_granted";

// A rule's guard naming the envelope's actor.
inline constexpr std::string_view kActorSubject = "@actor";

// The field `name` of the fact, or null.
const FieldValue* FieldOf(const Fact& fact, std::string_view name);
// As a person reads it: true/false, a decimal integer, the text itself.
std::string FormatValue(const FieldValue& v);
std::string_view OpName(Op op);
// "field op value", the value as the grammar writes it (text quoted).
std::string FormatCondition(const Condition& c);

// The {field} names of a label, in order. Nullopt and *error if a '{' is not closed or
// encloses nothing.
std::optional<std::vector<std::string>> LabelFields(std::string_view label, std::string* error);
// The label with each {field} replaced by the fact's value of it ("" if it has none).
std::string FillLabel(std::string_view label, const Fact& fact);

// The fact's values of `fields`, in order; nullopt if it lacks one.
std::optional<std::vector<FieldValue>> ValuesOf(const Fact& fact,
                                                const std::vector<std::string>& fields);
// Who a rule's guard or post ("", "@actor" or a Text field) names in the fact; "" if the
// field is missing or not text.
std::string SubjectOf(std::string_view spec, const Fact& fact);

}  // namespace picket::scoring
