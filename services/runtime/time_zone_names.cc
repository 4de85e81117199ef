#include "runtime/time_zone_names.h"

#include <fstream>
#include <sstream>

#include "domain/site_time.h"

namespace picket {
namespace {

bool IsZoneName(std::string_view name) {
  if (name.empty() || name.size() > 128 || name.front() == '/' || name.back() == '/') return false;
  size_t start = 0;
  while (start <= name.size()) {
    size_t slash = name.find('/', start);
    std::string_view part = name.substr(
        start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (part.empty() || part == "." || part == "..") return false;
    for (char c : part) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '_' || c == '-' || c == '+';
      if (!ok) return false;
    }
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return true;
}

// The footer of a TZif file (version 2+): the text between the last two newlines.
std::optional<std::string> TzifFooter(const std::string& bytes) {
  if (bytes.size() < 44 || bytes.compare(0, 4, "TZif") != 0 || bytes[4] < '2') return std::nullopt;
  if (bytes.back() != '\n') return std::nullopt;
  size_t start = bytes.rfind('\n', bytes.size() - 2);
  if (start == std::string::npos) return std::nullopt;
  return bytes.substr(start + 1, bytes.size() - start - 2);
}

}  // namespace

std::optional<std::string> ResolveTimeZone(std::string_view text, std::string* error,
                                           std::string_view zoneinfo_dir) {
  std::string posix_error;
  if (TimeZoneRule::Parse(text, &posix_error)) return std::string(text);
  const std::string quoted = "time zone '" + std::string(text) + "'";
  // Parse's sentence starts with the same "time zone '...': ".
  if (posix_error.rfind(quoted + ": ", 0) == 0) posix_error.erase(0, quoted.size() + 2);
  if (!IsZoneName(text)) {
    *error = quoted + ": neither a zone name such as \"Europe/Berlin\" nor a POSIX TZ rule (" +
             posix_error + ")";
    return std::nullopt;
  }
  const std::string path = std::string(zoneinfo_dir) + "/" + std::string(text);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = quoted + ": no zone file " + path +
             " (is the tzdata package installed?), and not a POSIX TZ rule (" + posix_error + ")";
    return std::nullopt;
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  auto footer = TzifFooter(bytes.str());
  if (!footer || footer->empty()) {
    *error = quoted + ": " + path + " is not a TZif file with a POSIX rule in its footer";
    return std::nullopt;
  }
  if (!TimeZoneRule::Parse(*footer, &posix_error)) {
    *error = quoted + ": its rule \"" + *footer + "\" is not supported (" + posix_error + ")";
    return std::nullopt;
  }
  return footer;
}

}  // namespace picket
