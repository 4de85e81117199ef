#include "runtime/config.h"

#include <charconv>
#include <fstream>
#include <limits>
#include <sstream>

namespace picket {
namespace {

std::string Position(const std::string& source, const toml::source_region& where) {
  std::string out = source;
  if (where.begin.line > 0)
    out += ":" + std::to_string(where.begin.line) + ":" + std::to_string(where.begin.column);
  return out;
}

}  // namespace

std::optional<toml::table> ParseToml(std::string_view text, const std::string& source_name,
                                     std::string* error) {
  try {
    return toml::parse(text, source_name);
  } catch (const toml::parse_error& e) {
    *error = Position(source_name, e.source()) + ": " + std::string(e.description());
    return std::nullopt;
  }
}

std::optional<std::string> ReadSmallFile(const std::string& path, size_t max_bytes,
                                         std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = path + ": cannot open the file";
    return std::nullopt;
  }
  std::string text;
  char chunk[65536];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    text.append(chunk, static_cast<size_t>(in.gcount()));
    if (text.size() > max_bytes) {
      *error = path + ": file is larger than " + std::to_string(max_bytes) + " bytes";
      return std::nullopt;
    }
  }
  return text;
}

std::optional<toml::table> LoadTomlFile(const std::string& path, std::string* error) {
  auto text = ReadSmallFile(path, 4 << 20, error);
  if (!text) return std::nullopt;
  return ParseToml(*text, path, error);
}

std::optional<int64_t> ParseDurationMicros(std::string_view text) {
  if (text == "0") return 0;
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0 || digits > 12) return std::nullopt;
  int64_t n = 0;
  std::from_chars(text.data(), text.data() + digits, n);
  std::string_view unit = text.substr(digits);
  int64_t scale;
  if (unit == "us")
    scale = 1;
  else if (unit == "ms")
    scale = 1000;
  else if (unit == "s")
    scale = 1000000;
  else if (unit == "m")
    scale = 60LL * 1000000;
  else if (unit == "h")
    scale = 3600LL * 1000000;
  else if (unit == "d")
    scale = 86400LL * 1000000;
  else
    return std::nullopt;
  if (n > std::numeric_limits<int64_t>::max() / scale) return std::nullopt;  // "55555555555d"
  return n * scale;
}

std::optional<int64_t> ParseSizeBytes(std::string_view text) {
  if (text == "0") return 0;
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0 || digits > 15) return std::nullopt;
  int64_t n = 0;
  std::from_chars(text.data(), text.data() + digits, n);
  std::string_view unit = text.substr(digits);
  struct Unit {
    std::string_view name;
    int64_t scale;
  };
  static constexpr Unit kUnits[] = {
      {"B", 1},
      {"KiB", int64_t{1} << 10},
      {"MiB", int64_t{1} << 20},
      {"GiB", int64_t{1} << 30},
      {"TiB", int64_t{1} << 40},
      {"KB", 1000},
      {"MB", 1000 * 1000},
      {"GB", 1000 * 1000 * 1000},
      {"TB", int64_t{1000} * 1000 * 1000 * 1000},
  };
  for (const Unit& u : kUnits) {
    if (unit != u.name) continue;
    if (n > std::numeric_limits<int64_t>::max() / u.scale) return std::nullopt;
    return n * u.scale;
  }
  return std::nullopt;
}

ConfigReader::ConfigReader(const toml::table& table, std::string source_name, std::string path)
    : ConfigReader(table, std::move(source_name), std::move(path),
                   std::make_shared<std::vector<std::string>>()) {}

ConfigReader::ConfigReader(const toml::table& table, std::string source_name, std::string path,
                           std::shared_ptr<std::vector<std::string>> errors)
    : table_(table),
      source_(std::move(source_name)),
      path_(std::move(path)),
      errors_(std::move(errors)) {}

std::string ConfigReader::Where(const std::string& key) const {
  const toml::node* node = table_.get(key);
  std::string pos = node ? Position(source_, node->source()) : Position(source_, table_.source());
  return pos + ": " + (path_.empty() ? key : path_ + "." + key);
}

void ConfigReader::Fail(const std::string& key, const std::string& message) {
  errors_->push_back(Where(key) + ": " + message);
}

bool ConfigReader::Has(const std::string& key) const { return table_.contains(key); }

std::vector<std::string> ConfigReader::Keys() const {
  std::vector<std::string> keys;
  for (const auto& [k, v] : table_) keys.emplace_back(k.str());
  return keys;
}

std::string ConfigReader::String(const std::string& key, const std::string& fallback) {
  read_.insert(key);
  const toml::node* node = table_.get(key);
  if (!node) return fallback;
  if (auto s = node->value<std::string>(); s && node->is_string()) return *s;
  Fail(key, "must be a string");
  return fallback;
}

