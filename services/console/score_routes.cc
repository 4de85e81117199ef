// The Scores page's API (ConsoleHttp, console_http.h): leaderboards, a total explained
// entry by entry, the best-post awards (queries to picket-scoring), and the supervisors'
// commands: void an entry, record a commendation or an inspection.
#include <spdlog/spdlog.h>

#include <charconv>

#include "console/console_http.h"

namespace picket::console {
namespace {

constexpr size_t kMaxReason = 2000;
constexpr size_t kMaxName = 64;
constexpr size_t kMaxFindings = 16;

// The query parameter `name` as a whole number in [0, max] (absent: 0). False with *error.
bool NumberParam(const httplib::Request& req, const char* name, int64_t max, int64_t* value,
                 ApiError* error) {
  *value = 0;
  if (!req.has_param(name)) return true;
  std::string text = req.get_param_value(name);
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || *value < 0 ||
      *value > max) {
    *error = {400, "bad_request",
              std::string(name) + " must be a whole number from 0 to " + std::to_string(max)};
    return false;
  }
  return true;
}

// A named choice parameter: its index, or -1 with *error.
int ChoiceParam(const httplib::Request& req, const char* name, const char* fallback,
                int (*index)(const std::string&), const char* choices, ApiError* error) {
  std::string text = req.has_param(name) ? req.get_param_value(name) : fallback;
  int i = index(text);
  if (i < 0) *error = {400, "bad_request", std::string(name) + " must be one of " + choices};
  return i;
}

// The score history: `boards` are leaderboards of consecutive periods, newest first. The
// series are the `top` best subjects of the newest one, each with its points per period,
// oldest first (0 in a period where it has none).
nlohmann::json HistoryJson(const std::vector<nlohmann::json>& boards, size_t top) {
  nlohmann::json periods = nlohmann::json::array(), series = nlohmann::json::array();
  for (auto it = boards.rbegin(); it != boards.rend(); ++it)
    periods.push_back(it->value("period", nlohmann::json::object()));
  const auto newest = boards.front().value("standings", nlohmann::json::array());
  for (size_t i = 0; i < newest.size() && i < top; ++i) {
    const std::string subject = newest[i].value("subject", "");
    nlohmann::json points = nlohmann::json::array();
    for (auto it = boards.rbegin(); it != boards.rend(); ++it) {
      int64_t p = 0;
      for (const auto& s : it->value("standings", nlohmann::json::array()))
        if (s.value("subject", "") == subject) p = s.value("points", int64_t{0});
      points.push_back(p);
    }
    series.push_back({{"subject", subject}, {"points", points}});
  }
  return {{"periods", periods}, {"series", series}};
}

constexpr char kPeriods[] = "shift, day, week, month";
constexpr char kSubjects[] = "guard, post, squad";

}  // namespace

