#include "console/core/login_limiter.h"

namespace picket::console {

void LoginLimiter::Forget(std::deque<Micros>& times, Micros before) {
  while (!times.empty() && times.front() <= before) times.pop_front();
}

LoginVerdict LoginLimiter::Attempt(std::string_view client, std::string_view login,
                                   bool known_account, Micros now) {
  LoginVerdict v;
  if (known_account) {
    auto it = accounts_.find(login);
    if (it != accounts_.end() && it->second.locked_until > now) {
      v.kind = LoginVerdict::Kind::kAccountLocked;
      v.retry_after = it->second.locked_until - now;
      return v;
    }
  }
  auto it = clients_.find(client);
  if (it == clients_.end()) {
    if (clients_.size() >= limits_.max_clients) EvictClient();
    it = clients_.emplace(std::string(client), std::deque<Micros>{}).first;
  }
  Forget(it->second, now - limits_.client_window);
  if (static_cast<int>(it->second.size()) >= limits_.max_attempts) {
    v.kind = LoginVerdict::Kind::kClientLimited;
    v.retry_after = it->second.front() + limits_.client_window - now;
    if (v.retry_after <= 0) v.retry_after = 1;
    return v;
  }
  it->second.push_back(now);
  return v;
}

bool LoginLimiter::Failed(std::string_view login, Micros now) {
  auto it = accounts_.find(login);
  if (it == accounts_.end()) it = accounts_.emplace(std::string(login), AccountState{}).first;
  AccountState& a = it->second;
  Forget(a.failures, now - limits_.failure_window);
  a.failures.push_back(now);
  if (static_cast<int>(a.failures.size()) < limits_.max_failures) return false;
  a.failures.clear();
  a.locked_until = now + limits_.lockout;
  return true;
}

void LoginLimiter::Succeeded(std::string_view login) {
  auto it = accounts_.find(login);
  if (it != accounts_.end()) accounts_.erase(it);
}

void LoginLimiter::EvictClient() {
  auto stalest = clients_.end();
  Micros stalest_at = 0;
  for (auto it = clients_.begin(); it != clients_.end(); ++it) {
    Micros last = it->second.empty() ? 0 : it->second.back();
    if (stalest == clients_.end() || last < stalest_at) {
      stalest = it;
      stalest_at = last;
    }
  }
  if (stalest != clients_.end()) clients_.erase(stalest);
}

}  // namespace picket::console
