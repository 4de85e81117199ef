// WhyPublishRefused: who may publish what at the bus on a site with [security].
#include "bus/publish_access.h"

#include <capnp/message.h>

#include <catch2/catch.hpp>

#include "picket/schemas/terminal.capnp.h"

namespace picket {
namespace {

Identity Service(const std::string& name) { return Identity{name, Role::kService, "", {}, ""}; }

// The reason `who` may not publish an event of `type` under its own name (empty if it may).
std::string Refusal(const Identity& who, const std::string& type,
                    const std::string& post = "gate-1") {
  capnp::MallocMessageBuilder b;
  auto e = b.initRoot<wire::Event>();
  e.setType(type);
  e.setProducer(who.name);
  if (type == "terminal.panic_pressed") e.getBody().initAs<wire::PanicPressed>().setPost(post);
  return WhyPublishRefused(who, e.asReader()).value_or("");
}

}  // namespace

TEST_CASE("a service publishes its own derived types and shift changes only", "[bus][security]") {
  CHECK(Refusal(Service("escalation"), "escalation.alert_raised").empty());
  CHECK(Refusal(Service("console"), "shift.started").empty());
  CHECK_THAT(Refusal(Service("patrol"), "escalation.alert_raised"),
             Catch::Contains("only its own derived types"));
  CHECK_THAT(Refusal(Service("escalation"), "terminal.panic_pressed"),
             Catch::Contains("not terminal.panic_pressed"));
}

TEST_CASE("a service outside the registered namespaces publishes its own name's types only",
          "[bus][security]") {
  CHECK(Refusal(Service("tally"), "tally.milestone").empty());
  CHECK_THAT(Refusal(Service("tally"), "demo.tick"), Catch::Contains("not demo.tick"));
  CHECK_THAT(Refusal(Service("tally"), "scoring.entry_recorded"),
             Catch::Contains("not scoring.entry_recorded"));
  // A service named like a registered namespace gets nothing of it by its name.
  CHECK_THAT(Refusal(Service("terminal"), "terminal.panic_pressed"),
             Catch::Contains("not terminal.panic_pressed"));
}

TEST_CASE("nobody publishes under another name", "[bus][security]") {
  capnp::MallocMessageBuilder b;
  auto e = b.initRoot<wire::Event>();
  e.setType("tally.milestone");
  e.setProducer("escalation");
  CHECK_THAT(WhyPublishRefused(Service("tally"), e.asReader()).value_or(""),
             Catch::Contains("only as itself"));
}

}  // namespace picket
