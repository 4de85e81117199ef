// The JSON of the console's API (docs/console.md): the incident views and history lines
// the pages read, the errors every route answers with, and the checked reading of request
// bodies. Pure: nlohmann-json and the standard library.
//
// Every refusal is an ApiError: an HTTP status (4xx), a stable code the page translates
// ("error.<code>" in i18n) and a message for people reading the API by hand.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "console/core/gate_feed.h"
#include "console/core/incident_model.h"

namespace picket::console {

struct ApiError {
  int status = 400;
  std::string code;
  std::string message;
};

// {"error": {"code": ..., "message": ...}}
nlohmann::json ErrorJson(const ApiError& e);
// JSON text that never throws: invalid UTF-8 in a string is replaced.
std::string DumpJson(const nlohmann::json& j);

nlohmann::json IncidentJson(const IncidentView& v);
nlohmann::json HistoryJson(const HistoryLine& line);
nlohmann::json GateEventJson(const GateEvent& e);

// A request body that must be a JSON object of at most `max_bytes`. An empty body reads
// as {}. Refused: not JSON (bad_json), not an object (bad_request).
std::optional<nlohmann::json> ParseObject(std::string_view body, ApiError* error);

// A string member: present (if `required`), a string, 1..max_bytes bytes (0 allowed if not
// required), no NUL or other control character except tab and newline. Absent and not
// required: "". Refusal: bad_request naming the member.
std::optional<std::string> StringMember(const nlohmann::json& object, const std::string& name,
                                        bool required, size_t max_bytes, ApiError* error);

// An id in a path: decimal digits, 1..2^63; nullopt otherwise.
std::optional<uint64_t> ParseId(std::string_view text);

// A procedure step id: [a-z0-9_-], 1..64 characters (as escalation's config allows).
bool IsStepId(std::string_view text);

}  // namespace picket::console
