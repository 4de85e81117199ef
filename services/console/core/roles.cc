#include "console/core/roles.h"

namespace picket::console {
namespace {

constexpr Permission kAll[] = {Permission::kView, Permission::kActOnIncident,
                               Permission::kRecordScore, Permission::kApproveWalkUp,
                               Permission::kManageSessions};

Role Needs(Permission p) {
  switch (p) {
    case Permission::kView:
      return Role::kViewer;
    case Permission::kActOnIncident:
    case Permission::kApproveWalkUp:
      return Role::kOfficer;
    case Permission::kRecordScore:
      return Role::kSupervisor;
    case Permission::kManageSessions:
      return Role::kAdmin;
  }
  return Role::kAdmin;
}

}  // namespace

std::optional<Role> ParseRole(std::string_view text) {
  if (text == "viewer") return Role::kViewer;
  if (text == "officer") return Role::kOfficer;
  if (text == "supervisor") return Role::kSupervisor;
  if (text == "admin") return Role::kAdmin;
  return std::nullopt;
}

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kViewer:
      return "viewer";
    case Role::kOfficer:
      return "officer";
    case Role::kSupervisor:
      return "supervisor";
    case Role::kAdmin:
      return "admin";
  }
  return "viewer";
}

bool Allows(Role role, Permission permission) {
  return static_cast<int>(role) >= static_cast<int>(Needs(permission));
}

std::string_view PermissionName(Permission permission) {
  switch (permission) {
    case Permission::kView:
      return "view";
    case Permission::kActOnIncident:
      return "act_on_incident";
    case Permission::kRecordScore:
      return "record_score";
    case Permission::kApproveWalkUp:
      return "approve_walk_up";
    case Permission::kManageSessions:
      return "manage_sessions";
  }
  return "view";
}

std::vector<std::string> PermissionNames(Role role) {
  std::vector<std::string> out;
  for (Permission p : kAll)
    if (Allows(role, p)) out.emplace_back(PermissionName(p));
  return out;
}

}  // namespace picket::console
