// The daily activity report (ConsoleHttp, console_http.h; core/activity_report.h): a post's
// shift or day, gathered from picket-scoring (the period's bounds and the post's ledger
// entries), picket-patrol (the post's rounds due in it) and the console's board (its
// incidents opened in it), as JSON or as CSV in the officer's language.
#include "console/console_http.h"
#include "console/core/activity_report.h"
#include "console/core/i18n.h"

namespace picket::console {
namespace {

bool IsPostId(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
  return true;
}

nlohmann::json LineJson(const ReportLine& l) {
  return {{"at", l.at},   {"kind", l.kind},     {"what", l.what},
          {"who", l.who}, {"status", l.status}, {"points", l.points}};
}

}  // namespace

void ConsoleHttp::RouteReports() {
  server_.Get("/api/reports/daily", [this](const httplib::Request& req, httplib::Response& res) {
    auto caller = Admit(req, res, Permission::kView, false);
    if (!caller) return;
    std::string post = req.get_param_value("post");
    std::string period = req.has_param("period") ? req.get_param_value("period") : "day";
    std::string format = req.has_param("format") ? req.get_param_value("format") : "json";
    std::string at_text = req.has_param("at") ? req.get_param_value("at") : "0";
    auto at = at_text == "0" ? std::optional<uint64_t>(0) : ParseId(at_text);
    if (!IsPostId(post)) return ReplyError(res, {400, "bad_request", "post must be a post id"});
    if (period != "shift" && period != "day")
      return ReplyError(res, {400, "bad_request", "period must be shift or day"});
    if (format != "json" && format != "csv")
      return ReplyError(res, {400, "bad_request", "format must be json or csv"});
    if (!at) return ReplyError(res, {400, "bad_request", "at must be a time (µs) or 0"});

    ApiResult scores =
        scoring_.Explain(SubjectIndex("post"), post, PeriodIndex(period), static_cast<Micros>(*at));
    if (scores.status != 200) return ReplyJson(res, scores.status, scores.body);
    const nlohmann::json p = scores.body.value("period", nlohmann::json::object());
    if (!p.is_object() || !p.contains("start") || !p.contains("end"))
      return ReplyError(res, {502, "bad_gateway", "picket-scoring answered without a period"});
    Micros start = p.value("start", Micros{0}), end = p.value("end", Micros{0});
    std::vector<ReportLine> lines;
    std::vector<std::string> incomplete;
    for (const auto& e : scores.body.value("entries", nlohmann::json::array()))
      lines.push_back({e.value("at", Micros{0}), "score", e.value("label", ""),
                       e.value("guard", ""), e.value("voided", false) ? "voided" : "",
                       e.value("points", int64_t{0}), true});
    ApiResult rounds = end > start ? patrol_.Rounds(start, end, post) : ApiResult{503, {}};
    if (rounds.status == 200) {
      for (const auto& r : rounds.body.value("rounds", nlohmann::json::array())) {
        std::string who = r.value("guard", "");
        lines.push_back({r.value("due", Micros{0}), "round", r.value("route", ""),
                         who.empty() ? r.value("assigned", "") : who, r.value("status", ""), 0,
                         false});
      }
    } else {
      incomplete.push_back("patrol");
    }
    BoardSnapshot board = state_.Board();
    for (const auto* list : {&board.open, &board.closed})
      for (const IncidentView& v : *list)
        if (v.post == post && v.opened_at >= start && v.opened_at < end)
          lines.push_back({v.opened_at, "incident", v.incident_type + " #" + std::to_string(v.id),
                           v.resolved_by.empty() ? v.acknowledged_by : v.resolved_by, v.state, 0,
                           false});
    SortReport(lines);

    if (format == "csv") {
      Lang lang = ParseLang(caller->session.lang).value_or(Lang::kEnglish);
      for (ReportLine& l : lines) l.kind = std::string(Text(lang, "report.kind." + l.kind));
      std::vector<std::string> header;
      for (const char* key :
           {"col.time", "report.kind", "report.what", "report.who", "col.status", "col.points"})
        header.emplace_back(Text(lang, key));
      res.set_header("Content-Disposition", "attachment; filename=\"activity-" + post + "-" +
                                                period + "-" + std::to_string(start) + ".csv\"");
      res.set_content(ReportCsv(lines, header, &UtcText), "text/csv; charset=utf-8");
      return;
    }
    nlohmann::json out_lines = nlohmann::json::array();
    for (const ReportLine& l : lines) out_lines.push_back(LineJson(l));
    ReplyJson(res, 200,
              {{"post", post},
               {"period", p},
               {"totals", scores.body.value("totals", nlohmann::json::object())},
               {"lines", out_lines},
               {"incomplete", incomplete}});
  });
}

}  // namespace picket::console
