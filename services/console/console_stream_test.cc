// HTTP-level tests of the Incidents API (read model, officers' actions through the
// scripted picket-escalation) and of the live stream (SSE, Last-Event-ID resume).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <condition_variable>
#include <thread>

#include "console/console_test_support.h"

namespace picket::console::test {
namespace {

nlohmann::json Json(const httplib::Result& r) { return nlohmann::json::parse(r->body); }

// Reads GET /api/stream on its own thread until `done(text so far)` or the deadline.
class StreamReader {
 public:
  StreamReader(int port, httplib::Headers headers, std::string path)
      : cli_(std::make_unique<httplib::Client>("127.0.0.1", port)) {
    cli_->set_read_timeout(20);
    thread_ = std::thread([this, headers, path] {
      auto r = cli_->Get(path, headers, [&](const char* data, size_t n) {
        std::lock_guard lock(mu_);
        text_.append(data, n);
        cv_.notify_all();
        return !stop_;
      });
      std::lock_guard lock(mu_);
      status_ = r ? r->status : -1;
      if (r && text_.empty()) text_ = r->body;
      finished_ = true;
      cv_.notify_all();
    });
  }
  ~StreamReader() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cli_->stop();  // do not wait for the next keep-alive
    thread_.join();
  }
  // Waits (10 s at most) until the text read holds `needle`.
  bool WaitFor(const std::string& needle) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(10),
                        [&] { return text_.find(needle) != std::string::npos; });
  }
  bool WaitFinished() {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(10), [&] { return finished_; });
  }
  std::string text() {
    std::lock_guard lock(mu_);
    return text_;
  }
  int status() {
    std::lock_guard lock(mu_);
    return status_;
  }
  // Stops at the next data (the server sends a keep-alive at least every 15 s).
  void Stop() {
    std::lock_guard lock(mu_);
    stop_ = true;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::string text_;
  bool stop_ = false, finished_ = false;
  int status_ = 0;
  std::unique_ptr<httplib::Client> cli_;
  std::thread thread_;
};

uint64_t Alert(ConsoleFixture& f, uint64_t id, const std::string& person) {
  return f.Publish(event_types::kAlertRaised, [&](wire::AlertRaised::Builder b) {
    b.setIncident(id);
    b.setVersion(2);
    b.setPerson(person);
    b.setLevel(1);
    b.setTarget("role:duty_officer");
    b.setReason("opened");
    b.setNote("door forced");
  });
}

}  // namespace

TEST_CASE("console: incidents: the list follows escalation's events, most severe first") {
  ConsoleFixture f;
  auto cli = f.Client();
  auto val = Login(cli, "val", "pw-val");
  f.Open(1, wire::Severity::LOW);
  f.Open(2, wire::Severity::CRITICAL, "hq");
  uint64_t seq = Alert(f, 2, "ann");
  auto r = cli.Get("/api/incidents", val->Headers());
  REQUIRE(r->status == 200);
  REQUIRE(r->get_header_value("Cache-Control") == "no-store");
  auto j = Json(r);
  REQUIRE(j["seq"] == seq);
  REQUIRE(j["open"].size() == 2);
  REQUIRE(j["open"][0]["id"] == 2);
  REQUIRE(j["open"][0]["severity"] == 4);
  REQUIRE(j["open"][0]["alerted"] == nlohmann::json::array({"ann"}));
  REQUIRE(j["open"][0]["note"] == "door forced");
  REQUIRE(j["open"][1]["id"] == 1);

  f.Publish(
      event_types::kIncidentResolved,
      [](wire::IncidentResolved::Builder b) {
        b.setIncident(1);
        b.setVersion(3);
      },
      "ann");
  j = Json(cli.Get("/api/incidents", val->Headers()));
  REQUIRE(j["open"].size() == 1);
  REQUIRE(j["closed"][0]["resolved_by"] == "ann");
}

