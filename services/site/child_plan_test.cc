#include "site/child_plan.h"

#include <catch2/catch.hpp>

namespace picket {
namespace {

PlanPaths Paths() { return {"/etc/picket/site.toml", "/opt/picket/bin", "/var/lib/picket/"}; }

SiteConfig Site() {
  SiteConfig site;
  site.id = "plant-1";
  site.services = {"access", "bus"};
  site.run["sim"].command = {"picket-sim", "--config", "{config}", "--log={data_dir}/x"};
  return site;
}

}  // namespace

TEST_CASE("The bus comes first, then services, then run entries", "[child_plan]") {
  std::string error;
  auto plan = PlanChildren(Site(), Paths(), &error);
  REQUIRE(plan.has_value());
  REQUIRE(plan->size() == 3);
  CHECK((*plan)[0].name == "bus");
  CHECK((*plan)[0].is_bus);
  CHECK((*plan)[0].argv == std::vector<std::string>{"/opt/picket/bin/picket-bus", "--config",
                                                    "/etc/picket/site.toml", "--data-dir",
                                                    "/var/lib/picket/bus"});
  CHECK((*plan)[1].name == "access");
  CHECK_FALSE((*plan)[1].is_bus);
  CHECK((*plan)[1].data_dir == "/var/lib/picket/access");
  CHECK((*plan)[1].log_path == "/var/lib/picket/logs/access.log");
  CHECK((*plan)[2].name == "sim");
  CHECK((*plan)[2].argv == std::vector<std::string>{"picket-sim", "--config",
                                                    "/etc/picket/site.toml",
                                                    "--log=/var/lib/picket/sim/x"});
}

TEST_CASE("A run entry may not reuse a service's name", "[child_plan]") {
  SiteConfig site = Site();
  site.run["bus"].command = {"true"};
  std::string error;
  CHECK_FALSE(PlanChildren(site, Paths(), &error).has_value());
  CHECK_THAT(error, Catch::Contains("two processes are named 'bus'"));
}

TEST_CASE("'logs' is reserved for the processes' output", "[child_plan]") {
  SiteConfig site = Site();
  site.run["logs"].command = {"true"};
  std::string error;
  CHECK_FALSE(PlanChildren(site, Paths(), &error).has_value());
  CHECK_THAT(error, Catch::Contains("'logs' cannot be a process name"));
}

TEST_CASE("Placeholders are replaced wherever they occur, repeatedly", "[child_plan]") {
  const PlanPaths paths{"c", "b", "r"};
  CHECK(SubstitutePlaceholders("{data_dir}:{data_dir}/{config}", paths, "d") == "d:d/c");
  CHECK(SubstitutePlaceholders("{bin}/picket-terminal {data_root}/in", paths, "d") ==
        "b/picket-terminal r/in");
  CHECK(SubstitutePlaceholders("{other}", paths, "d") == "{other}");
  // A replacement that contains a placeholder is not expanded again.
  CHECK(SubstitutePlaceholders("{config}", PlanPaths{"{data_dir}", "b", "r"}, "d") == "{data_dir}");
}

}  // namespace picket
