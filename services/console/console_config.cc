#include "console/console_config.h"

#include "console/core/password.h"
#include "runtime/config.h"
#include "runtime/config_sections.h"

namespace picket::console {
namespace {

constexpr Micros kSecond = kMicrosPerSecond;
constexpr Micros kDay = 86400 * kSecond;

// `<section>.commands` of the site file if it is a string, else `fallback`.
std::string DefaultEndpoint(const toml::table& root, const std::string& section,
                            const std::string& fallback) {
  const toml::node* n = root.at_path(section + ".commands").node();
  if (n && n->is_string()) return *n->value<std::string>();
  return fallback;
}

bool IsEndpoint(const std::string& s) {
  return s.rfind("tcp://", 0) == 0 || s.rfind("ipc://", 0) == 0;
}

bool IsHostPort(const std::string& s) {
  auto colon = s.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == s.size()) return false;
  for (size_t i = colon + 1; i < s.size(); ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return s.size() - colon - 1 <= 5 && std::stoi(s.substr(colon + 1)) <= 65535;
}

void ReadAccount(ConfigReader& accounts, const std::string& login, ConsoleConfig& c) {
  ConfigReader a = accounts.Table(login);
  Account account;
  account.login = login;
  std::string role = a.RequiredString("role");
  std::string hash = a.RequiredString("hash");
  std::string lang = a.String("lang", "en");
  account.name = a.String("name", "");
  a.RejectUnknownKeys();
  if (!IsLoginName(login)) {
    accounts.Fail(login, "a login is 1..64 of a-z 0-9 _ - . (the person's id on the site)");
    return;
  }
  if (auto r = ParseRole(role)) {
    account.role = *r;
  } else if (!role.empty()) {
    a.Fail("role", "must be viewer, officer, supervisor or admin, got '" + role + "'");
  }
  if (!hash.empty() && !LooksLikeArgon2idHash(hash))
    a.Fail("hash", "must be an argon2id hash from `picket-console hash-password`");
  account.hash = hash;
  if (auto l = ParseLang(lang)) {
    account.lang = *l;
  } else {
    a.Fail("lang", "must be \"en\" or \"zh-CN\", got '" + lang + "'");
  }
  if (a.Ok()) c.accounts.Add(std::move(account));
}

}  // namespace

std::optional<ConsoleConfig> ReadConsoleConfig(const toml::table& root, const std::string& source,
                                               std::string* error) {
  ConsoleConfig c;
  ConfigReader top(root, source, "");
  ConfigReader r = top.Table("console");
  c.listen = r.String("listen", c.listen);
  if (!IsHostPort(c.listen)) r.Fail("listen", "must be host:port, got '" + c.listen + "'");
  c.http = r.String("http", c.http);
  if (!c.http.empty() && !IsHostPort(c.http))
    r.Fail("http", "must be host:port or \"\", got '" + c.http + "'");
  c.escalation_commands =
      r.String("escalation", DefaultEndpoint(root, "escalation", c.escalation_commands));
  if (!IsEndpoint(c.escalation_commands))
    r.Fail("escalation",
           "must be a tcp:// or ipc:// endpoint, got '" + c.escalation_commands + "'");
  c.access_commands = r.String("access", DefaultEndpoint(root, "access", c.access_commands));
  if (!IsEndpoint(c.access_commands))
    r.Fail("access", "must be a tcp:// or ipc:// endpoint, got '" + c.access_commands + "'");
  c.scoring_commands = r.String("scoring", DefaultEndpoint(root, "scoring", c.scoring_commands));
  if (!IsEndpoint(c.scoring_commands))
    r.Fail("scoring", "must be a tcp:// or ipc:// endpoint, got '" + c.scoring_commands + "'");
  c.patrol_commands = r.String("patrol", DefaultEndpoint(root, "patrol", c.patrol_commands));
  if (!IsEndpoint(c.patrol_commands))
    r.Fail("patrol", "must be a tcp:// or ipc:// endpoint, got '" + c.patrol_commands + "'");
  c.gate_feed = static_cast<size_t>(r.Int("gate_feed", 200, 1, 100000));
  c.sessions.idle = r.Duration("session_idle", c.sessions.idle, 60 * kSecond, kDay);
  c.sessions.lifetime =
      r.Duration("session_lifetime", c.sessions.lifetime, 60 * kSecond, 30 * kDay);
  c.sessions.max_per_login = static_cast<size_t>(r.Int("sessions_per_login", 16, 1, 1000));
  c.login.max_failures = static_cast<int>(r.Int("lockout_after", 5, 1, 100));
  c.login.failure_window = r.Duration("lockout_window", c.login.failure_window, kSecond, kDay);
  c.login.lockout = r.Duration("lockout", c.login.lockout, kSecond, kDay);
  c.login.max_attempts = static_cast<int>(r.Int("login_attempts_per_client", 20, 1, 10000));
  c.login.client_window = r.Duration("login_window", c.login.client_window, kSecond, kDay);
  c.secure_cookies = r.Bool("secure_cookies", false);
  c.max_body_bytes = static_cast<size_t>(r.Size("max_body", 16384, 1024, 1 << 20));
  c.http_threads = static_cast<int>(r.Int("http_threads", 16, 4, 256));
  c.max_streams = static_cast<int>(r.Int("max_streams", 8, 1, 200));
  if (c.max_streams > c.http_threads - 2)
    r.Fail("max_streams", "must leave at least 2 of http_threads (" +
                              std::to_string(c.http_threads) + ") for other requests");
  c.stream_ring = static_cast<size_t>(r.Int("stream_ring", 4096, 16, 1000000));
  c.command_timeout = r.Duration("command_timeout", c.command_timeout, 100 * 1000, 60 * kSecond);
  ConfigReader accounts = r.Table("accounts");
  for (const std::string& login : accounts.Keys()) ReadAccount(accounts, login, c);
  r.RejectUnknownKeys();
  std::vector<std::string> errors = top.Errors();
  if (NoErrorsInFileOrder(std::move(errors), source, error)) return c;
  return std::nullopt;
}

std::string AccountLine(const std::string& login, Role role, Lang lang, const std::string& hash) {
  return login + " = { role = \"" + std::string(RoleName(role)) + "\", lang = \"" +
         std::string(LangTag(lang)) + "\", hash = \"" + hash + "\" }";
}

}  // namespace picket::console
