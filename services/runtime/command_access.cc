#include "runtime/command_access.h"

namespace picket {

std::optional<std::string> WhyRefused(const Caller& caller, const CommandAccess& access,
                                      std::string_view what) {
  if (!caller.identity) return std::nullopt;  // a site without [security]
  const Identity& id = *caller.identity;
  const std::string who = "'" + id.name + "' (" + std::string(RoleName(id.role)) + ")";
  switch (id.role) {
    case Role::kService:
      return std::nullopt;
    case Role::kTerminal:
      return who + " may send no command: a terminal's key only publishes observations";
    default:
      break;
  }
  if (!PersonAtLeast(id.role, access.need))
    return who + " may not send " + std::string(what) + ": it needs a " +
           std::string(RoleName(access.need)) + " or above";
  if (!access.actor.empty() && access.actor != id.name)
    return who + " may act only as itself, not as '" + access.actor + "'";
  return std::nullopt;
}

}  // namespace picket
