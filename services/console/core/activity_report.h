// The daily activity report of a post for one shift or day: what happened there, line by
// line, from the owners' records (the console only gathers them): picket-scoring's ledger
// entries for the post in the period, picket-patrol's rounds of the post due in it, and
// the incidents at the post the console holds. Printable on the page and as CSV.
//
// Pure: standard library only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/clock.h"

namespace picket::console {

struct ReportLine {
  Micros at = 0;
  std::string kind;     // "score", "round", "incident"
  std::string what;     // a score entry's label, a round's route, an incident's type
  std::string who;      // the guard, or the officer who acknowledged
  std::string status;   // round status, incident state, "voided"
  int64_t points = 0;   // score entries
  bool scored = false;  // a score entry: the points column is filled
};

// Sorts by time (stable: same-time lines keep their order).
void SortReport(std::vector<ReportLine>& lines);

// CSV (RFC 4180, CRLF line ends) with `header` as the first row (6 labels: time, kind,
// what, who, status, points). `time_text` renders a line's time. A cell that starts with
// = + - @ (or a tab or CR) gets a leading ' so a spreadsheet does not run it as a formula
// (a plain integer such as -5 stays a number).
std::string ReportCsv(const std::vector<ReportLine>& lines, const std::vector<std::string>& header,
                      std::string (*time_text)(Micros));

// "2026-11-28 14:05:09 UTC" (the CSV's time column).
std::string UtcText(Micros at);

// One CSV cell: quoted when needed, formula-guarded.
std::string CsvCell(const std::string& value);

}  // namespace picket::console
