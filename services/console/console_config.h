// [console] of site.toml: where the console listens, its officers' accounts, session and
// login limits, and where picket-escalation takes commands (docs/console.md, keys).
//
//   [console]
//   listen = "127.0.0.1:7490"          # the officers' HTTP server (host:port, port 0 = any)
//   http = "127.0.0.1:7489"            # /metrics and /healthz ("" = none)
//   session_idle = "30m"               # a session ends after this without a request
//   session_lifetime = "12h"           # ...and this long after login at the latest
//   [console.accounts]
//   ann = { role = "officer", hash = "$argon2id$v=19$...", lang = "zh-CN", name = "Ann Li" }
//
// Every problem is reported as "file:line:col: console.key: message", all at once; unknown
// keys are errors. Separate from the core: it needs toml++ and the runtime's ConfigReader.
#pragma once

#include <toml++/toml.h>

#include <optional>
#include <string>

#include "base/clock.h"
#include "console/core/accounts.h"
#include "console/core/login_limiter.h"
#include "console/core/sessions.h"

namespace picket::console {

struct ConsoleConfig {
  std::string listen = "127.0.0.1:7490";
  std::string http = "127.0.0.1:7489";
  // picket-escalation's command endpoint: [console].escalation, else [escalation].commands
  // of the same file, else its default. One with a wildcard port ("tcp://127.0.0.1:*") is
  // looked up in escalation's ready file at each call.
  std::string escalation_commands = "tcp://127.0.0.1:7411";
  // picket-access's command endpoint (the roll call): [console].access, else
  // [access].commands, else its default; a wildcard port as for escalation.
  std::string access_commands = "tcp://127.0.0.1:7412";
  // picket-scoring's (the Scores page): [console].scoring, else [scoring].commands.
  std::string scoring_commands = "tcp://127.0.0.1:7414";
  // picket-patrol's (the Patrols page): [console].patrol, else [patrol].commands.
  std::string patrol_commands = "tcp://127.0.0.1:7413";
  Accounts accounts;
  SessionLimits sessions;
  LoginLimits login;
  bool secure_cookies = false;    // add "Secure" to the cookie (behind TLS)
  size_t max_body_bytes = 16384;  // larger request bodies: 413
  int http_threads = 16;          // the HTTP server's worker threads
  int max_streams = 8;            // concurrent /api/stream clients (each holds a thread)
  size_t stream_ring = 4096;      // events kept for Last-Event-ID resumes
  Micros command_timeout = 5 * kMicrosPerSecond;  // one command to escalation, retries included
  size_t closed_kept = 200;                       // closed incidents kept on the board
  size_t history_lines = 500;                     // history lines kept per incident
  size_t gate_feed = 200;                         // recent gate decisions kept (Gates page)
};

// Reads root["console"]; nullopt and *error (file:line lines) if anything is wrong.
std::optional<ConsoleConfig> ReadConsoleConfig(const toml::table& root, const std::string& source,
                                               std::string* error);

// The line `picket-console hash-password` prints, to paste under [console.accounts]:
//   ann = { role = "officer", lang = "en", hash = "$argon2id$..." }
std::string AccountLine(const std::string& login, Role role, Lang lang, const std::string& hash);

}  // namespace picket::console
