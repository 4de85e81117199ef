// Who may send a command to a service's endpoint on a site with [security]
// (docs/security.md, "What each role may do").
//
//   - a service's key may send any command: it acts for people it checked itself (the
//     console for the signed-in officer), so the actor it names is taken as given;
//   - a person's key (officer, supervisor, admin) needs at least the command's role, and
//     may act only as itself: the actor a command names must be the key's identity;
//   - a terminal's key may send no command (terminals publish observations);
//   - on a site without [security] nobody is authenticated and every command is let
//     through (keep such endpoints on loopback or ipc://).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "runtime/security_config.h"

namespace picket {

struct CommandAccess {
  Role need = Role::kOfficer;  // the least person role that may send it
  std::string actor;           // the person it acts as ("" = nobody in particular)
};

// Why `caller` may not send command `what` needing `access`, or nullopt if it may.
std::optional<std::string> WhyRefused(const Caller& caller, const CommandAccess& access,
                                      std::string_view what);

}  // namespace picket
