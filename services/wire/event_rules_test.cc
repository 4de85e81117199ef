#include "wire/event_rules.h"

#include <capnp/message.h>

#include <catch2/catch.hpp>

#include "picket/schemas/escalation.capnp.h"
#include "picket/schemas/notify.capnp.h"
#include "picket/schemas/roster.capnp.h"
#include "picket/schemas/terminal.capnp.h"
#include "wire/event_id.h"

namespace picket {
namespace {

void FillValid(wire::Event::Builder e) {
  e.setId(capnp::Data::Reader(
      reinterpret_cast<const capnp::byte*>(EventId::Random().Bytes().data()), 16));
  e.setSite("plant-1");
  e.setType("terminal.pass_scanned");
  e.setProducer("gate-1");
  e.setObservedAt(1'764'000'000'000'000);
  auto body = e.getBody().initAs<wire::PassScanned>();
  body.setPost("gate-1");
  body.setPassCode("V-1");
}

std::optional<Rejection> Check(capnp::MallocMessageBuilder& b) {
  return CheckPublishable(b.getRoot<wire::Event>().asReader(), "plant-1");
}

}  // namespace

TEST_CASE("Type names follow the dotted grammar", "[event_rules]") {
  CHECK(IsValidTypeName("access.pass_scanned"));
  CHECK(IsValidTypeName("a.b"));
  CHECK(IsValidTypeName("escalation.alert.raised2"));
  CHECK_FALSE(IsValidTypeName("access"));
  CHECK_FALSE(IsValidTypeName("_hb"));
  CHECK_FALSE(IsValidTypeName("Access.x"));
  CHECK_FALSE(IsValidTypeName("access."));
  CHECK_FALSE(IsValidTypeName(".access"));
  CHECK_FALSE(IsValidTypeName("access..x"));
  CHECK_FALSE(IsValidTypeName("a.1x"));
  CHECK_FALSE(IsValidTypeName("a." + std::string(70, 'x')));
}

TEST_CASE("A complete event is publishable", "[event_rules]") {
  capnp::MallocMessageBuilder b;
  FillValid(b.initRoot<wire::Event>());
  CHECK_FALSE(Check(b).has_value());
}

TEST_CASE("Each broken field gets its own code", "[event_rules]") {
  capnp::MallocMessageBuilder b;
  auto e = b.initRoot<wire::Event>();
  FillValid(e);
  SECTION("short id") {
    e.setId(capnp::Data::Reader(reinterpret_cast<const capnp::byte*>("abc"), 3));
    CHECK(Check(b)->code == wire::ErrorCode::OUT_OF_RANGE);
  }
  SECTION("no id") {
    e.disownId();
    CHECK(Check(b)->code == wire::ErrorCode::MISSING_FIELD);
  }
  SECTION("other site") {
    e.setSite("plant-2");
    CHECK(Check(b)->code == wire::ErrorCode::WRONG_SITE);
  }
  SECTION("empty producer") {
    e.setProducer("");
    CHECK(Check(b)->code == wire::ErrorCode::MISSING_FIELD);
  }
  SECTION("long actor") {
    e.setActor(std::string(65, 'a'));
    CHECK(Check(b)->code == wire::ErrorCode::OUT_OF_RANGE);
  }
  SECTION("bad type") {
    e.setType("PassScanned");
    CHECK(Check(b)->code == wire::ErrorCode::OUT_OF_RANGE);
  }
  SECTION("seconds instead of microseconds") {
    e.setObservedAt(1'764'000'000);
    CHECK(Check(b)->code == wire::ErrorCode::OUT_OF_RANGE);
  }
  SECTION("seq set by producer") {
    e.setSeq(5);
    CHECK(Check(b)->code == wire::ErrorCode::OUT_OF_RANGE);
  }
  SECTION("registered type without body") {
    e.getBody().clear();
    CHECK(Check(b)->code == wire::ErrorCode::UNKNOWN_TYPE);
  }
  SECTION("unregistered type may go without body") {
    e.setType("demo.tick");
    e.getBody().clear();
    CHECK_FALSE(Check(b).has_value());
  }
  SECTION("empty id") {
    e.initId(0);
    CHECK(Check(b)->code == wire::ErrorCode::MISSING_FIELD);
  }
  SECTION("unregistered type with a body") {
    e.setType("demo.tick");
    CHECK(Check(b)->code == wire::ErrorCode::UNKNOWN_TYPE);
  }
  SECTION("a body field of the wrong kind") {
    capnp::AnyStruct::Builder body = e.getBody().getAs<wire::PassScanned>();
    body.getPointerSection()[1].initAs<wire::PanicPressed>();  // a struct where Text goes
    CHECK(Check(b)->code == wire::ErrorCode::UNKNOWN_TYPE);
  }
  SECTION("a body that is a list, not a struct") {
    e.getBody().initAs<capnp::List<capnp::Text>>(1).set(0, "x");
    CHECK(Check(b)->code == wire::ErrorCode::UNKNOWN_TYPE);
  }
  SECTION("observedAt: [2000-01-01, 2200-01-01)") {
    e.setObservedAt(kMinObservedAt);
    CHECK_FALSE(Check(b).has_value());
    e.setObservedAt(kMaxObservedAt - 1);
    CHECK_FALSE(Check(b).has_value());
    e.setObservedAt(kMaxObservedAt);
    CHECK(Check(b)->code == wire::ErrorCode::OUT_OF_RANGE);
    e.setObservedAt(kMinObservedAt - 1);
    CHECK(Check(b)->code == wire::ErrorCode::OUT_OF_RANGE);
    e.setObservedAt(-1);
    CHECK(Check(b)->code == wire::ErrorCode::OUT_OF_RANGE);
  }
}

TEST_CASE("Text that is not UTF-8, or holds a NUL, is badText naming the field", "[event_rules]") {
  const std::string bad = "\xff\xfe-bad";
  const capnp::Text::Reader bad_text(bad.data(), bad.size());
  const std::string nul("gate\0-1", 7);
  const capnp::Text::Reader nul_text(nul.data(), nul.size());
  capnp::MallocMessageBuilder b;
  auto e = b.initRoot<wire::Event>();
  FillValid(e);
  auto expect = [&](const std::string& field) {
    auto r = Check(b);
    REQUIRE(r.has_value());
    CHECK(r->code == wire::ErrorCode::BAD_TEXT);
    CHECK(r->message.rfind(field + " ", 0) == 0);
    CHECK(r->message.find(bad) == std::string::npos);  // the bad bytes are not echoed
  };
  SECTION("site") {
    e.setSite(bad_text);
    expect("site");
  }
  SECTION("type") {
    e.setType(bad_text);
    expect("type");
  }
  SECTION("producer") {
    e.setProducer(bad_text);
    expect("producer");
  }
  SECTION("actor") {
    e.setActor(nul_text);
    expect("actor");
  }
  SECTION("a body field") {
    e.getBody().getAs<wire::PassScanned>().setPassCode(bad_text);
    expect("body.passCode");
  }
  SECTION("a nested body field") {
    e.setType("escalation.incident_opened");
    auto opened = e.getBody().initAs<wire::IncidentOpened>();
    opened.initTriggerFields(1)[0].setValue(nul_text);
    expect("body.triggerFields[0].value");
  }
}

TEST_CASE("Every service's event types are registered with their body schema", "[event_rules]") {
  CHECK(BodySchemaFor("escalation.alert_raised")->getProto().getId() ==
        capnp::typeId<wire::AlertRaised>());
  CHECK(BodySchemaFor("escalation.incident_opened")->getProto().getId() ==
        capnp::typeId<wire::IncidentOpened>());
  CHECK(BodySchemaFor("shift.started")->getProto().getId() == capnp::typeId<wire::ShiftStarted>());
  CHECK(BodySchemaFor("notify.delivery_failed")->getProto().getId() ==
        capnp::typeId<wire::DeliveryAttempt>());
  CHECK(BodySchemaFor("notify.delivery_stopped")->getProto().getId() ==
        capnp::typeId<wire::DeliveryStopped>());
  CHECK_FALSE(BodySchemaFor("escalation.no_such_thing").has_value());

  // A registered type with a body of the right schema passes; without one it is refused.
  capnp::MallocMessageBuilder b;
  auto e = b.initRoot<wire::Event>();
  FillValid(e);
  e.setType("escalation.alert_raised");
  e.setProducer("escalation");
  auto alert = e.getBody().initAs<wire::AlertRaised>();
  alert.setIncident(7);
  alert.setPerson("ann");
  CHECK_FALSE(Check(b).has_value());
  // The same alert from anyone but escalation: its word, not theirs.
  e.setProducer("gate-1-terminal");
  auto forged = Check(b);
  REQUIRE(forged.has_value());
  CHECK(forged->code == wire::ErrorCode::UNAUTHORIZED);
  CHECK(forged->message ==
        "only 'escalation' publishes escalation.* events; this one's producer is "
        "'gate-1-terminal'");
  // Observations come from anyone.
  e.setType("terminal.panic_pressed");
  e.getBody().initAs<wire::PanicPressed>().setPost("gate-1");
  CHECK_FALSE(Check(b).has_value());
  e.setType("escalation.alert_raised");
  e.setProducer("escalation");
  e.getBody().clear();
  CHECK(Check(b)->code == wire::ErrorCode::UNKNOWN_TYPE);
}

}  // namespace picket

namespace picket {

// Issue 9: an incident report without a post opened an incident "at ''" and skipped the
// post's leader; a shift without a role was accepted.
TEST_CASE("A registered body without one of its required fields is missingField naming it",
          "[event_rules]") {
  capnp::MallocMessageBuilder b;
  auto e = b.initRoot<wire::Event>();
  FillValid(e);
  auto expect_missing = [&](const std::string& field) {
    auto r = Check(b);
    REQUIRE(r.has_value());
    CHECK(r->code == wire::ErrorCode::MISSING_FIELD);
    CHECK_THAT(r->message, Catch::StartsWith("body." + field + " is empty or absent"));
  };
  SECTION("an incident report without a post") {
    e.setType("terminal.incident_reported");
    auto report = e.getBody().initAs<wire::IncidentReported>();
    report.setKind("intrusion");
    expect_missing("post");
    CHECK_THAT(Check(b)->message,
               Catch::EndsWith("(terminal.incident_reported requires post, kind)"));
    report.setPost("");
    expect_missing("post");
    report.setPost("gate-1");
    CHECK_FALSE(Check(b).has_value());  // the note is optional
    report.setKind("");
    expect_missing("kind");
  }
  SECTION("a shift start without a role") {
    e.setType("shift.started");
    auto shift = e.getBody().initAs<wire::ShiftStarted>();
    shift.setPerson("ann");
    shift.setPost("hq");
    expect_missing("role");
    shift.setRole("duty_officer");
    CHECK_FALSE(Check(b).has_value());
  }
  SECTION("a pass scan without a pass code") {
    e.getBody().getAs<wire::PassScanned>().setPassCode("");
    expect_missing("passCode");
  }
  SECTION("the first missing field, in the registry's order") {
    e.setType("shift.started");
    e.getBody().initAs<wire::ShiftStarted>();
    expect_missing("person");
  }
  SECTION("after the body's shape, before its text") {
    e.setType("terminal.incident_reported");
    capnp::AnyStruct::Builder any = e.getBody().initAs<wire::IncidentReported>();
    any.getPointerSection()[1].initAs<wire::PanicPressed>();  // kind is Text
    CHECK(Check(b)->code == wire::ErrorCode::UNKNOWN_TYPE);
    auto report = e.getBody().initAs<wire::IncidentReported>();
    report.setKind("intrusion");
    report.setNote(capnp::Text::Reader("\xff", 1));
    expect_missing("post");
    report.setPost("gate-1");
    CHECK(Check(b)->code == wire::ErrorCode::BAD_TEXT);
  }
  SECTION("services' derived events require nothing") {
    e.setType("escalation.alert_raised");
    e.setProducer("escalation");
    e.getBody().initAs<wire::AlertRaised>();
    CHECK_FALSE(Check(b).has_value());
  }
}

// Issue 9: `terminal.incident_reportd` (a typo) without a body was recorded.
TEST_CASE("A type not registered in a registered namespace is unknownType with or without a body",
          "[event_rules]") {
  capnp::MallocMessageBuilder b;
  auto e = b.initRoot<wire::Event>();
  FillValid(e);
  e.getBody().clear();
  for (std::string type : {"terminal.incident_reportd", "shift.start", "escalation.no_such_thing",
                           "notify.delivered", "terminal.incident_reported.extra"}) {
    INFO(type);
    e.setType(type);
    auto r = Check(b);
    REQUIRE(r.has_value());
    CHECK(r->code == wire::ErrorCode::UNKNOWN_TYPE);
    CHECK_THAT(r->message, Catch::Contains("'" + type + "' is not registered"));
  }
  e.setType("terminal.incident_reportd");
  CHECK_THAT(Check(b)->message, Catch::EndsWith(": terminal.pass_scanned, "
                                                "terminal.checkpoint_scanned, "
                                                "terminal.incident_reported, "
                                                "terminal.panic_pressed, "
                                                "terminal.manual_entry, "
                                                "terminal.visitor_arrived, "
                                                "terminal.round_started, "
                                                "terminal.round_ended"));
  // Other namespaces are free, with a null body.
  for (std::string type : {"demo.tick", "score.points_awarded", "terminals.x", "ops.note"}) {
    INFO(type);
    e.setType(type);
    CHECK_FALSE(Check(b).has_value());
  }
}

}  // namespace picket
