#include "notify/notify_config_toml.h"

#include <filesystem>

#include "runtime/config.h"

namespace picket::notify {
namespace {

constexpr Micros kMilli = kMicrosPerMilli;
constexpr Micros kSecond = kMicrosPerSecond;
constexpr size_t kMinSecretBytes = 16;
constexpr size_t kMaxSecretBytes = 4096;

// A duration with a clear message for a negative one (ParseDurationMicros has no sign).
// `table` is the TOML table `r` reads (nullptr if absent).
Micros ReadDuration(ConfigReader& r, const toml::table* table, const std::string& key,
                    Micros fallback, Micros min, Micros max) {
  const toml::node* node = table ? table->get(key) : nullptr;
  if (node && node->is_string()) {
    const std::string& text = node->as_string()->get();
    if (!text.empty() && text[0] == '-') {
      r.String(key, "");  // marks it read
      r.Fail(key, "must not be negative, got '" + text + "'");
      return fallback;
    }
  }
  return r.Duration(key, fallback, min, max);
}

const toml::table* SubTable(const toml::table* t, std::string_view key) {
  const toml::node* n = t ? t->get(key) : nullptr;
  return n ? n->as_table() : nullptr;
}

std::string ConfigDir(const std::string& source_name) {
  std::filesystem::path p(source_name);
  return p.has_parent_path() ? p.parent_path().string() : ".";
}

class NotifySectionReader {
 public:
  NotifySectionReader(const toml::table& root, std::string source)
      : root_(root), source_(std::move(source)) {}

  std::optional<NotifyConfig> Run(std::string* error) {
    ConfigReader top(root_, source_, "");
    ConfigReader notify = top.Table("notify");
    const toml::table* notify_table = SubTable(&root_, "notify");
    config_.http = notify.String("http", config_.http);
    if (!config_.http.empty() && config_.http.find(':') == std::string::npos)
      notify.Fail("http", "must be host:port, got '" + config_.http + "'");
    config_.workers = static_cast<int>(notify.Int("workers", config_.workers, 1, 64));
    config_.head_check_timeout = notify.Duration("head_check_timeout", config_.head_check_timeout,
                                                 100 * kMicrosPerMilli, 60 * kMicrosPerSecond);
    ReadRetry(notify.Table("retry"), SubTable(notify_table, "retry"));
    ReadChannels(notify.Table("channels"), SubTable(notify_table, "channels"));
    ReadLists(notify.Table("people"), config_.people);
    ReadLists(notify.Table("roles"), config_.roles);
    notify.RejectUnknownKeys();
    ReadStandingRoles();
    if (!top.Ok()) {
      *error = top.ErrorText();
      return std::nullopt;
    }
    return std::move(config_);
  }

 private:
  void ReadRetry(ConfigReader r, const toml::table* t) {
    RetryPolicy& p = config_.retry;
    p.initial_backoff =
        ReadDuration(r, t, "initial_backoff", p.initial_backoff, kMilli, 3600 * kSecond);
    p.max_backoff = ReadDuration(r, t, "max_backoff", p.max_backoff, kMilli, 86400 * kSecond);
    p.max_attempts = static_cast<uint32_t>(r.Int("max_attempts", p.max_attempts, 1, 1000));
    if (p.max_backoff < p.initial_backoff)
      r.Fail("max_backoff", "must not be shorter than initial_backoff");
    r.RejectUnknownKeys();
  }

