// Officers' sessions and their CSRF tokens, in memory.
//
// A session is created at login and named by a random 256-bit token (the HttpOnly cookie).
// The table keeps only a BLAKE2b hash of each token, so a lookup compares hashes, not the
// secret, and a memory dump does not hand out live cookies. Each session has its own
// random CSRF token, which every state-changing request must repeat in a header.
//
// A session ends at logout, at logout-everywhere (every session of that login), after
// `idle` without a request, or `lifetime` after login, whichever comes first. Sessions
// are not stored: a restart of the console logs everyone out (an officer logs in again;
// nothing on disk holds a usable cookie).
//
// Time is passed in. Not thread-safe: the adapter holds one mutex around the table.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "console/core/roles.h"

namespace picket::console {

struct SessionLimits {
  Micros idle = 30 * 60 * kMicrosPerSecond;        // ends after this without a request
  Micros lifetime = 12 * 3600 * kMicrosPerSecond;  // ends this long after login
  size_t max_per_login = 16;                       // more: the oldest of that login ends
  size_t max_sessions = 4096;                      // more: the longest idle one ends
};

struct Session {
  std::string login;
  Role role = Role::kViewer;
  std::string lang;  // "en" or "zh-CN"
  std::string csrf;  // 64 hex characters
  Micros created = 0;
  Micros last_seen = 0;
};

struct NewSession {
  std::string token;  // 64 hex characters: the cookie's value
  Session session;
};

class SessionTable {
 public:
  explicit SessionTable(SessionLimits limits) : limits_(limits) {}

  NewSession Create(const std::string& login, Role role, const std::string& lang, Micros now);

  // The session named by `token` if it is live at `now` (and marks it used); an expired
  // one is removed and nullopt returned, as for an unknown token.
  std::optional<Session> Touch(std::string_view token, Micros now);

  // The same without marking it used (a live stream checks its session so).
  std::optional<Session> Peek(std::string_view token, Micros now) const;

  // Ends one session. False if there was none.
  bool End(std::string_view token);
  // Ends every session of `login`; returns how many.
  size_t EndAllOf(std::string_view login);
  // Changes a live session's language. False if there is no such session.
  bool SetLang(std::string_view token, const std::string& lang);
  // Removes every session expired at `now`.
  void Prune(Micros now);

  size_t size() const { return sessions_.size(); }
  size_t CountOf(std::string_view login) const;

  // Whether `presented` is the session's CSRF token (constant time).
  static bool CsrfMatches(const Session& session, std::string_view presented);

 private:
  bool Expired(const Session& s, Micros now) const;
  void EvictOldestOf(const std::string& login);
  void EvictLeastRecentlyUsed();

  SessionLimits limits_;
  std::map<std::string, Session, std::less<>> sessions_;  // by hash of the token
};

// 2 * `bytes` random hex characters (libsodium's CSPRNG).
std::string RandomHex(size_t bytes);

}  // namespace picket::console
