// The daily activity report (ConsoleHttp, console_http.h; core/activity_report.h): a post's
// shift or day, gathered from picket-scoring (the period's bounds and the post's ledger
// entries), picket-patrol (the post's rounds due in it), picket-escalation (the incidents
// at the post first opened in it: listIncidents, from its store, however old) and
// picket-access (the visits that entered at the post's gates in it: listVisits, whose
// VisitInfo carries the post picket-access's own gate->post mapping gave the entry), as
// JSON or as CSV in the officer's language. A source that does not answer is named in
// `incomplete`; without picket-escalation the incidents the console's board still holds
// (open ones and the recently closed) stand in for its answer.
#include <map>

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
  nlohmann::json j = {{"at", l.at},   {"kind", l.kind},     {"what", l.what},
                      {"who", l.who}, {"status", l.status}, {"points", l.points}};
  if (l.kind == "visit") {
    j["until"] = l.until;
    j["person_kind"] = l.person_kind;
    j["person"] = l.person;
  }
  return j;
}

// The incident lines: picket-escalation's listIncidents, or (it did not answer: named in
// *incomplete) the incidents the console's board holds.
void AddIncidents(const EscalationClient& escalation, const ConsoleState& state,
                  const std::string& post, Micros start, Micros end, std::vector<ReportLine>* lines,
                  std::vector<std::string>* incomplete) {
  ApiResult listed = escalation.Incidents(start, end, post);
  if (listed.status == 200) {
    for (const auto& i : listed.body.value("incidents", nlohmann::json::array())) {
      if (i.value("post", "") != post) continue;
      std::string who = i.value("resolved_by", "");
      if (who.empty()) who = i.value("acknowledged_by", "");
      lines->push_back({i.value("first_opened_at", Micros{0}), "incident",
                        i.value("type", "") + " #" + std::to_string(i.value("id", uint64_t{0})),
                        who, i.value("state", ""), 0, false});
    }
    if (listed.body.value("truncated", false)) incomplete->push_back("escalation");
    return;
  }
  incomplete->push_back("escalation");
  BoardSnapshot board = state.Board();
  for (const auto* list : {&board.open, &board.closed})
    for (const IncidentView& v : *list)
      if (v.post == post && v.opened_at >= start && v.opened_at < end)
        lines->push_back({v.opened_at, "incident", v.incident_type + " #" + std::to_string(v.id),
                          v.resolved_by.empty() ? v.acknowledged_by : v.resolved_by, v.state, 0,
                          false});
}

// At most this many people's names are asked of picket-access for one report (one
// getPerson each); visitors beyond it show their key.
constexpr size_t kMaxNameLookups = 100;

// "Name (Company)" of each visit's person, from picket-access's getPerson; the key stays
// for a person it does not know (a manual entry) or beyond kMaxNameLookups. Stops asking
// at the first failure other than unknown_person (each would wait out the timeout).
void NameVisitors(const AccessClient& access, std::vector<ReportLine>* lines, size_t first) {
  std::map<std::string, std::string> names;  // person -> display ("" = keep the key)
  for (size_t i = first; i < lines->size(); ++i) {
    const std::string& person = (*lines)[i].person;
    if (names.count(person)) continue;
    if (names.size() >= kMaxNameLookups) break;
    ApiResult r = access.Person(person);
    if (r.status != 200 && r.status != 404) break;
    std::string name = r.status == 200 ? r.body.value("name", "") : "";
    std::string company = r.status == 200 ? r.body.value("company", "") : "";
    names[person] = name.empty() ? "" : company.empty() ? name : name + " (" + company + ")";
  }
  for (size_t i = first; i < lines->size(); ++i) {
    auto it = names.find((*lines)[i].person);
    if (it != names.end() && !it->second.empty()) (*lines)[i].what = it->second;
  }
}

// The visit lines: picket-access's visits entering in the period at the post.
void AddVisits(const AccessClient& access, const std::string& post, Micros start, Micros end,
               std::vector<ReportLine>* lines, std::vector<std::string>* incomplete) {
  ApiResult visits = access.Visits(start, end);
  if (visits.status != 200) {
    incomplete->push_back("access");
    return;
  }
  const size_t first = lines->size();
  for (const auto& v : visits.body.value("visits", nlohmann::json::array())) {
    if (v.value("post", "") != post) continue;
    const Micros out = v.value("checked_out_at", Micros{0});
    ReportLine l{v.value("checked_in_at", Micros{0}),
                 "visit",
                 v.value("person", ""),
                 v.value("guard_in", ""),
                 out > 0 ? "left" : "on_site",
                 0,
                 false,
                 out,
                 v.value("kind", ""),
                 v.value("person", "")};
    lines->push_back(std::move(l));
  }
  NameVisitors(access, lines, first);
}

nlohmann::json Totals(const nlohmann::json& scoring_totals, const ReportCounts& c) {
  nlohmann::json t = scoring_totals.is_object() ? scoring_totals : nlohmann::json::object();
  t["visits"] = c.visits;
  t["visits_on_site"] = c.visits_on_site;
  t["incidents"] = c.incidents;
  t["incidents_active"] = c.incidents_active;
  t["rounds"] = nlohmann::json::object();
  for (const auto& [status, n] : c.rounds) t["rounds"][status] = n;
  return t;
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
    if (end > start) {
      AddIncidents(escalation_, state_, post, start, end, &lines, &incomplete);
      AddVisits(access_, post, start, end, &lines, &incomplete);
    } else {
      incomplete.push_back("escalation");
      incomplete.push_back("access");
    }
    SortReport(lines);

    if (format == "csv") {
      Lang lang = ParseLang(caller->session.lang).value_or(Lang::kEnglish);
      for (ReportLine& l : lines) {
        if (l.kind == "visit") {
          if (!l.person_kind.empty())
            l.what += " [" + std::string(Text(lang, "kind." + l.person_kind)) + "]";
          if (l.until > 0) l.what += " → " + UtcText(l.until);
          l.status = std::string(Text(lang, "report.status." + l.status));
        }
        l.kind = std::string(Text(lang, "report.kind." + l.kind));
      }
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
               {"totals",
                Totals(scores.body.value("totals", nlohmann::json::object()), CountReport(lines))},
               {"lines", out_lines},
               {"incomplete", incomplete}});
  });
}

}  // namespace picket::console
