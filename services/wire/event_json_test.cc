#include "wire/event_json.h"

#include <capnp/message.h>

#include <catch2/catch.hpp>

#include "picket/schemas/terminal.capnp.h"
#include "wire/codec.h"
#include "wire/event_id.h"

namespace picket {
namespace {

constexpr const char* kPassJson =
    R"({"id":"00112233445566778899aabbccddeeff","site":"plant-1","type":"terminal.pass_scanned",)"
    R"("producer":"gate-1","actor":"guard-7","observedAt":1764104584123000,"seq":1234,)"
    R"("recordedAt":1764104584125000,"body":{"post":"gate-1","passCode":"V-17","direction":"out"}})";

// Decodes `text` into a fresh event; returns the error ("" on success).
std::string Decode(capnp::MallocMessageBuilder& b, std::string_view text) {
  std::string error;
  if (EventFromJsonText(text, b.initRoot<wire::Event>(), &error)) return "";
  REQUIRE_FALSE(error.empty());
  return error;
}

std::string DecodeError(std::string_view text) {
  capnp::MallocMessageBuilder b;
  return Decode(b, text);
}

}  // namespace

TEST_CASE("An event goes to JSON and back unchanged", "[event_json]") {
  capnp::MallocMessageBuilder b;
  REQUIRE(Decode(b, kPassJson).empty());
  auto e = b.getRoot<wire::Event>().asReader();
  CHECK(std::string(e.getSite().cStr()) == "plant-1");
  CHECK(e.getSeq() == 1234);
  CHECK(e.getObservedAt() == 1764104584123000);
  auto body = e.getBody().getAs<wire::PassScanned>();
  CHECK(std::string(body.getPassCode().cStr()) == "V-17");
  CHECK(body.getDirection() == wire::Direction::OUT);

  std::string error;
  auto line = EventToJsonLine(e, &error);
  REQUIRE(line.has_value());
  CHECK(*line == kPassJson);  // same keys, same order, same values
}

TEST_CASE("Every registered body type round-trips", "[event_json]") {
  const char* bodies[][2] = {
      {"terminal.checkpoint_scanned", R"({"post":"p","tag":"T-9"})"},
      {"terminal.incident_reported", R"({"post":"p","kind":"fence","note":"hole, 2 m"})"},
      {"terminal.panic_pressed", R"({"post":"p","duress":true})"},
  };
  for (auto& [type, body] : bodies) {
    std::string text = std::string(R"({"type":")") + type + R"(","body":)" + body + "}";
    capnp::MallocMessageBuilder b;
    REQUIRE(Decode(b, text).empty());
    std::string error;
    auto j = EventToJson(b.getRoot<wire::Event>().asReader(), &error);
    REQUIRE(j.has_value());
    CHECK((*j)["body"] == nlohmann::ordered_json::parse(body));
  }
}

TEST_CASE("Absent fields keep the defaults the caller set", "[event_json]") {
  capnp::MallocMessageBuilder b;
  auto e = b.initRoot<wire::Event>();
  e.setSite("plant-1");
  e.setObservedAt(42);
  std::string error;
  REQUIRE(EventFromJsonText(R"({"type":"terminal.panic_pressed","producer":"gate-2",
                               "body":{"post":"gate-2"}})",
                            e, &error));
  CHECK(std::string(e.getSite().cStr()) == "plant-1");
  CHECK(e.getObservedAt() == 42);
  CHECK(std::string(e.getProducer().cStr()) == "gate-2");
}

TEST_CASE("Unregistered types carry no body", "[event_json]") {
  capnp::MallocMessageBuilder b;
  REQUIRE(Decode(b, R"({"type":"ops.note","producer":"x","body":null})").empty());
  std::string error;
  auto j = EventToJson(b.getRoot<wire::Event>().asReader(), &error);
  REQUIRE(j.has_value());
  CHECK_FALSE(j->contains("body"));
  CHECK_THAT(DecodeError(R"({"type":"ops.note","body":{"a":1}})"),
             Catch::Contains("no registered body schema"));
}

