#include "console/core/activity_report.h"

#include <catch2/catch.hpp>

namespace picket::console {

TEST_CASE("console: report CSV quotes what needs it and defuses formulas") {
  REQUIRE(CsvCell("plain") == "plain");
  REQUIRE(CsvCell("a,b") == "\"a,b\"");
  REQUIRE(CsvCell("say \"hi\"") == "\"say \"\"hi\"\"\"");
  REQUIRE(CsvCell("line\nbreak") == "\"line\nbreak\"");
  REQUIRE(CsvCell("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"");
  REQUIRE(CsvCell("-3") == "-3");
  REQUIRE(CsvCell("-3+cmd") == "'-3+cmd");
  REQUIRE(CsvCell("") == "");
}

TEST_CASE("console: the report is sorted by time and rendered one line per record") {
  std::vector<ReportLine> lines = {{200, "round", "night", "ann", "completed", 0},
                                   {100, "score", "missed checkpoint", "bob", "", -5, true},
                                   {200, "incident", "intrusion", "ann", "resolved", 0}};
  SortReport(lines);
  REQUIRE(lines[0].kind == "score");
  REQUIRE(lines[1].kind == "round");
  std::string csv = ReportCsv(lines, {"time", "kind", "what", "who", "status", "points"},
                              [](Micros at) { return std::to_string(at); });
  REQUIRE(csv ==
          "time,kind,what,who,status,points\r\n"
          "100,score,missed checkpoint,bob,,-5\r\n"
          "200,round,night,ann,completed,\r\n"
          "200,incident,intrusion,ann,resolved,\r\n");
  REQUIRE(UtcText(1764000000LL * kMicrosPerSecond) == "2025-11-24 16:00:00 UTC");
}

}  // namespace picket::console
