#include "picketctl/event_input.h"

#include <catch2/catch.hpp>

#include "wire/codec.h"
#include "wire/event_json.h"

namespace picket {
namespace {

constexpr Micros kNow = 1'764'104'584'123'000;

EventDefaults Defaults() { return EventDefaults{"plant-1", "picketctl", kNow}; }

// The JSON of an encoded event, for checking what was built.
nlohmann::ordered_json Decoded(const std::string& encoded) {
  std::string error;
  auto msg = DecodedMessage::Decode(encoded, &error);
  REQUIRE(msg);
  auto j = EventToJson(msg->Root<wire::Event>(), &error);
  REQUIRE(j.has_value());
  return *j;
}

}  // namespace

TEST_CASE("Flags make an event with defaults for what they do not say", "[event_input]") {
  EventFlags flags;
  flags.type = "terminal.panic_pressed";
  flags.body = R"({"post":"gate-2"})";
  flags.actor = "guard-7";
  std::string error;
  auto encoded = EncodeEventFromFlags(flags, Defaults(), &error);
  REQUIRE(encoded.has_value());
  auto j = Decoded(*encoded);
  CHECK(j["site"] == "plant-1");
  CHECK(j["producer"] == "picketctl");
  CHECK(j["actor"] == "guard-7");
  CHECK(j["observedAt"] == kNow);
  CHECK(j["seq"] == 0);
  CHECK(j["id"].get<std::string>().size() == 32);
  CHECK(j["body"]["post"] == "gate-2");
}

TEST_CASE("Two events from the same flags get different ids", "[event_input]") {
  EventFlags flags;
  flags.type = "ops.note";
  std::string error;
  auto a = Decoded(*EncodeEventFromFlags(flags, Defaults(), &error));
  auto b = Decoded(*EncodeEventFromFlags(flags, Defaults(), &error));
  CHECK(a["id"] != b["id"]);
}

TEST_CASE("Bad flags and JSON are refused before any round trip", "[event_input]") {
  using Catch::Contains;
  std::string error;
  EventFlags flags;
  flags.type = "terminal.panic_pressed";
  flags.body = "{post:";
  CHECK_FALSE(EncodeEventFromFlags(flags, Defaults(), &error));
  CHECK_THAT(error, Contains("--body: not valid JSON"));

  CHECK_FALSE(EncodeEventFromJson(R"({"type":"ops.note","seq":5})", Defaults(), &error));
  CHECK_THAT(error, Contains("outOfRange: seq and recordedAt are set by the bus"));

  CHECK_FALSE(EncodeEventFromJson(R"({"type":"ops.note"})", EventDefaults{}, &error));
  CHECK_THAT(error, Contains("give --config or --site"));

  CHECK_FALSE(
      EncodeEventFromJson(R"({"type":"ops.note","observedAt":1764104584})", Defaults(), &error));
  CHECK_THAT(error, Contains("microseconds"));
}

TEST_CASE("A JSON file may be one object, an array or JSON lines", "[event_input]") {
  std::string error;
  CHECK(SplitJsonEvents("{\n \"type\": \"a.b\"\n}\n", &error)->size() == 1);
  CHECK(SplitJsonEvents(R"([{"type":"a.b"},{"type":"a.c"}])", &error)->size() == 2);
  auto lines = SplitJsonEvents("{\"type\":\"a.b\"}\n\n{\"type\":\"a.c\"}\n", &error);
  REQUIRE(lines.has_value());
  CHECK(lines->size() == 2);
  CHECK((*lines)[1] == R"({"type":"a.c"})");
  CHECK_FALSE(SplitJsonEvents("{\"type\":\"a.b\"}\n{oops\n", &error));
  CHECK_THAT(error, Catch::Contains("line 2: not valid JSON"));
  CHECK_FALSE(SplitJsonEvents("42", &error));
}

}  // namespace picket
