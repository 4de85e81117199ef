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

TEST_CASE("console: the report counts visits, incidents and rounds by status") {
  std::vector<ReportLine> lines = {
      {100, "visit", "vis-1", "rita", "left", 0, false, 150, "visitor"},
      {110, "visit", "vis-2", "rita", "on_site", 0, false, 0, "contractor"},
      {120, "incident", "intrusion #3", "otto", "resolved", 0},
      {130, "incident", "panic #4", "", "pending", 0},
      {140, "round", "night", "ann", "completed", 0},
      {150, "round", "night", "ann", "completed", 0},
      {160, "round", "day", "bob", "not_started", 0},
      {170, "score", "round on time", "ann", "", 5, true}};
  ReportCounts c = CountReport(lines);
  CHECK(c.visits == 2);
  CHECK(c.visits_on_site == 1);
  CHECK(c.incidents == 2);
  CHECK(c.incidents_active == 1);
  CHECK(c.rounds == std::map<std::string, int64_t>{{"completed", 2}, {"not_started", 1}});
  CHECK(CountReport({}).visits == 0);
}

}  // namespace picket::console
