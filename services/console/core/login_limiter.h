// Login rate limiting and lock-out.
//
// Two independent limits, both checked before a password is verified (so a refused
// attempt costs no argon2id work):
//   - per account: `max_failures` failed logins within `failure_window` lock the account
//     for `lockout` (every attempt is refused then, right password or not); a success
//     clears its failures. Only accounts that exist are tracked, so the table is bounded
//     by the site's accounts.
//   - per client address: at most `max_attempts` attempts (any outcome) within
//     `client_window`. The table keeps at most `max_clients` addresses; beyond that the
//     one heard from least recently is forgotten.
// Locking an account lets someone who knows a login keep its officer out for `lockout`
// at a time; that is the accepted price of stopping password guessing (docs/console.md).
//
// Time is passed in. Not thread-safe: the adapter holds a mutex around it.
#pragma once

#include <deque>
#include <map>
#include <string>
#include <string_view>

#include "base/clock.h"

namespace picket::console {

struct LoginLimits {
  int max_failures = 5;
  Micros failure_window = 15 * 60 * kMicrosPerSecond;
  Micros lockout = 15 * 60 * kMicrosPerSecond;
  int max_attempts = 20;
  Micros client_window = 5 * 60 * kMicrosPerSecond;
  size_t max_clients = 10000;
};

struct LoginVerdict {
  enum class Kind { kAllowed, kAccountLocked, kClientLimited };
  Kind kind = Kind::kAllowed;
  Micros retry_after = 0;  // > 0 when refused: how long until an attempt may succeed
  bool allowed() const { return kind == Kind::kAllowed; }
};

class LoginLimiter {
 public:
  explicit LoginLimiter(LoginLimits limits) : limits_(limits) {}

  // Whether an attempt from `client` for `login` may go ahead now; counts it against the
  // client when it does. `known_account` says whether `login` is an account.
  LoginVerdict Attempt(std::string_view client, std::string_view login, bool known_account,
                       Micros now);
  // After a wrong password for an existing account. True if this locked it.
  bool Failed(std::string_view login, Micros now);
  // After a right password: the account's failures are forgotten.
  void Succeeded(std::string_view login);

  size_t tracked_clients() const { return clients_.size(); }

 private:
  struct AccountState {
    std::deque<Micros> failures;
    Micros locked_until = 0;
  };
  static void Forget(std::deque<Micros>& times, Micros before);
  void EvictClient();

  LoginLimits limits_;
  std::map<std::string, AccountState, std::less<>> accounts_;
  std::map<std::string, std::deque<Micros>, std::less<>> clients_;
};

}  // namespace picket::console
