#include "console/core/api_json.h"

#include <catch2/catch.hpp>

namespace picket::console {

TEST_CASE("console: request bodies are read strictly with clear errors") {
  ApiError e;
  REQUIRE(ParseObject("", &e)->empty());
  REQUIRE_FALSE(ParseObject("{not json", &e));
  REQUIRE(e.code == "bad_json");
  REQUIRE_FALSE(ParseObject("[1,2]", &e));
  REQUIRE(e.code == "bad_request");
  REQUIRE_FALSE(ParseObject("{\"a\": \"\xff\"}", &e));  // not UTF-8
  REQUIRE(e.code == "bad_json");

  auto j = ParseObject(R"({"text": "hello", "n": 3, "empty": "", "nul": "a\u0000b"})", &e);
  REQUIRE(j);
  REQUIRE(*StringMember(*j, "text", true, 10, &e) == "hello");
  REQUIRE_FALSE(StringMember(*j, "text", true, 3, &e));
  REQUIRE(e.message.find("longer") != std::string::npos);
  REQUIRE_FALSE(StringMember(*j, "n", true, 10, &e));
  REQUIRE(e.message == "'n' must be a string");
  REQUIRE_FALSE(StringMember(*j, "missing", true, 10, &e));
  REQUIRE(*StringMember(*j, "missing", false, 10, &e) == "");
  REQUIRE_FALSE(StringMember(*j, "empty", true, 10, &e));
  REQUIRE(*StringMember(*j, "empty", false, 10, &e) == "");
  REQUIRE_FALSE(StringMember(*j, "nul", true, 10, &e));
}

TEST_CASE("console: ids and step ids in paths are checked") {
  REQUIRE(ParseId("42") == 42u);
  REQUIRE_FALSE(ParseId("0"));
  REQUIRE_FALSE(ParseId("-1"));
  REQUIRE_FALSE(ParseId("12a"));
  REQUIRE_FALSE(ParseId("99999999999999999999"));
  REQUIRE_FALSE(ParseId(""));
  REQUIRE(IsStepId("secure_gate"));
  REQUIRE_FALSE(IsStepId("Secure"));
  REQUIRE_FALSE(IsStepId(""));
}

TEST_CASE("console: JSON output never throws on invalid UTF-8") {
  IncidentView v;
  v.post = "gate-\xff";
  std::string text = DumpJson(IncidentJson(v));
  REQUIRE(text.find("gate-") != std::string::npos);
  REQUIRE(DumpJson(ErrorJson({404, "not_found", "no incident 9"})) ==
          R"({"error":{"code":"not_found","message":"no incident 9"}})");
}

}  // namespace picket::console
