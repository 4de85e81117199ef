#include "access/access_test_support.h"

#include <catch2/catch.hpp>
#include <chrono>

#include "access/core/access_store.h"

namespace picket::access::testing {

AccessConfig SiteConfig() {
  AccessConfig c;
  c.time_zone = "CET-1CEST,M3.5.0,M10.5.0/3";
  c.gates = {{"north", "post-1", DailyHours{6 * 60, 22 * 60}},
             {"south", "post-2", std::nullopt},
             {"depot", "", std::nullopt}};
  c.kinds[PassKind::kVisitor].default_gates = {"north", "south"};
  c.officers = {"chief"};
  c.overstay_grace = 15 * kMinute;
  c.overstay_repeat = 30 * kMinute;
  c.walkups_need_approval = true;
  auto errors = ValidateAccessConfig(&c);
  REQUIRE(errors.empty());
  return c;
}

World::World(AccessConfig c) : config(std::move(c)), access(config), state(Access::Tables()) {}

CommandResult World::Run(CommandBody body, std::string actor) {
  return access.OnCommand(Command{std::move(actor), std::move(body)}, state, now);
}

void World::AddVisitorWithPass(const std::string& person, const std::string& name,
                               const std::string& code, Micros from, Micros until,
                               std::vector<std::string> aliases) {
  if (!AccessStore(state).LoadPerson("host-1"))
    REQUIRE(Run(RegisterPerson{"host-1", "Hana Host", {}, PassKind::kStaff, "Plant"}).reply.ok());
  auto reg = Run(PreRegisterVisitor{person, name, std::move(aliases), "Acme", "host-1", from});
  REQUIRE(reg.reply.ok());
  auto issued = Run(IssuePass{code, person, from, until, {}, {}});
  REQUIRE(issued.reply.ok());
}

Effects World::Scan(const std::string& code, const std::string& gate, Direction dir, Micros at,
                    const std::string& supervisor) {
  return access.OnPassScanned(PassScanned{code, gate, dir, "guard-7", supervisor, at}, state);
}

Snapshot World::Rows() const {
  Snapshot s;
  for (const auto& t : Access::Tables()) s[t] = state.Rows(t);
  return s;
}

std::vector<std::string> Types(const Effects& fx) {
  std::vector<std::string> out;
  for (const auto& e : fx.events) out.emplace_back(e.type());
  return out;
}

}  // namespace picket::access::testing
