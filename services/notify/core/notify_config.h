// The configuration of picket-notify as plain values: outside channels (webhooks), who
// gets which channels, and the retry policy. Read from `[notify]` in site.toml by
// notify_config_toml.h; docs/notify.md lists every key.
//
// Pure: the standard library only. A NotifyConfig that came from ReadNotifyConfig is
// valid (every channel a person or role names exists, URLs parse, secrets are present).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/clock.h"

namespace picket::notify {

// An absolute http:// or https:// URL, split the way an HTTP client wants it.
struct WebhookUrl {
  std::string scheme;  // "http" or "https"
  std::string host;    // a name or an IPv4 address (no user info, no IPv6 literal)
  int port = 0;        // explicit, or 80 / 443 by scheme
  std::string path;    // from the first '/', query included; "/" if none
  // "scheme://host:port", what httplib::Client takes.
  std::string Origin() const;
};

// Parses `text`. Returns nullopt and sets *error (for a person) if it is not an absolute
// http(s) URL with a host; fragments, user info, spaces and control characters are refused.
std::optional<WebhookUrl> ParseWebhookUrl(std::string_view text, std::string* error);

// True for names of channels, people and roles: 1..64 of a-z A-Z 0-9 '_' '-'.
bool IsValidName(std::string_view name);

// True if `name: value` may be configured as an extra header: a token name that is not one
// the service sets itself (Content-Type, Idempotency-Key, X-Picket-*, Host, ...), and a
// value without CR, LF or NUL. Sets *error otherwise.
bool IsAllowedExtraHeader(std::string_view name, std::string_view value, std::string* error);

struct Channel {
  std::string name;
  std::string url;  // as written in site.toml (never logged with the secret)
  WebhookUrl target;
  std::string secret;                      // the HMAC-SHA256 key, raw bytes (at least 16)
  Micros timeout = 10 * kMicrosPerSecond;  // connect, and then read, timeout
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers, in name order
};

struct RetryPolicy {
  Micros initial_backoff = 1 * kMicrosPerSecond;  // the wait before the 2nd attempt (±jitter)
  Micros max_backoff = 60 * kMicrosPerSecond;     // the longest wait between attempts
  uint32_t max_attempts = 8;                      // attempts in all, the first included
};

struct NotifyConfig {
  std::map<std::string, Channel, std::less<>> channels;
  std::map<std::string, std::vector<std::string>, std::less<>> people;  // person -> channels
  std::map<std::string, std::vector<std::string>, std::less<>> roles;   // role -> channels
  // Standing roles per person, from [escalation.roster.people] (the roles they hold in the
  // config, on shift or not).
  std::map<std::string, std::vector<std::string>, std::less<>> standing_roles;
  RetryPolicy retry;
  int workers = 4;                      // HTTP worker threads
  std::string http = "127.0.0.1:7482";  // /metrics and /healthz; "" = none
  // Before each attempt: how long a worker waits to learn the bus's head and see it
  // applied (the supersede check, docs/notify.md); then it sends unchecked.
  Micros head_check_timeout = 5 * kMicrosPerSecond;

  const Channel* FindChannel(std::string_view name) const;

  // The channels an alert for `person` goes to, without repeats, in name order: the
  // person's own, those of each role they hold standing, and those of the role the alert
  // named them through (`target` "role:<r>" or "all:<r>"). Empty if none.
  std::vector<const Channel*> ChannelsFor(std::string_view person, std::string_view target) const;
};

}  // namespace picket::notify
