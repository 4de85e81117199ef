// The webhook client and the worker pool against a real HTTP server on 127.0.0.1.
#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <condition_variable>
#include <future>
#include <mutex>
#include <set>
#include <thread>

#include "notify/webhook_client.h"
#include "testing/manual_clock.h"

namespace picket::notify {
namespace {

class TestServer {
 public:
  TestServer() {
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~TestServer() {
    server_.stop();
    thread_.join();
  }
  httplib::Server& server() { return server_; }
  std::string origin() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

// A port nothing listens on: bound to a plain socket, which is then closed (an
// httplib::Server keeps its listening socket open until it has run).
int ClosedPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
            ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  ::close(fd);
  REQUIRE(ok);
  return ntohs(addr.sin_port);
}

WebhookRequest Request(const std::string& origin, const std::string& path) {
  WebhookRequest r;
  r.delivery_id = std::string(16, '\x05');
  r.attempt = 2;
  r.origin = origin;
  r.path = path;
  r.timeout = 2 * kMicrosPerSecond;
  r.body = R"({"x":1})";
  r.headers = {{"Idempotency-Key", "abc"}, {"X-Picket-Signature", "sha256=00"}};
  return r;
}

}  // namespace

TEST_CASE("webhook client: posts the body and headers and reports the status", "[notify][client]") {
  TestServer s;
  std::string got_body, got_key, got_type;
  s.server().Post("/ok", [&](const httplib::Request& req, httplib::Response& res) {
    got_body = req.body;
    got_key = req.get_header_value("Idempotency-Key");
    got_type = req.get_header_value("Content-Type");
    res.status = 202;
  });
  s.server().Post("/busy",
                  [](const httplib::Request&, httplib::Response& res) { res.status = 503; });
  s.server().Post("/moved", [](const httplib::Request&, httplib::Response& res) {
    res.status = 302;
    res.set_header("Location", "/ok");
  });
  ManualClock clock(1'764'000'000'000'000);
  AttemptResult ok = SendWebhook(Request(s.origin(), "/ok"), clock);
  CHECK(ok.http_status == 202);
  CHECK(ok.error.empty());
  CHECK(ok.attempt == 2);
  CHECK(ok.delivery_id == std::string(16, '\x05'));
  CHECK(ok.finished_at == 1'764'000'000'000'000);
  CHECK(got_body == R"({"x":1})");
  CHECK(got_key == "abc");
  CHECK(got_type == "application/json");
  CHECK(SendWebhook(Request(s.origin(), "/busy"), clock).http_status == 503);
  CHECK(SendWebhook(Request(s.origin(), "/nope"), clock).http_status == 404);
  CHECK(SendWebhook(Request(s.origin(), "/moved"), clock).http_status == 302);  // not followed
}

TEST_CASE("webhook client: no answer is status 0 with a reason", "[notify][client]") {
  ManualClock clock(1);
  int port = ClosedPort();
  AttemptResult refused =
      SendWebhook(Request("http://127.0.0.1:" + std::to_string(port), "/x"), clock);
  CHECK(refused.http_status == 0);
  CHECK_FALSE(refused.error.empty());

  // A receiver that does not answer within the timeout (it waits for the test's release).
  // Declared before the server: its handler thread uses them until the server stops.
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  TestServer s;
  s.server().Post("/slow", [&](const httplib::Request&, httplib::Response& res) {
    released.wait_for(std::chrono::seconds(30));
    res.status = 200;
  });
  WebhookRequest slow = Request(s.origin(), "/slow");
  slow.timeout = 200 * kMicrosPerMilli;
  AttemptResult timed_out = SendWebhook(slow, clock);
  release.set_value();
  CHECK(timed_out.http_status == 0);
  CHECK_FALSE(timed_out.error.empty());
}

}  // namespace picket::notify
