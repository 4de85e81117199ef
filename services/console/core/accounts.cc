#include "console/core/accounts.h"

#include "console/core/password.h"

namespace picket::console {

bool IsLoginName(std::string_view text) {
  if (text.empty() || text.size() > 64) return false;
  for (char c : text)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.'))
      return false;
  return true;
}

bool Accounts::Add(Account account) {
  if (!IsLoginName(account.login) || by_login_.count(account.login)) return false;
  std::string login = account.login;
  by_login_.emplace(std::move(login), std::move(account));
  return true;
}

const Account* Accounts::Find(std::string_view login) const {
  auto it = by_login_.find(login);
  return it == by_login_.end() ? nullptr : &it->second;
}

const Account* Accounts::Authenticate(std::string_view login, std::string_view password) const {
  const Account* account = Find(login);
  if (!account) {
    if (!by_login_.empty()) VerifyPassword(by_login_.begin()->second.hash, password);
    return nullptr;
  }
  return VerifyPassword(account->hash, password) ? account : nullptr;
}

}  // namespace picket::console