  void ReadChannels(ConfigReader r, const toml::table* t) {
    for (const auto& name : r.Keys()) {
      ConfigReader c = r.Table(name);
      if (!IsValidName(name)) r.Fail(name, "channel names are 1..64 of a-z A-Z 0-9 _ -");
      Channel ch;
      ch.name = name;
      std::string kind = c.String("kind", "webhook");
      if (kind != "webhook")
        c.Fail("kind", "must be \"webhook\" (the only kind), got '" + kind + "'");
      ch.url = c.RequiredString("url");
      std::string url_error;
      if (!ch.url.empty()) {
        if (auto u = ParseWebhookUrl(ch.url, &url_error))
          ch.target = *u;
        else
          c.Fail("url", "'" + ch.url + "': " + url_error);
      }
      ReadSecret(c, ch);
      ch.timeout =
          ReadDuration(c, SubTable(t, name), "timeout", ch.timeout, 100 * kMilli, 300 * kSecond);
      ConfigReader headers = c.Table("headers");
      for (const auto& h : headers.Keys()) {
        std::string value = headers.String(h, "");
        std::string header_error;
        if (!IsAllowedExtraHeader(h, value, &header_error))
          headers.Fail(h, header_error);
        else
          ch.headers.emplace_back(h, value);
      }
      c.RejectUnknownKeys();
      config_.channels.emplace(name, std::move(ch));
    }
  }

  void ReadSecret(ConfigReader& c, Channel& ch) {
    bool inline_secret = c.Has("secret"), file = c.Has("secret_file");
    if (inline_secret == file) {
      c.String("secret", "");
      c.String("secret_file", "");
      c.Fail(inline_secret ? "secret_file" : "secret",
             inline_secret ? "give either secret or secret_file, not both"
                           : "is required (or secret_file, preferred in production)");
      return;
    }
    std::string key = inline_secret ? "secret" : "secret_file";
    std::string value = c.String(key, "");
    if (file) {
      std::filesystem::path path(value);
      if (path.is_relative()) path = std::filesystem::path(ConfigDir(source_)) / path;
      std::string read_error;
      auto text = ReadSmallFile(path.string(), kMaxSecretBytes + 2, &read_error);
      if (!text) {
        c.Fail(key, read_error);
        return;
      }
      if (!text->empty() && text->back() == '\n') text->pop_back();
      if (!text->empty() && text->back() == '\r') text->pop_back();
      value = std::move(*text);
    }
    if (value.size() < kMinSecretBytes || value.size() > kMaxSecretBytes) {
      c.Fail(key, "the secret must be " + std::to_string(kMinSecretBytes) + ".." +
                      std::to_string(kMaxSecretBytes) + " bytes, got " +
                      std::to_string(value.size()));
      return;
    }
    ch.secret = std::move(value);
  }

  // people.<person> / roles.<role> = ["channel", ...]; every channel must be defined.
  void ReadLists(ConfigReader r,
                 std::map<std::string, std::vector<std::string>, std::less<>>& out) {
    for (const auto& who : r.Keys()) {
      std::vector<std::string> names = r.StringList(who);
      for (const auto& n : names)
        if (!config_.FindChannel(n)) r.Fail(who, "channel '" + n + "' is not defined" + Defined());
      out[who] = std::move(names);
    }
  }

  std::string Defined() const {
    std::string list;
    for (const auto& [n, c] : config_.channels) list += (list.empty() ? "" : ", ") + n;
    return " (defined: " + (list.empty() ? std::string("none") : list) + ")";
  }

  void ReadStandingRoles() {
    const toml::node* people = root_.at_path("escalation.roster.people").node();
    if (!people || !people->is_table()) return;
    for (const auto& [person, roles] : *people->as_table()) {
      const toml::array* arr = roles.as_array();
      if (!arr) continue;
      auto& list = config_.standing_roles[std::string(person.str())];
      for (const auto& role : *arr)
        if (auto s = role.value<std::string>()) list.push_back(*s);
    }
  }

  const toml::table& root_;
  std::string source_;
  NotifyConfig config_;
};

}  // namespace

std::optional<NotifyConfig> ReadNotifyConfig(const toml::table& root,
                                             const std::string& source_name, std::string* error) {
  return NotifySectionReader(root, source_name).Run(error);
}

std::optional<NotifyConfig> ParseNotifyConfig(std::string_view text, const std::string& source_name,
                                              std::string* error) {
  auto root = ParseToml(text, source_name, error);
  if (!root) return std::nullopt;
  return ReadNotifyConfig(*root, source_name, error);
}

}  // namespace picket::notify
