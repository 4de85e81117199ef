// The console's words in every language it speaks: English ("en") and Simplified Chinese
// ("zh-CN"). One table (i18n_table.cc) holds each key with both texts side by side, so a
// key cannot exist in one language only; CheckMessages() also refuses an empty text, a
// duplicate key, a malformed key and a text whose {placeholders} differ from the English.
// The page gets the table of its language from GET /api/i18n and never shows a literal
// of its own.
//
// Pure standard C++.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace picket::console {

enum class Lang { kEnglish, kChinese };

struct MessageRow {
  const char* key;
  const char* en;
  const char* zh;
};

// "en" / "zh-CN" (also "zh", "zh-cn"); nullopt for anything else.
std::optional<Lang> ParseLang(std::string_view tag);
std::string_view LangTag(Lang lang);  // "en", "zh-CN"

// The text of `key` in `lang`; the key itself if there is none (never empty).
std::string_view Text(Lang lang, std::string_view key);
// Every key with its text in `lang`, in the table's order.
std::vector<std::pair<std::string_view, std::string_view>> Messages(Lang lang);

// The table (for the check and its test).
const std::vector<MessageRow>& MessageTable();
// Problems of `rows`, one line each; empty when every key is sound in both languages.
std::vector<std::string> CheckMessages(const std::vector<MessageRow>& rows);

}  // namespace picket::console
