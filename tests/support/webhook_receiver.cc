#include "support/webhook_receiver.h"

#include <catch2/catch.hpp>

namespace picket::testing {

WebhookReceiver::WebhookReceiver() {
  server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mu_);
    hooks_.push_back({req.body, req.get_header_value("X-Picket-Timestamp"),
                      req.get_header_value("X-Picket-Signature"),
                      req.get_header_value("Idempotency-Key"), std::chrono::steady_clock::now()});
    res.status = 200;
  });
  port_ = server_.bind_to_any_port("127.0.0.1");
  REQUIRE(port_ > 0);
  thread_ = std::thread([this] { server_.listen_after_bind(); });
}

WebhookReceiver::~WebhookReceiver() {
  server_.stop();
  thread_.join();
}

std::string WebhookReceiver::url() const {
  return "http://127.0.0.1:" + std::to_string(port_) + "/hook";
}

std::vector<WebhookReceiver::Hook> WebhookReceiver::hooks() {
  std::lock_guard<std::mutex> lock(mu_);
  return hooks_;
}

}  // namespace picket::testing
