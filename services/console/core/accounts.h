// Officers' accounts, from [console.accounts] of the site configuration: a login, a role
// (roles.h), an argon2id password hash (password.h) and the language the pages start in.
//
// Login names are the persons of the site (the actor of every command the console sends
// on an officer's behalf), so they follow the site's id rules: [a-z0-9_.-], 1..64.
// Pure; thread-safe for reading once built.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "console/core/i18n.h"
#include "console/core/roles.h"

namespace picket::console {

struct Account {
  std::string login;
  std::string name;  // shown beside the login; may be empty
  Role role = Role::kViewer;
  std::string hash;  // argon2id string
  Lang lang = Lang::kEnglish;
};

bool IsLoginName(std::string_view text);

class Accounts {
 public:
  // False if the login is malformed or already present.
  bool Add(Account account);
  const Account* Find(std::string_view login) const;
  size_t size() const { return by_login_.size(); }
  bool empty() const { return by_login_.empty(); }

  // The account if `password` is its password. For an unknown login the work of one
  // verification is still done (against another account's hash), so the answer's timing
  // does not tell which logins exist. Slow (argon2id): HTTP worker threads only.
  const Account* Authenticate(std::string_view login, std::string_view password) const;

 private:
  std::map<std::string, Account, std::less<>> by_login_;
};

}  // namespace picket::console
