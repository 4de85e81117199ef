#include "notify/core/notify_config.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace picket::notify {
namespace {

bool IsHostChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
}

bool IsTokenChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
         c == '!' || c == '#' || c == '$' || c == '%' || c == '&' || c == '\'' || c == '*' ||
         c == '+' || c == '^' || c == '`' || c == '|' || c == '~';
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Role in a target "role:<r>" or "all:<r>", else "".
std::string_view RoleOfTarget(std::string_view target) {
  for (std::string_view prefix : {std::string_view("role:"), std::string_view("all:")})
    if (target.substr(0, prefix.size()) == prefix) return target.substr(prefix.size());
  return {};
}

}  // namespace

std::string WebhookUrl::Origin() const {
  return scheme + "://" + host + ":" + std::to_string(port);
}

std::optional<WebhookUrl> ParseWebhookUrl(std::string_view text, std::string* error) {
  for (char c : text)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      *error = "must not contain spaces or control characters";
      return std::nullopt;
    }
  WebhookUrl url;
  size_t sep = text.find("://");
  if (sep == std::string_view::npos) {
    *error = "must be an absolute http:// or https:// URL";
    return std::nullopt;
  }
  url.scheme = Lower(text.substr(0, sep));
  if (url.scheme != "http" && url.scheme != "https") {
    *error = "scheme must be http or https, got '" + url.scheme + "'";
    return std::nullopt;
  }
  std::string_view rest = text.substr(sep + 3);
  if (rest.find('#') != std::string_view::npos) {
    *error = "must not have a fragment ('#')";
    return std::nullopt;
  }
  size_t path_at = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, path_at);
  url.path = path_at == std::string_view::npos ? "/" : std::string(rest.substr(path_at));
  if (url.path[0] == '?') url.path = "/" + url.path;
  if (authority.find('@') != std::string_view::npos) {
    *error = "must not carry user info ('user@host'); use headers for credentials";
    return std::nullopt;
  }
  size_t colon = authority.rfind(':');
  std::string_view host = authority.substr(0, colon);
  url.port = url.scheme == "https" ? 443 : 80;
  if (colon != std::string_view::npos) {
    std::string_view port = authority.substr(colon + 1);
    int p = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
    if (port.empty() || ec != std::errc() || end != port.data() + port.size() || p < 1 ||
        p > 65535) {
      *error = "port must be a number between 1 and 65535, got '" + std::string(port) + "'";
      return std::nullopt;
    }
    url.port = p;
  }
  if (host.empty() || !std::all_of(host.begin(), host.end(), IsHostChar)) {
    *error = "must name a host (a DNS name or an IPv4 address)";
    return std::nullopt;
  }
  url.host = std::string(host);
  return url;
}

bool IsValidName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

bool IsAllowedExtraHeader(std::string_view name, std::string_view value, std::string* error) {
  if (name.empty() || !std::all_of(name.begin(), name.end(), IsTokenChar)) {
    *error = "'" + std::string(name) + "' is not a header name";
    return false;
  }
  std::string lower = Lower(name);
  static const std::set<std::string> kReserved = {
      "content-type", "content-length",    "host",   "idempotency-key", "user-agent",
      "connection",   "transfer-encoding", "expect", "accept-encoding", "content-encoding"};
  if (kReserved.count(lower) || lower.rfind("x-picket-", 0) == 0) {
    *error = "'" + std::string(name) + "' is set by picket-notify and cannot be configured";
    return false;
  }
  for (char c : value)
    if (c == '\r' || c == '\n' || c == '\0') {
      *error = "the value of '" + std::string(name) + "' must not contain CR, LF or NUL";
      return false;
    }
  return true;
}

const Channel* NotifyConfig::FindChannel(std::string_view name) const {
  auto it = channels.find(name);
  return it == channels.end() ? nullptr : &it->second;
}

std::vector<const Channel*> NotifyConfig::ChannelsFor(std::string_view person,
                                                      std::string_view target) const {
  std::set<std::string_view> names;
  auto add = [&](const auto& map, std::string_view key) {
    auto it = map.find(key);
    if (it == map.end()) return;
    for (const auto& n : it->second) names.insert(n);
  };
  add(people, person);
  if (auto it = standing_roles.find(person); it != standing_roles.end())
    for (const auto& role : it->second) add(roles, role);
  if (std::string_view role = RoleOfTarget(target); !role.empty()) add(roles, role);
  std::vector<const Channel*> out;
  for (std::string_view n : names)
    if (const Channel* c = FindChannel(n)) out.push_back(c);
  return out;
}

}  // namespace picket::notify