TEST_CASE("console: incidents: one incident with its history and escalation's procedure") {
  ConsoleFixture f;
  auto cli = f.Client();
  auto val = Login(cli, "val", "pw-val");
  f.Open(5, wire::Severity::HIGH);
  Alert(f, 5, "ann");
  auto r = cli.Get("/api/incidents/5", val->Headers());
  REQUIRE(r->status == 200);
  auto j = Json(r);
  REQUIRE(j["incident"]["id"] == 5);
  REQUIRE(j["history"].size() == 2);
  REQUIRE(j["history"][1]["type"] == "escalation.alert_raised");
  REQUIRE(j["history"][1]["params"]["person"] == "ann");
  REQUIRE(j["detail"]["procedure"][0]["phrase"] == "Stop. Security.");
  REQUIRE(j["detail"]["procedure"][0]["mandatory"] == true);

  auto unknown = cli.Get("/api/incidents/99", val->Headers());
  f.escalation().SetReply([](const ReceivedRequest&, wire::EscalationReply::Builder b) {
    b.setError(wire::EscalationError::UNKNOWN_INCIDENT);
  });
  unknown = cli.Get("/api/incidents/99", val->Headers());
  REQUIRE(unknown->status == 404);
  REQUIRE(ErrorCode(unknown) == "unknown_incident");
  auto bad = cli.Get("/api/incidents/abc", val->Headers());
  REQUIRE(bad->status == 400);
  REQUIRE(ErrorCode(bad) == "bad_request");
  // The procedure is unavailable, the rest is still shown.
  f.escalation().SetReply([](const ReceivedRequest&, wire::EscalationReply::Builder b) {
    b.setError(wire::EscalationError::UNAVAILABLE);
  });
  j = Json(cli.Get("/api/incidents/5", val->Headers()));
  REQUIRE(j["detail"].is_null());
  REQUIRE(j["detail_error"]["error"]["code"] == "unavailable");
}

TEST_CASE("console: incidents: officers' actions reach escalation with their login as actor") {
  ConsoleFixture f;
  auto cli = f.Client();
  auto ann = Login(cli, "ann", "pw-ann");
  auto ack = PostJson(cli, "/api/incidents/5/acknowledge", "", *ann);
  REQUIRE(ack->status == 200);
  REQUIRE(Json(ack) == nlohmann::json({{"incident", 5}, {"version", 7}, {"unpublished", false}}));
  REQUIRE(PostJson(cli, "/api/incidents/5/note", R"({"text":"on my way"})", *ann)->status == 200);
  REQUIRE(PostJson(cli, "/api/incidents/5/steps/secure_gate/done", "{}", *ann)->status == 200);
  REQUIRE(
      PostJson(cli, "/api/incidents/5/resolve", R"({"override_reason":"jammed"})", *ann)->status ==
      200);
  auto got = f.escalation().Received();
  REQUIRE(got.size() == 4);
  REQUIRE(got[0].kind == "acknowledge");
  REQUIRE(got[0].actor == "ann");
  REQUIRE(got[0].incident == 5);
  REQUIRE(got[0].command_id_bytes == 16);
  REQUIRE(got[1].text == "on my way");
  REQUIRE(got[2].step == "secure_gate");
  REQUIRE(got[3].override_reason == "jammed");
}

TEST_CASE("console: incidents: bad action input is refused before escalation hears of it") {
  ConsoleFixture f;
  auto cli = f.Client();
  auto ann = Login(cli, "ann", "pw-ann");
  auto code = [&](const std::string& path, const std::string& body) {
    return ErrorCode(PostJson(cli, path, body, *ann));
  };
  REQUIRE(code("/api/incidents/5/note", "{\"text\": ") == "bad_json");
  REQUIRE(code("/api/incidents/5/note", "{}") == "bad_request");
  REQUIRE(code("/api/incidents/5/note", R"({"text":""})") == "bad_request");
  REQUIRE(code("/api/incidents/5/note", R"({"text":7})") == "bad_request");
  REQUIRE(code("/api/incidents/5/note", "{\"text\":\"" + std::string(2001, 'x') + "\"}") ==
          "bad_request");
  REQUIRE(code("/api/incidents/5/note", R"({"text":"a\u0000b"})") == "bad_request");
  REQUIRE(code("/api/incidents/0/acknowledge", "{}") == "bad_request");
  REQUIRE(code("/api/incidents/-3/acknowledge", "{}") == "bad_request");
  REQUIRE(code("/api/incidents/5/steps/NOT%20A%20STEP/done", "{}") == "bad_request");
  REQUIRE(code("/api/incidents/5/resolve", R"({"override_reason":["x"]})") == "bad_request");
  auto huge = PostJson(cli, "/api/incidents/5/note",
                       "{\"text\":\"" + std::string(20000, 'x') + "\"}", *ann);
  REQUIRE(huge->status == 413);
  REQUIRE(f.escalation().Received().empty());
}

