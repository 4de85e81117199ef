#include "console/core/api_json.h"

#include <charconv>

namespace picket::console {

nlohmann::json ErrorJson(const ApiError& e) {
  return {{"error", {{"code", e.code}, {"message", e.message}}}};
}

std::string DumpJson(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

nlohmann::json IncidentJson(const IncidentView& v) {
  return {{"id", v.id},
          {"version", v.version},
          {"type", v.incident_type},
          {"severity", v.severity},
          {"state", v.state},
          {"post", v.post},
          {"group_key", v.group_key},
          {"reported_by", v.reported_by},
          {"count", v.count},
          {"opened_at", v.opened_at},
          {"changed_at", v.changed_at},
          {"changed_seq", v.changed_seq},
          {"level", v.level},
          {"on_fallback", v.on_fallback},
          {"acknowledged_by", v.acknowledged_by},
          {"acknowledged_at", v.acknowledged_at},
          {"assignee", v.assignee},
          {"silenced_until", v.silenced_until},
          {"note", v.note},
          {"alerted", v.alerted},
          {"steps_done", v.steps_done},
          {"resolved_at", v.resolved_at},
          {"resolved_by", v.resolved_by},
          {"override_reason", v.override_reason}};
}

nlohmann::json HistoryJson(const HistoryLine& line) {
  return {{"seq", line.seq},
          {"at", line.at},
          {"type", line.type},
          {"actor", line.actor},
          {"params", line.params}};
}

nlohmann::json GateEventJson(const GateEvent& e) {
  return {{"seq", e.seq},       {"at", e.at},
          {"type", e.type},     {"actor", e.actor},
          {"post", e.post},     {"gate", e.gate},
          {"person", e.person}, {"pass_code", e.pass_code},
          {"reason", e.reason}, {"direction", e.direction}};
}

std::optional<nlohmann::json> ParseObject(std::string_view body, ApiError* error) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return nlohmann::json::object();
  nlohmann::json j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    *error = {400, "bad_json", "the body is not valid JSON (UTF-8)"};
    return std::nullopt;
  }
  if (!j.is_object()) {
    *error = {400, "bad_request", "the body must be a JSON object"};
    return std::nullopt;
  }
  return j;
}

std::optional<std::string> StringMember(const nlohmann::json& object, const std::string& name,
                                        bool required, size_t max_bytes, ApiError* error) {
  auto it = object.find(name);
  if (it == object.end() || it->is_null()) {
    if (!required) return std::string();
    *error = {400, "bad_request", "'" + name + "' is required"};
    return std::nullopt;
  }
  if (!it->is_string()) {
    *error = {400, "bad_request", "'" + name + "' must be a string"};
    return std::nullopt;
  }
  std::string value = it->get<std::string>();
  if (required && value.empty()) {
    *error = {400, "bad_request", "'" + name + "' must not be empty"};
    return std::nullopt;
  }
  if (value.size() > max_bytes) {
    *error = {400, "bad_request",
              "'" + name + "' is longer than " + std::to_string(max_bytes) + " bytes"};
    return std::nullopt;
  }
  for (unsigned char c : value)
    if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f) {
      *error = {400, "bad_request", "'" + name + "' holds a control character"};
      return std::nullopt;
    }
  return value;
}

std::optional<uint64_t> ParseId(std::string_view text) {
  if (text.empty() || text.size() > 19 || text.find_first_not_of("0123456789") != text.npos)
    return std::nullopt;
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v == 0 || v > (1ULL << 63))
    return std::nullopt;
  return v;
}

bool IsStepId(std::string_view text) {
  if (text.empty() || text.size() > 64) return false;
  for (char c : text)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
  return true;
}

}  // namespace picket::console
