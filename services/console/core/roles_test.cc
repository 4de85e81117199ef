#include "console/core/roles.h"

#include <catch2/catch.hpp>

namespace picket::console {

TEST_CASE("console: roles parse by name and each holds the permissions of the one below") {
  REQUIRE(ParseRole("viewer") == Role::kViewer);
  REQUIRE(ParseRole("admin") == Role::kAdmin);
  REQUIRE_FALSE(ParseRole("Admin"));
  REQUIRE_FALSE(ParseRole(""));
  for (auto r : {Role::kViewer, Role::kOfficer, Role::kSupervisor, Role::kAdmin})
    REQUIRE(ParseRole(RoleName(r)) == r);

  REQUIRE(Allows(Role::kViewer, Permission::kView));
  REQUIRE_FALSE(Allows(Role::kViewer, Permission::kActOnIncident));
  REQUIRE(Allows(Role::kOfficer, Permission::kActOnIncident));
  REQUIRE_FALSE(Allows(Role::kOfficer, Permission::kRecordScore));
  REQUIRE(Allows(Role::kSupervisor, Permission::kRecordScore));
  REQUIRE_FALSE(Allows(Role::kViewer, Permission::kApproveWalkUp));
  REQUIRE(Allows(Role::kOfficer, Permission::kApproveWalkUp));
  REQUIRE_FALSE(Allows(Role::kSupervisor, Permission::kManageSessions));
  REQUIRE(Allows(Role::kAdmin, Permission::kManageSessions));
  REQUIRE(PermissionNames(Role::kViewer) == std::vector<std::string>{"view"});
  REQUIRE(PermissionNames(Role::kAdmin).size() == 5);
}

}  // namespace picket::console
