// The daily activity report of a post for one shift or day: what happened there, line by
// line, from the owners' records (the console only gathers them): picket-scoring's ledger
// entries for the post in the period, picket-patrol's rounds of the post due in it,
// picket-escalation's incidents at the post first opened in it (listIncidents), and
// picket-access's visits entering at the post's gates in it (listVisits). Printable on the
// page and as CSV.
//
// Pure: standard library only.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/clock.h"

namespace picket::console {

struct ReportLine {
  Micros at = 0;
  std::string kind;              // "score", "round", "incident", "visit"
  std::string what;              // a score entry's label, a round's route, an incident's type and
                                 // id, a visit's person
  std::string who;               // the guard; the officer who resolved or acknowledged; the guard
                                 // who let the visitor in
  std::string status;            // round status, incident state, "voided", "on_site" or "left"
  int64_t points = 0;            // score entries
  bool scored = false;           // a score entry: the points column is filled
  Micros until = 0;              // a visit: when they left (0 while on site)
  std::string person_kind = {};  // a visit: "visitor", "contractor", "staff" (pass kind)
  std::string person = {};       // a visit: the person's key (`what`: their name if known)
};

// What the lines add up to (the report's totals beside picket-scoring's points).
struct ReportCounts {
  int64_t visits = 0;                     // visit lines
  int64_t visits_on_site = 0;             // ... of which still on site
  int64_t incidents = 0;                  // incident lines
  int64_t incidents_active = 0;           // ... pending, open or acknowledged
  std::map<std::string, int64_t> rounds;  // round lines by status
};
ReportCounts CountReport(const std::vector<ReportLine>& lines);

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