void ConsoleHttp::RouteScores() {
  server_.Get(
      "/api/scores/leaderboard", [this](const httplib::Request& req, httplib::Response& res) {
        if (!Admit(req, res, Permission::kView, false)) return;
        ApiError e;
        int period = ChoiceParam(req, "period", "day", &PeriodIndex, kPeriods, &e);
        int subjects =
            period < 0 ? -1 : ChoiceParam(req, "subjects", "guard", &SubjectIndex, kSubjects, &e);
        int64_t at = 0, limit = 0;
        if (subjects < 0 || !NumberParam(req, "at", INT64_MAX, &at, &e) ||
            !NumberParam(req, "limit", 1000, &limit, &e))
          return ReplyError(res, e);
        ApiResult r = scoring_.Leaderboard(period, subjects, at, static_cast<uint32_t>(limit));
        ReplyJson(res, r.status, r.body);
      });

  // The chart: the leaderboards of `count` periods back from the one holding `at`, each
  // asked at the instant before the previous one's start.
  server_.Get("/api/scores/history", [this](const httplib::Request& req, httplib::Response& res) {
    if (!Admit(req, res, Permission::kView, false)) return;
    ApiError e;
    int period = ChoiceParam(req, "period", "day", &PeriodIndex, kPeriods, &e);
    int subjects =
        period < 0 ? -1 : ChoiceParam(req, "subjects", "guard", &SubjectIndex, kSubjects, &e);
    int64_t at = 0, count = 8, top = 5;
    if (subjects < 0 || !NumberParam(req, "at", INT64_MAX, &at, &e)) return ReplyError(res, e);
    if (req.has_param("count") && (!NumberParam(req, "count", 31, &count, &e) || count < 1))
      return ReplyError(res, {400, "bad_request", "count must be a whole number from 1 to 31"});
    if (req.has_param("top") && (!NumberParam(req, "top", 20, &top, &e) || top < 1))
      return ReplyError(res, {400, "bad_request", "top must be a whole number from 1 to 20"});
    std::vector<nlohmann::json> boards;
    while (static_cast<int64_t>(boards.size()) < count) {
      ApiResult r = scoring_.Leaderboard(period, subjects, at, 1000);
      if (r.status != 200) return ReplyJson(res, r.status, r.body);
      boards.push_back(r.body);
      const int64_t start =
          r.body.value("period", nlohmann::json::object()).value("start", int64_t{0});
      if (start <= 1) break;  // no earlier period
      at = start - 1;
    }
    ReplyJson(res, 200, HistoryJson(boards, static_cast<size_t>(top)));
  });

  server_.Get("/api/scores/explain", [this](const httplib::Request& req, httplib::Response& res) {
    if (!Admit(req, res, Permission::kView, false)) return;
    ApiError e;
    int kind = ChoiceParam(req, "subject_kind", "guard", &SubjectIndex, kSubjects, &e);
    int period = kind < 0 ? -1 : ChoiceParam(req, "period", "day", &PeriodIndex, kPeriods, &e);
    int64_t at = 0;
    if (period < 0 || !NumberParam(req, "at", INT64_MAX, &at, &e)) return ReplyError(res, e);
    std::string subject = req.get_param_value("subject");
    if (subject.empty() || subject.size() > kMaxName)
      return ReplyError(res, {400, "bad_request", "subject must be 1..64 bytes"});
    ApiResult r = scoring_.Explain(kind, subject, period, at);
    ReplyJson(res, r.status, r.body);
  });

  server_.Get("/api/scores/awards", [this](const httplib::Request& req, httplib::Response& res) {
    if (!Admit(req, res, Permission::kView, false)) return;
    ApiError e;
    int period = ChoiceParam(req, "period", "week", &PeriodIndex, kPeriods, &e);
    int64_t limit = 0;
    if (period < 0 || !NumberParam(req, "limit", 1000, &limit, &e)) return ReplyError(res, e);
    ApiResult r = scoring_.Awards(period, static_cast<uint32_t>(limit));
    ReplyJson(res, r.status, r.body);
  });

  server_.Post(R"(/api/scores/entries/([^/]+)/void)", [this](const httplib::Request& req,
                                                             httplib::Response& res) {
    auto caller = Admit(req, res, Permission::kRecordScore, true);
    if (!caller) return;
    auto id = ParseId(req.matches[1].str());
    if (!id)
      return ReplyError(res,
                        {400, "bad_request", "'" + req.matches[1].str() + "' is not an entry id"});
    ApiError e;
    auto body = ParseObject(req.body, &e);
    std::optional<std::string> reason;
    if (body) reason = StringMember(*body, "reason", true, kMaxReason, &e);
    if (!reason) return ReplyError(res, e);
    ApiResult r = scoring_.Void(caller->session.login, *id, *reason);
    spdlog::info("console: {} voided score entry {}: {}", caller->session.login, *id, r.status);
    ReplyJson(res, r.status, r.body);
  });

  server_.Post("/api/scores/commendations",
               [this](const httplib::Request& req, httplib::Response& res) {
                 auto caller = Admit(req, res, Permission::kRecordScore, true);
                 if (!caller) return;
                 ApiError e;
                 auto body = ParseObject(req.body, &e);
                 std::optional<std::string> post, guard, reason;
                 if (body) post = StringMember(*body, "post", false, kMaxName, &e);
                 if (post) guard = StringMember(*body, "guard", false, kMaxName, &e);
                 if (guard) reason = StringMember(*body, "reason", true, kMaxReason, &e);
                 if (!reason) return ReplyError(res, e);
                 if (post->empty() && guard->empty())
                   return ReplyError(res, {400, "bad_request", "name a post, a guard or both"});
                 ApiResult r = scoring_.Commend(caller->session.login, *post, *guard, *reason);
                 spdlog::info("console: {} commended post '{}' guard '{}': {}",
                              caller->session.login, *post, *guard, r.status);
                 ReplyJson(res, r.status, r.body);
               });

  server_.Post("/api/scores/inspections", [this](const httplib::Request& req,
                                                 httplib::Response& res) {
    auto caller = Admit(req, res, Permission::kRecordScore, true);
    if (!caller) return;
    ApiError e;
    auto body = ParseObject(req.body, &e);
    std::optional<std::string> post, guard;
    if (body) post = StringMember(*body, "post", true, kMaxName, &e);
    if (post) guard = StringMember(*body, "guard", false, kMaxName, &e);
    if (!guard) return ReplyError(res, e);
    auto it = body->find("findings");
    if (it == body->end() || !it->is_array() || it->empty() || it->size() > kMaxFindings)
      return ReplyError(res, {400, "bad_request", "'findings' must be a list of 1..16 findings"});
    std::vector<FindingInput> findings;
    for (const auto& f : *it) {
      if (!f.is_object() || !f.contains("passed") || !f["passed"].is_boolean())
        return ReplyError(res, {400, "bad_request",
                                "each finding is {\"category\", \"passed\": bool, \"note\"}"});
      auto category = StringMember(f, "category", true, kMaxName, &e);
      auto note = category ? StringMember(f, "note", false, 500, &e) : std::nullopt;
      if (!note) return ReplyError(res, e);
      findings.push_back({*category, *note, f["passed"].get<bool>()});
    }
    ApiResult r = scoring_.Inspect(caller->session.login, *post, *guard, findings);
    spdlog::info("console: {} recorded an inspection of post '{}': {}", caller->session.login,
                 *post, r.status);
    ReplyJson(res, r.status, r.body);
  });
}

}  // namespace picket::console
