#include "console/core/i18n.h"

#include <cstring>
#include <set>

namespace picket::console {
namespace {

std::set<std::string> Placeholders(std::string_view text) {
  std::set<std::string> out;
  size_t i = 0;
  while ((i = text.find('{', i)) != std::string_view::npos) {
    size_t end = text.find('}', i);
    if (end == std::string_view::npos) break;
    out.insert(std::string(text.substr(i + 1, end - i - 1)));
    i = end + 1;
  }
  return out;
}

bool KeyIsWellFormed(std::string_view key) {
  if (key.empty() || key.front() == '.' || key.back() == '.') return false;
  for (char c : key)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
          c == '.' || c == '-'))
      return false;
  return true;
}

}  // namespace

std::optional<Lang> ParseLang(std::string_view tag) {
  if (tag == "en" || tag == "en-US" || tag == "en-GB") return Lang::kEnglish;
  if (tag == "zh-CN" || tag == "zh" || tag == "zh-cn" || tag == "zh-Hans") return Lang::kChinese;
  return std::nullopt;
}

std::string_view LangTag(Lang lang) { return lang == Lang::kChinese ? "zh-CN" : "en"; }

std::string_view Text(Lang lang, std::string_view key) {
  for (const MessageRow& row : MessageTable())
    if (key == row.key) return lang == Lang::kChinese ? row.zh : row.en;
  return key;
}

std::vector<std::pair<std::string_view, std::string_view>> Messages(Lang lang) {
  std::vector<std::pair<std::string_view, std::string_view>> out;
  for (const MessageRow& row : MessageTable())
    out.emplace_back(row.key, lang == Lang::kChinese ? row.zh : row.en);
  return out;
}

std::vector<std::string> CheckMessages(const std::vector<MessageRow>& rows) {
  std::vector<std::string> problems;
  std::set<std::string_view> seen;
  for (const MessageRow& row : rows) {
    std::string key = row.key ? row.key : "";
    if (!KeyIsWellFormed(key)) problems.push_back("malformed key '" + key + "'");
    if (!seen.insert(row.key ? row.key : "").second) problems.push_back(key + ": duplicate key");
    if (!row.en || !*row.en) problems.push_back(key + ": no English text");
    if (!row.zh || !*row.zh) problems.push_back(key + ": no zh-CN text");
    if (row.en && row.zh && Placeholders(row.en) != Placeholders(row.zh))
      problems.push_back(key + ": placeholders differ between en and zh-CN");
  }
  return problems;
}

}  // namespace picket::console