TEST_CASE("console: incidents: escalation's refusals become 404, 409 and 403, its silence 503") {
  ConsoleFixture f([](ConsoleConfig& c) { c.command_timeout = 600 * 1000; });
  auto cli = f.Client();
  auto ann = Login(cli, "ann", "pw-ann");
  auto answer = [&](wire::EscalationError e) {
    f.escalation().SetReply([e](const ReceivedRequest&, wire::EscalationReply::Builder b) {
      b.setError(e);
      b.setMessage("refused");
      if (e == wire::EscalationError::MANDATORY_STEPS) b.initMissingSteps(1).set(0, "secure_gate");
    });
  };
  answer(wire::EscalationError::UNKNOWN_INCIDENT);
  auto r = PostJson(cli, "/api/incidents/9/acknowledge", "{}", *ann);
  REQUIRE(r->status == 404);
  REQUIRE(ErrorCode(r) == "unknown_incident");
  answer(wire::EscalationError::ALREADY_ACKNOWLEDGED);
  r = PostJson(cli, "/api/incidents/9/acknowledge", "{}", *ann);
  REQUIRE(r->status == 409);
  REQUIRE(ErrorCode(r) == "already_acknowledged");
  answer(wire::EscalationError::MANDATORY_STEPS);
  r = PostJson(cli, "/api/incidents/9/resolve", "{}", *ann);
  REQUIRE(r->status == 409);
  REQUIRE(Json(r)["error"]["missing_steps"] == nlohmann::json::array({"secure_gate"}));
  answer(wire::EscalationError::UNAUTHORIZED);
  REQUIRE(PostJson(cli, "/api/incidents/9/acknowledge", "{}", *ann)->status == 403);
  answer(wire::EscalationError::UNKNOWN_STEP);
  REQUIRE(PostJson(cli, "/api/incidents/9/steps/x/done", "{}", *ann)->status == 404);
  answer(wire::EscalationError::UNAVAILABLE);
  r = PostJson(cli, "/api/incidents/9/acknowledge", "{}", *ann);
  REQUIRE(r->status == 503);
  REQUIRE(ErrorCode(r) == "unavailable");
}

TEST_CASE("console: stream: live events carry the bus seq as id and a resume misses nothing") {
  ConsoleFixture f;
  auto cli = f.Client();
  auto val = Login(cli, "val", "pw-val");
  uint64_t s1 = f.Open(1, wire::Severity::HIGH);
  uint64_t board_seq = Json(cli.Get("/api/incidents", val->Headers()))["seq"];
  REQUIRE(board_seq == s1);
  uint64_t s2 = 0, s3 = 0;
  {
    StreamReader live(f.port(), val->Headers(), "/api/stream?since=" + std::to_string(board_seq));
    REQUIRE(live.WaitFor("event: hello"));
    s2 = Alert(f, 1, "ann");
    REQUIRE(live.WaitFor("id: " + std::to_string(s2) + "\nevent: incident\n"));
    REQUIRE(live.text().find("\"alert\":true") != std::string::npos);
    REQUIRE(live.text().find("id: " + std::to_string(s1) + "\n") == std::string::npos);
    live.Stop();
    s3 = f.Open(2, wire::Severity::LOW);  // the reader stops at this one
  }
  // Reconnecting with the last id it saw, the page gets what came after.
  httplib::Headers resume = val->Headers();
  resume.emplace("Last-Event-ID", std::to_string(s2));
  StreamReader again(f.port(), resume, "/api/stream?since=" + std::to_string(board_seq));
  REQUIRE(again.WaitFor("id: " + std::to_string(s3) + "\n"));
  REQUIRE(again.text().find("id: " + std::to_string(s2) + "\n") == std::string::npos);
}