std::string ConfigReader::RequiredString(const std::string& key) {
  if (!table_.contains(key)) {
    read_.insert(key);
    Fail(key, "is required");
    return "";
  }
  std::string value = String(key, "");
  if (value.empty() && table_.get(key)->is_string()) Fail(key, "must not be empty");
  return value;
}

int64_t ConfigReader::Int(const std::string& key, int64_t fallback, int64_t min, int64_t max) {
  read_.insert(key);
  const toml::node* node = table_.get(key);
  if (!node) return fallback;
  if (!node->is_integer()) {
    Fail(key, "must be an integer");
    return fallback;
  }
  int64_t v = *node->value<int64_t>();
  if (v < min || v > max) {
    Fail(key, "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " +
                  std::to_string(v));
    return fallback;
  }
  return v;
}

bool ConfigReader::Bool(const std::string& key, bool fallback) {
  read_.insert(key);
  const toml::node* node = table_.get(key);
  if (!node) return fallback;
  if (!node->is_boolean()) {
    Fail(key, "must be true or false");
    return fallback;
  }
  return *node->value<bool>();
}

int64_t ConfigReader::Duration(const std::string& key, int64_t fallback_micros, int64_t min_micros,
                               int64_t max_micros) {
  read_.insert(key);
  const toml::node* node = table_.get(key);
  if (!node) return fallback_micros;
  if (!node->is_string()) {
    Fail(key, "must be a duration string such as \"500ms\", \"30s\", \"15m\", \"2h\", \"7d\"");
    return fallback_micros;
  }
  auto v = ParseDurationMicros(*node->value<std::string>());
  if (!v) {
    Fail(key, "'" + *node->value<std::string>() +
                  "' is not a duration (a whole number followed by us, ms, s, m, h or d)");
    return fallback_micros;
  }
  if (*v < min_micros || *v > max_micros) {
    Fail(key, "'" + *node->value<std::string>() + "' is out of range (" +
                  std::to_string(min_micros / 1000) + " ms to " +
                  std::to_string(max_micros / 1000) + " ms)");
    return fallback_micros;
  }
  return *v;
}

int64_t ConfigReader::Size(const std::string& key, int64_t fallback, int64_t min, int64_t max) {
  read_.insert(key);
  const toml::node* node = table_.get(key);
  if (!node) return fallback;
  std::optional<int64_t> v;
  std::string shown;
  if (node->is_integer()) {
    v = *node->value<int64_t>();
    shown = std::to_string(*v);
  } else if (node->is_string()) {
    shown = *node->value<std::string>();
    v = ParseSizeBytes(shown);
  }
  if (!v) {
    Fail(key, (shown.empty() ? std::string("must be") : "'" + shown + "' is not") +
                  " a size: a number of bytes or a string such as \"64MiB\", \"512KiB\", "
                  "\"2GiB\"");
    return fallback;
  }
  if (*v < min || *v > max) {
    Fail(key, "'" + shown + "' is out of range (" + std::to_string(min) + " to " +
                  std::to_string(max) + " bytes)");
    return fallback;
  }
  return *v;
}

std::vector<std::string> ConfigReader::StringList(const std::string& key) {
  read_.insert(key);
  std::vector<std::string> out;
  const toml::node* node = table_.get(key);
  if (!node) return out;
  const toml::array* arr = node->as_array();
  bool ok = arr != nullptr;
  if (arr)
    for (const toml::node& item : *arr) {
      if (!item.is_string()) {
        ok = false;
        break;
      }
      out.push_back(*item.value<std::string>());
    }
  if (!ok) {
    Fail(key, "must be an array of strings");
    out.clear();
  }
  return out;
}

ConfigReader ConfigReader::Table(const std::string& key) {
  static const toml::table kEmpty;
  read_.insert(key);
  const toml::node* node = table_.get(key);
  std::string sub = path_.empty() ? key : path_ + "." + key;
  if (!node) return ConfigReader(kEmpty, source_, sub, errors_);
  if (!node->is_table()) {
    Fail(key, "must be a table");
    return ConfigReader(kEmpty, source_, sub, errors_);
  }
  return ConfigReader(*node->as_table(), source_, sub, errors_);
}

void ConfigReader::RejectUnknownKeys() {
  for (const auto& [k, v] : table_) {
    std::string key(k.str());
    if (!read_.count(key)) Fail(key, "unknown key");
  }
}

std::string ConfigReader::ErrorText() const {
  std::string out;
  for (const auto& e : *errors_) out += (out.empty() ? "" : "\n") + e;
  return out;
}

}  // namespace picket
