#include "runtime/config_sections.h"

#include <algorithm>
#include <cstdlib>
#include <utility>

namespace picket {
namespace {

// (line, column) of an error line of `source`; (0, 0) for one without a position.
std::pair<long, long> PositionOf(const std::string& line, const std::string& source) {
  if (line.compare(0, source.size(), source) != 0) return {0, 0};
  const char* p = line.c_str() + source.size();
  char* end = nullptr;
  long l = 0, c = 0;
  if (*p == ':') {
    l = std::strtol(p + 1, &end, 10);
    if (*end == ':') c = std::strtol(end + 1, nullptr, 10);
  }
  return {l, c};
}

}  // namespace

void RejectUnknown(ConfigReader& r, std::initializer_list<std::string_view> known) {
  for (const auto& key : r.Keys())
    if (std::find(known.begin(), known.end(), key) == known.end()) r.Fail(key, "unknown key");
}

void ForEachTable(ConfigReader& parent, const toml::table& t, const std::string& key,
                  const std::string& path, const std::string& source,
                  std::vector<std::string>* errors,
                  const std::function<void(ConfigReader&, const toml::table&, size_t)>& fn) {
  const toml::node* n = t.get(key);
  if (!n) return;
  const toml::array* arr = n->as_array();
  if (arr && arr->empty()) return;
  if (!arr || !arr->is_array_of_tables()) {
    parent.Fail(key, "must be an array of tables ([[" + path + "]])");
    return;
  }
  for (size_t i = 0; i < arr->size(); ++i) {
    const toml::table& element = *arr->get(i)->as_table();
    ConfigReader r(element, source, path + "[" + std::to_string(i + 1) + "]");
    fn(r, element, i);
    errors->insert(errors->end(), r.Errors().begin(), r.Errors().end());
  }
}

void ReadServiceEndpoints(ConfigReader& section, std::string* commands, std::string* http) {
  *commands = section.String("commands", *commands);
  if (commands->rfind("tcp://", 0) != 0 && commands->rfind("ipc://", 0) != 0)
    section.Fail("commands", "must be a tcp:// or ipc:// endpoint, got '" + *commands + "'");
  *http = section.String("http", *http);
  if (!http->empty() && http->find(':') == std::string::npos)
    section.Fail("http", "must be host:port or empty, got '" + *http + "'");
}

bool NoErrorsInFileOrder(std::vector<std::string> errors, const std::string& source,
                         std::string* error) {
  if (errors.empty()) return true;
  std::stable_sort(errors.begin(), errors.end(), [&](const auto& a, const auto& b) {
    return PositionOf(a, source) < PositionOf(b, source);
  });
  error->clear();
  for (const auto& e : errors) *error += (error->empty() ? "" : "\n") + e;
  return false;
}

std::string ErrorAt(const std::string& source, const toml::node* node, const toml::node* fallback,
                    const std::string& path, const std::string& message) {
  if (!node || node->source().begin.line == 0) node = fallback;
  std::string out = source;
  if (node && node->source().begin.line > 0)
    out += ":" + std::to_string(node->source().begin.line) + ":" +
           std::to_string(node->source().begin.column);
  return out + ": " + path + ": " + message;
}

}  // namespace picket
