// Reading TOML configuration with errors a person can act on.
//
// Every error names the file, the key path and, where known, the line and column:
//   "site.toml:12:1: bus.max_message_bytes: must be between 256 and 16777216, got 10"
// Unknown keys are errors too (a typo must not silently fall back to a default).
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace picket {

// Parses `path`. Returns nullopt and sets *error (with file:line:col) on failure,
// including a missing or unreadable file.
std::optional<toml::table> LoadTomlFile(const std::string& path, std::string* error);
// Reads a whole file of at most `max_bytes`; nullopt and *error if it cannot.
std::optional<std::string> ReadSmallFile(const std::string& path, size_t max_bytes,
                                         std::string* error);
// Parses `text` (named `source_name` in errors).
std::optional<toml::table> ParseToml(std::string_view text, const std::string& source_name,
                                     std::string* error);

// Reads typed, range-checked values from one table. Errors accumulate; check Ok() at the
// end and report Errors() (one line each). A missing optional key keeps the default.
class ConfigReader {
 public:
  // `table` must outlive this. `path` is the key path prefix for messages ("bus").
  ConfigReader(const toml::table& table, std::string source_name, std::string path);

  std::string String(const std::string& key, const std::string& fallback);
  std::string RequiredString(const std::string& key);
  int64_t Int(const std::string& key, int64_t fallback, int64_t min, int64_t max);
  bool Bool(const std::string& key, bool fallback);
  // An array of strings (empty if absent).
  std::vector<std::string> StringList(const std::string& key);
  // A duration such as "90s", "15m", "2h", "7d", "250ms"; returned in microseconds.
  int64_t Duration(const std::string& key, int64_t fallback_micros, int64_t min_micros,
                   int64_t max_micros);
  // A size in bytes: an integer, or a string of a whole number and a unit, "512KiB",
  // "64MiB", "2GiB", "1TiB" (also "B", and "KB", "MB", "GB", "TB" for powers of 1000).
  int64_t Size(const std::string& key, int64_t fallback, int64_t min, int64_t max);
  // A sub-table reader (empty table if absent; an error if present but not a table).
  ConfigReader Table(const std::string& key);
  std::vector<std::string> Keys() const;
  bool Has(const std::string& key) const;

  // Records an error at `key` (for checks that span several keys).
  void Fail(const std::string& key, const std::string& message);
  // Marks every key not read so far as an error ("unknown key"). Call once, at the end.
  void RejectUnknownKeys();

  bool Ok() const { return errors_->empty(); }
  const std::vector<std::string>& Errors() const { return *errors_; }
  std::string ErrorText() const;  // errors joined with newlines

 private:
  ConfigReader(const toml::table& table, std::string source_name, std::string path,
               std::shared_ptr<std::vector<std::string>> errors);
  std::string Where(const std::string& key) const;

  const toml::table& table_;
  std::string source_;
  std::string path_;
  std::set<std::string> read_;
  std::shared_ptr<std::vector<std::string>> errors_;
};

// Parses "90s" / "15m" / "2h" / "7d" / "250ms" / "0". Returns nullopt if malformed or
// more microseconds than an int64 holds.
std::optional<int64_t> ParseDurationMicros(std::string_view text);
// Parses "64MiB" / "512KiB" / "1GiB" / "100MB" / "4096B" / "0". Nullopt if malformed.
std::optional<int64_t> ParseSizeBytes(std::string_view text);

}  // namespace picket
