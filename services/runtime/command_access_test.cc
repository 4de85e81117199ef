#include "runtime/command_access.h"

#include <catch2/catch.hpp>

namespace picket {
namespace {

Identity Who(const std::string& name, Role role) {
  Identity id;
  id.name = name;
  id.role = role;
  return id;
}

}  // namespace

TEST_CASE("Who may send a command: services all, people by role and as themselves",
          "[command_access][security]") {
  const Identity console = Who("console", Role::kService);
  const Identity terminal = Who("gate-1-terminal", Role::kTerminal);
  const Identity otto = Who("otto", Role::kOfficer);
  const Identity sam = Who("sam", Role::kSupervisor);
  const Identity root = Who("root", Role::kAdmin);
  const CommandAccess void_as_sam{Role::kSupervisor, "sam"};

  // A plain site authenticates nobody and lets everything through.
  CHECK_FALSE(WhyRefused(Caller{}, void_as_sam, "voidEntry"));
  // A service acts for the person it names.
  CHECK_FALSE(WhyRefused(Caller{&console}, void_as_sam, "voidEntry"));
  // A terminal sends nothing.
  CHECK_THAT(*WhyRefused(Caller{&terminal}, CommandAccess{Role::kOfficer, ""}, "listOpen"),
             Catch::Contains("may send no command"));
  // People: the role, then the actor.
  CHECK_THAT(*WhyRefused(Caller{&otto}, CommandAccess{Role::kSupervisor, "otto"}, "voidEntry"),
             Catch::Contains("'otto' (officer) may not send voidEntry: it needs a supervisor"));
  CHECK_FALSE(WhyRefused(Caller{&sam}, void_as_sam, "voidEntry"));
  CHECK_THAT(*WhyRefused(Caller{&sam}, CommandAccess{Role::kSupervisor, "kim"}, "voidEntry"),
             Catch::Contains("may act only as itself, not as 'kim'"));
  CHECK_FALSE(WhyRefused(Caller{&root}, CommandAccess{Role::kSupervisor, "root"}, "voidEntry"));
  CHECK_FALSE(WhyRefused(Caller{&otto}, CommandAccess{Role::kOfficer, ""}, "listOpen"));
  CHECK(WhyRefused(Caller{&otto}, CommandAccess{Role::kAdmin, "otto"}, "addWatchlistEntry"));
}

TEST_CASE("Person roles are ordered, terminals and services are no persons",
          "[command_access][security]") {
  CHECK(PersonAtLeast(Role::kAdmin, Role::kOfficer));
  CHECK(PersonAtLeast(Role::kSupervisor, Role::kSupervisor));
  CHECK_FALSE(PersonAtLeast(Role::kOfficer, Role::kSupervisor));
  CHECK_FALSE(PersonAtLeast(Role::kService, Role::kOfficer));
  CHECK_FALSE(PersonAtLeast(Role::kTerminal, Role::kOfficer));
  for (auto role :
       {Role::kTerminal, Role::kService, Role::kOfficer, Role::kSupervisor, Role::kAdmin})
    CHECK(RoleFromName(RoleName(role)) == role);
  CHECK_FALSE(RoleFromName("chief"));
}

}  // namespace picket
