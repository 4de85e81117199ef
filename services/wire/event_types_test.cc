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
  CHECK(names.size() == 71);  // + bus.publish_refused and four <service>.command_refused
  CHECK_FALSE(BodySchemaFor("terminal.not_registered").has_value());
  CHECK(FindRegisteredType("terminal.not_registered") == nullptr);
  CHECK(FindRegisteredType("shift.started")->name == "shift.started");
}

TEST_CASE("Every required field is a Text field of its body listed once in schema order",
          "[event_types]") {
  size_t declared = 0;
  for (const auto& t : AllEventTypes()) {
    INFO(t.name);
    int last_index = -1;
    for (std::string_view field : t.required) {
      INFO(field);
      // A std::string keeps the NUL that kj::StringPtr needs.
      KJ_IF_MAYBE (f, t.body.findFieldByName(std::string(field).c_str())) {
        CHECK(f->getType().which() == capnp::schema::Type::TEXT);
        CHECK(static_cast<int>(f->getIndex()) > last_index);
        last_index = static_cast<int>(f->getIndex());
      } else {
        FAIL("not a field of " << t.body.getShortDisplayName().cStr());
      }
      ++declared;
    }
  }
  CHECK(declared == 18);  // terminal.* and shift.*: docs/protocol.md says why no others
}

TEST_CASE("The namespaces of registered types are closed and the others free", "[event_types]") {
  for (std::string_view type :
       {"terminal.x", "shift.x", "escalation.x", "notify.x", "access.x", "patrol.x", "scoring.x"})
    CHECK(InRegisteredNamespace(type));
  for (std::string_view type :
       {"demo.tick", "score.points_awarded", "tally.x", "terminals.x", "term.x"})
    CHECK_FALSE(InRegisteredNamespace(type));
}

TEST_CASE("docs/protocol.md lists every registered event type with its body and required fields",
          "[event_types]") {
  std::ifstream in(PICKET_PROTOCOL_DOC);
  REQUIRE(in.good());
  std::stringstream doc;
  doc << in.rdbuf();
  for (const auto& t : AllEventTypes()) {
    // "| `shift.started` | `ShiftStarted` (`roster.capnp`) | `person`, `post`, `role` |",
    // "| `escalation.alert_raised` | `AlertRaised` (`escalation.capnp`) | — |"
    std::string body = t.body.getShortDisplayName();
    std::string file = t.body.getProto().getDisplayName().cStr();  // "[dir/]roster.capnp:X"
    file = file.substr(0, file.find(':'));
    file = file.substr(file.rfind('/') + 1);
    std::string required;
    for (std::string_view f : t.required)
      required += (required.empty() ? "`" : ", `") + std::string(f) + "`";
    std::string row = "| `" + std::string(t.name) + "` | `" + body + "` (`" + file + "`) | " +
                      (required.empty() ? "—" : required) + " |";
    INFO(row);
    CHECK(doc.str().find(row) != std::string::npos);
  }
}

TEST_CASE("A derived type is owned by the service its namespace names", "[event_types]") {
  CHECK(OwnerOf("patrol.checkpoint_missed") == "patrol");
  CHECK(OwnerOf("escalation.incident_acknowledged") == "escalation");
  CHECK(OwnerOf("scoring.entry_voided") == "scoring");
  CHECK(OwnerOf("access.unregistered_entry") == "access");
  CHECK(OwnerOf("terminal.pass_scanned").empty());  // observations: any terminal
  CHECK(OwnerOf("shift.started").empty());
  CHECK(OwnerOf("demo.tick").empty());  // free namespaces
  CHECK(OwnerOf("patrol").empty());
}

}  // namespace picket