TEST_CASE("console: a console started on a store that has the model shows it at once") {
  ConsoleFixture f;
  f.Open(1, wire::Severity::HIGH);
  uint64_t last = Alert(f, 1, "ann");
  f.Publish(event_types::kAccessDenied, [](wire::AccessDenied::Builder b) {
    b.setPost("gate-1");
    b.setPerson("bob");
    b.setReason("expired");
  });
  // A second console on the same (real RocksDB) store, as after a restart: the board and
  // the gate feed are loaded from the stored model, the stream starts at the applied seq.
  ConsoleConfig config = TestConfig(f.escalation().endpoint());
  ConsoleService again(f.harness().host(), config);
  std::string error;
  REQUIRE(again.Start(&error));
  const std::string& bound = again.http_bound();
  httplib::Client cli("127.0.0.1", std::stoi(bound.substr(bound.rfind(':') + 1)));
  auto val = Login(cli, "val", "pw-val");
  auto j = Json(cli.Get("/api/incidents", val->Headers()));
  REQUIRE(j["seq"] == last + 1);
  REQUIRE(j["open"].size() == 1);
  REQUIRE(j["open"][0]["alerted"] == nlohmann::json::array({"ann"}));
  auto detail = Json(cli.Get("/api/incidents/1", val->Headers()));
  REQUIRE(detail["history"].size() == 2);
  auto gates = Json(cli.Get("/api/gates/decisions", val->Headers()));
  REQUIRE(gates["decisions"][0]["reason"] == "expired");
  // A page that saw less than the restarted console holds is told to reload.
  std::string text;
  auto r = cli.Get("/api/stream?since=1", val->Headers(), [&text](const char* data, size_t n) {
    text.append(data, n);
    return true;
  });
  REQUIRE(r);
  REQUIRE(r->status == 200);
  REQUIRE(text.find("event: reload") != std::string::npos);
  again.Stop();
}

TEST_CASE("console: stream: a resume older than the ring is told to reload") {
  ConsoleFixture f([](ConsoleConfig& c) { c.stream_ring = 16; });
  auto cli = f.Client();
  auto val = Login(cli, "val", "pw-val");
  for (uint64_t id = 1; id <= 20; ++id) f.Open(id, wire::Severity::LOW);
  StreamReader old(f.port(), val->Headers(), "/api/stream?since=1");
  REQUIRE(old.WaitFor("event: reload"));
  REQUIRE(old.WaitFinished());
  REQUIRE(old.status() == 200);
  auto bad = cli.Get("/api/stream?since=abc", val->Headers());
  REQUIRE(bad->status == 400);
}

TEST_CASE("console: stream: the number of live streams is bounded and logout ends a stream") {
  ConsoleFixture f([](ConsoleConfig& c) {
    c.max_streams = 1;
    c.http_threads = 4;
  });
  auto cli = f.Client();
  auto val = Login(cli, "val", "pw-val");
  auto first = std::make_unique<StreamReader>(f.port(), val->Headers(), "/api/stream");
  REQUIRE(first->WaitFor("event: hello"));
  auto second = cli.Get("/api/stream", val->Headers());
  REQUIRE(second);
  REQUIRE(second->status == 503);
  REQUIRE(ErrorCode(second) == "too_many_streams");
  REQUIRE(PostJson(cli, "/api/logout", "{}", *val)->status == 200);
  f.Open(1, wire::Severity::LOW);  // wakes the stream, which finds its session gone
  REQUIRE(first->WaitFor("event: logout"));
  REQUIRE(first->WaitFinished());
}

}  // namespace picket::console::test
