// Officer roles and what each may do in the console.
//
// The roles are ordered: each holds every permission of the one before it.
//   viewer      sees every page and the live stream
//   officer     + acts on incidents (acknowledge, note, procedure step, resolve)
//   supervisor  + records inspections and commendations, voids score entries, approves
//                 walk-ups
//   admin       + ends other officers' sessions
// Pure standard C++ (services/console/core).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace picket::console {

enum class Role { kViewer = 1, kOfficer = 2, kSupervisor = 3, kAdmin = 4 };

enum class Permission {
  kView,            // read pages and the stream
  kActOnIncident,   // acknowledge, note, step done, resolve
  kRecordScore,     // inspections, commendations, voiding score entries
  kApproveWalkUp,   // pending walk-up approvals at the gates
  kManageSessions,  // end another officer's sessions
};

// "viewer", "officer", "supervisor", "admin"; nullopt for anything else.
std::optional<Role> ParseRole(std::string_view text);
std::string_view RoleName(Role role);

// Whether `role` holds `permission`.
bool Allows(Role role, Permission permission);
std::string_view PermissionName(Permission permission);
// The names of every permission `role` holds, in the enum's order (for the page).
std::vector<std::string> PermissionNames(Role role);

}  // namespace picket::console
