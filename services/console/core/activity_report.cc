#include "console/core/activity_report.h"

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace picket::console {

void SortReport(std::vector<ReportLine>& lines) {
  std::stable_sort(lines.begin(), lines.end(),
                   [](const ReportLine& a, const ReportLine& b) { return a.at < b.at; });
}

ReportCounts CountReport(const std::vector<ReportLine>& lines) {
  ReportCounts c;
  for (const ReportLine& l : lines) {
    if (l.kind == "visit") {
      ++c.visits;
      if (l.status == "on_site") ++c.visits_on_site;
    } else if (l.kind == "incident") {
      ++c.incidents;
      if (l.status == "pending" || l.status == "open" || l.status == "acknowledged")
        ++c.incidents_active;
    } else if (l.kind == "round") {
      ++c.rounds[l.status];
    }
  }
  return c;
}

namespace {

bool IsInteger(const std::string& v) {
  size_t start = !v.empty() && v[0] == '-' ? 1 : 0;
  return v.size() > start && v.find_first_not_of("0123456789", start) == std::string::npos;
}

}  // namespace

std::string CsvCell(const std::string& value) {
  std::string v = value;
  if (!v.empty() && !IsInteger(v) &&
      (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r'))
    v = "'" + v;
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string UtcText(Micros at) {
  std::time_t secs = static_cast<std::time_t>(at / kMicrosPerSecond);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d UTC", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::string ReportCsv(const std::vector<ReportLine>& lines, const std::vector<std::string>& header,
                      std::string (*time_text)(Micros)) {
  std::string out;
  auto row = [&out](const std::vector<std::string>& cells) {
    for (size_t i = 0; i < cells.size(); ++i) out += (i ? "," : "") + CsvCell(cells[i]);
    out += "\r\n";
  };
  row(header);
  for (const ReportLine& l : lines)
    row({l.at ? time_text(l.at) : "", l.kind, l.what, l.who, l.status,
         l.scored ? std::to_string(l.points) : ""});
  return out;
}

}  // namespace picket::console
