#include "access/core/access_config.h"

#include <catch2/catch.hpp>

#include "access/access_test_support.h"

namespace picket::access {
namespace {

bool Has(const std::vector<std::string>& errors, std::string_view part) {
  for (const auto& e : errors)
    if (e.find(part) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("config: the defaults with gates are valid and the zone is parsed", "[access][config]") {
  AccessConfig c = testing::SiteConfig();
  CHECK(c.zone.std_name == "CET");
  CHECK(c.PostOf("north") == "post-1");
  CHECK(c.PostOf("depot") == "depot");
  CHECK(c.PostOf("west") == "west");
  CHECK(c.IsOfficer("chief"));
  CHECK_FALSE(c.IsOfficer(""));
  CHECK(c.RulesFor(PassKind::kVisitor).tracks_visits);
  CHECK_FALSE(c.RulesFor(PassKind::kStaff).tracks_visits);
}

TEST_CASE("config: validation reports every problem, one sentence each", "[access][config]") {
  AccessConfig c;
  c.time_zone = "CET-1CEST";
  c.gates = {{"north", "", std::nullopt}, {"north", "bad post", std::nullopt}, {"", "", {}}};
  c.kinds[PassKind::kVisitor].default_gates = {"west"};
  c.kinds[PassKind::kContractor].max_validity = 0;
  c.kinds.erase(PassKind::kStaff);
  c.overstay_grace = -1;
  c.overstay_repeat = 1;
  c.officers = {"ok", "not ok"};
  auto errors = ValidateAccessConfig(&c);
  INFO(errors.size());
  CHECK(Has(errors, "time_zone: time zone 'CET-1CEST'"));
  CHECK(Has(errors, "gates[1]: duplicate id 'north'"));
  CHECK(Has(errors, "gates[1]: post 'bad post'"));
  CHECK(Has(errors, "gates[2]: id '' is not a valid id"));
  CHECK(Has(errors, "kinds.visitor: default gate 'west' is not a gate"));
  CHECK(Has(errors, "kinds.contractor: max_validity must be > 0"));
  CHECK(Has(errors, "kinds.staff: missing"));
  CHECK(Has(errors, "overstay_grace"));
  CHECK(Has(errors, "overstay_repeat"));
  CHECK(Has(errors, "officers: 'not ok'"));
  CHECK(errors.size() == 10);
}

}  // namespace picket::access