TEST_CASE("Bad input gets a message naming the problem", "[event_json]") {
  using Catch::Contains;
  CHECK_THAT(DecodeError("{\"type\": "), Contains("not valid JSON"));
  CHECK_THAT(DecodeError("[1,2]"), Contains("must be a JSON object"));
  CHECK_THAT(DecodeError(R"({"colour":"red"})"), Contains("unknown field 'colour'"));
  CHECK_THAT(DecodeError(R"({"id":"abc"})"), Contains("id: must be 32 hex digits"));
  CHECK_THAT(DecodeError(R"({"site":7})"), Contains("site: must be a string"));
  CHECK_THAT(DecodeError(R"({"observedAt":1.5})"), Contains("observedAt: must be an integer"));
  CHECK_THAT(DecodeError(R"({"observedAt":"now"})"), Contains("observedAt: must be an integer"));
  CHECK_THAT(DecodeError(R"({"observedAt":18446744073709551615})"), Contains("out of range"));
  CHECK_THAT(DecodeError(R"({"seq":-1})"), Contains("seq: must be a non-negative integer"));
  CHECK_THAT(DecodeError(R"({"type":"Bad Type"})"), Contains("not a dotted lower-case name"));
  CHECK_THAT(DecodeError(R"({"producer":")" + std::string(65, 'p') + R"("})"),
             Contains("producer: longer than 64 bytes"));
  CHECK_THAT(DecodeError(R"({"type":"terminal.pass_scanned"})"),
             Contains("needs a body object (fields: post, passCode, direction, gate, supervisor)"));
  CHECK_THAT(DecodeError(R"({"type":"terminal.pass_scanned","body":{"lane":"x"}})"),
             Contains("body: unknown field 'lane'"));
  // A value of the wrong kind names its field and says what it must be.
  CHECK(DecodeError(R"({"type":"terminal.pass_scanned","body":{"post":5}})") ==
        "body: field 'post' must be text (a JSON string), got a number");
  CHECK(DecodeError(R"({"type":"terminal.pass_scanned","body":{"post":null}})") ==
        "body: field 'post' must be text (a JSON string), got null");
  CHECK(DecodeError(R"({"type":"terminal.pass_scanned","body":{"direction":1}})") ==
        "body: field 'direction' must be one of the names: in, out, got a number");
  CHECK_THAT(DecodeError(R"({"type":"terminal.pass_scanned","body":{"direction":"sideways"}})"),
             Contains("body:"));
}

TEST_CASE("The human line shows seq, time, type, producer, actor and body", "[event_json]") {
  capnp::MallocMessageBuilder b;
  REQUIRE(Decode(b, kPassJson).empty());
  CHECK(FormatEventLine(b.getRoot<wire::Event>().asReader()) ==
        "#1234 2025-11-25T21:03:04.125Z terminal.pass_scanned gate-1 actor=guard-7 "
        R"({"post":"gate-1","passCode":"V-17","direction":"out"})");
}

TEST_CASE("A body that is not a struct is reported, not thrown", "[event_json]") {
  capnp::MallocMessageBuilder b;
  auto e = b.initRoot<wire::Event>();
  e.setType("terminal.panic_pressed");
  e.getBody().setAs<capnp::Text>("not a struct");
  std::string error;
  CHECK_FALSE(EventToJson(e.asReader(), &error).has_value());
  CHECK_THAT(error, Catch::Contains("not a struct"));
  CHECK_THAT(FormatEventLine(e.asReader()), Catch::Contains("<unreadable body"));
}

TEST_CASE("Times format as UTC with milliseconds", "[event_json]") {
  CHECK(FormatMicrosUtc(0) == "1970-01-01T00:00:00.000Z");
  CHECK(FormatMicrosUtc(1764104584123999) == "2025-11-25T21:03:04.123Z");
  CHECK(FormatMicrosUtc(-1000) == "1969-12-31T23:59:59.999Z");
}

}  // namespace picket
