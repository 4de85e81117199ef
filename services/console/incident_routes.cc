// The Incidents page's API and the live stream (ConsoleHttp, console_http.h).
#include <spdlog/spdlog.h>

#include "console/console_http.h"
#include "wire/event_names.h"

namespace picket::console {
namespace {

constexpr size_t kMaxText = 2000;  // escalation's limit for notes and reasons
constexpr auto kKeepAlive = std::chrono::seconds(15);

std::optional<uint64_t> IncidentIdOrReply(const httplib::Request& req, httplib::Response& res) {
  auto id = ParseId(req.matches[1].str());
  if (!id)
    ReplyError(res, {400, "bad_request", "'" + req.matches[1].str() + "' is not an incident id"});
  return id;
}

// Holds one of the limited stream slots for as long as the stream's provider lives.
class StreamSlot {
 public:
  explicit StreamSlot(std::atomic<int>& count) : count_(count) {}
  ~StreamSlot() { --count_; }
  StreamSlot(const StreamSlot&) = delete;
  StreamSlot& operator=(const StreamSlot&) = delete;

 private:
  std::atomic<int>& count_;
};

}  // namespace

void ConsoleHttp::RouteIncidents() {
  server_.Get("/api/incidents", [this](const httplib::Request& req, httplib::Response& res) {
    if (!Admit(req, res, Permission::kView, false)) return;
    BoardSnapshot board = state_.Board();
    nlohmann::json open = nlohmann::json::array(), closed = nlohmann::json::array();
    for (const auto& v : board.open) open.push_back(IncidentJson(v));
    for (const auto& v : board.closed) closed.push_back(IncidentJson(v));
    ReplyJson(res, 200, {{"seq", board.seq}, {"open", open}, {"closed", closed}});
  });

  server_.Get(
      R"(/api/incidents/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
        if (!Admit(req, res, Permission::kView, false)) return;
        auto id = IncidentIdOrReply(req, res);
        if (!id) return;
        auto held = state_.Incident(*id);
        ApiResult detail = escalation_.Describe(*id);
        if (!held) {
          if (detail.status == 404 || detail.status == 200)
            return ReplyError(res, {404, "unknown_incident", "no incident " + std::to_string(*id)});
          return ReplyJson(res, detail.status, detail.body);
        }
        nlohmann::json history = nlohmann::json::array();
        for (const auto& line : held->second) history.push_back(HistoryJson(line));
        nlohmann::json out = {{"incident", IncidentJson(held->first)}, {"history", history}};
        if (detail.status == 200) {
          out["detail"] = detail.body;
        } else {
          out["detail"] = nullptr;
          out["detail_error"] = detail.body;
        }
        ReplyJson(res, 200, out);
      });

  using Kind = IncidentAction::Kind;
  auto action = [](Kind kind) {
    IncidentAction a;
    a.kind = kind;
    return a;
  };
  server_.Post(R"(/api/incidents/([^/]+)/acknowledge)",
               [this, action](const httplib::Request& req, httplib::Response& res) {
                 Act(req, res, action(Kind::kAcknowledge));
               });
  server_.Post(R"(/api/incidents/([^/]+)/note)",
               [this, action](const httplib::Request& req, httplib::Response& res) {
                 Act(req, res, action(Kind::kNote));
               });
  server_.Post(R"(/api/incidents/([^/]+)/steps/([^/]+)/done)",
               [this, action](const httplib::Request& req, httplib::Response& res) {
                 Act(req, res, action(Kind::kStepDone));
               });
  server_.Post(R"(/api/incidents/([^/]+)/resolve)",
               [this, action](const httplib::Request& req, httplib::Response& res) {
                 Act(req, res, action(Kind::kResolve));
               });
}

void ConsoleHttp::Act(const httplib::Request& req, httplib::Response& res, IncidentAction action) {
  auto caller = Admit(req, res, Permission::kActOnIncident, true);
  if (!caller) return;
  auto id = IncidentIdOrReply(req, res);
  if (!id) return;
  action.incident = *id;
  ApiError error;
  auto body = ParseObject(req.body, &error);
  if (!body) return ReplyError(res, error);
  if (action.kind == IncidentAction::Kind::kNote) {
    auto text = StringMember(*body, "text", true, kMaxText, &error);
    if (!text) return ReplyError(res, error);
    action.text = *text;
  } else if (action.kind == IncidentAction::Kind::kResolve) {
    auto reason = StringMember(*body, "override_reason", false, kMaxText, &error);
    if (!reason) return ReplyError(res, error);
    action.override_reason = *reason;
  } else if (action.kind == IncidentAction::Kind::kStepDone) {
    action.step = req.matches[2].str();
    if (!IsStepId(action.step))
      return ReplyError(res, {400, "bad_request", "'" + action.step + "' is not a step id"});
  }
  ApiResult result = escalation_.Act(caller->session.login, action);
  spdlog::info("console: {} {} incident {}: {}", caller->session.login, req.path, *id,
               result.status == 200 ? "done" : DumpJson(result.body));
  ReplyJson(res, result.status, result.body);
}

void ConsoleHttp::RouteStream() {
  server_.Get("/api/stream", [this](const httplib::Request& req, httplib::Response& res) {
    auto caller = Admit(req, res, Permission::kView, false);
    if (!caller) return;
    std::string from = req.get_header_value("Last-Event-ID");
    if (from.empty() && req.has_param("since")) from = req.get_param_value("since");
    uint64_t since = state_.stream().last_seq();
    if (!from.empty()) {
      auto parsed = ParseId(from);
      if (!parsed && from != "0")
        return ReplyError(res, {400, "bad_request", "Last-Event-ID / since must be a seq"});
      since = parsed ? *parsed : 0;
    }
    if (++streams_ > config_.max_streams) {
      --streams_;
      return ReplyError(res, {503, "too_many_streams", "too many live streams are open"});
    }
    auto slot = std::make_shared<StreamSlot>(streams_);
    auto cursor = std::make_shared<uint64_t>(since);
    auto started = std::make_shared<bool>(false);
    std::string token = caller->token;
    res.set_header("X-Accel-Buffering", "no");
    res.set_chunked_content_provider(
        "text/event-stream", [this, slot, cursor, started, token](size_t, httplib::DataSink& sink) {
          auto write = [&sink](const std::string& s) { return sink.write(s.data(), s.size()); };
          if (!*started) {
            *started = true;
            return write("retry: 3000\n\n" + SseMessage(0, "hello", DumpJson({{"seq", *cursor}})));
          }
          if (!state_.Peek(token, clock_.Now())) {  // logged out (here or everywhere), expired
            write(SseMessage(0, "logout", "{}"));
            sink.done();
            return true;
          }
          std::vector<StreamEntry> entries;
          if (!state_.stream().Since(*cursor, &entries)) {
            write(SseMessage(0, "reload", DumpJson({{"seq", state_.stream().last_seq()}})));
            sink.done();
            return true;
          }
          if (entries.empty()) {
            if (!state_.stream().Wait(*cursor, std::chrono::steady_clock::now() + kKeepAlive)) {
              sink.done();  // stopping
              return true;
            }
            if (state_.stream().last_seq() <= *cursor) return write(": keep-alive\n\n");
            return true;  // something new: the next call sends it
          }
          for (const StreamEntry& e : entries) {
            if (!write(SseMessage(e.seq, e.event, e.data))) return false;
            *cursor = e.seq;
          }
          return true;
        });
  });
}

}  // namespace picket::console
