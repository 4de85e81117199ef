#include "wire/event_types.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "wire/event_rules.h"

namespace picket {

TEST_CASE("Every registered event type has a valid, unique name and a body schema",
          "[event_types]") {
  std::set<std::string_view> names;
  for (const auto& t : AllEventTypes()) {
    INFO(t.name);
    CHECK(IsValidTypeName(t.name));
    CHECK(names.insert(t.name).second);
    REQUIRE(BodySchemaFor(t.name).has_value());
    CHECK(BodySchemaFor(t.name)->getProto().getId() == t.body.getProto().getId());
  }
  CHECK(names.size() == 24);
  CHECK_FALSE(BodySchemaFor("terminal.not_registered").has_value());
}

TEST_CASE("docs/protocol.md lists every registered event type with its body", "[event_types]") {
  std::ifstream in(PICKET_PROTOCOL_DOC);
  REQUIRE(in.good());
  std::stringstream doc;
  doc << in.rdbuf();
  for (const auto& t : AllEventTypes()) {
    // "| `escalation.alert_raised` | `AlertRaised` (`escalation.capnp`) |"
    std::string body = t.body.getShortDisplayName();
    std::string row = "| `" + std::string(t.name) + "` | `" + body + "`";
    INFO(row);
    CHECK(doc.str().find(row) != std::string::npos);
  }
}

}  // namespace picket
