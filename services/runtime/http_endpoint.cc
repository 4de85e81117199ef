#include "runtime/http_endpoint.h"

#include <httplib.h>

namespace picket {

HttpEndpoint::HttpEndpoint(const MetricsRegistry& metrics, std::function<Health()> health)
    : metrics_(metrics), health_(std::move(health)), server_(std::make_unique<httplib::Server>()) {
  server_->Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(metrics_.Render(), "text/plain; version=0.0.4; charset=utf-8");
  });
  server_->Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
    Health h = health_ ? health_() : Health{};
    res.status = h.ok ? 200 : 503;
    res.set_content(
        std::string(h.ok ? "ok" : "unhealthy") + (h.detail.empty() ? "" : " " + h.detail) + "\n",
        "text/plain");
  });
  // Anything that is not a GET of a known path.
  auto not_allowed = [](const httplib::Request&, httplib::Response& res) {
    res.status = 405;
    res.set_content("method not allowed\n", "text/plain");
  };
  server_->Post(".*", not_allowed);
  server_->Put(".*", not_allowed);
  server_->Delete(".*", not_allowed);
  server_->set_payload_max_length(4096);
}

HttpEndpoint::~HttpEndpoint() {
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

int HttpEndpoint::Start(const std::string& host, int port, std::string* error) {
  int bound =
      port == 0 ? server_->bind_to_any_port(host) : (server_->bind_to_port(host, port) ? port : -1);
  if (bound < 0) {
    *error = "cannot listen on " + host + ":" + std::to_string(port);
    return -1;
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  return bound;
}

std::string HttpEndpoint::StartAt(const std::string& host_port, const std::string& key,
                                  std::string* error) {
  auto colon = host_port.rfind(':');
  int port = -1;
  if (colon != std::string::npos && colon + 1 < host_port.size() && colon + 6 >= host_port.size() &&
      host_port.find_first_not_of("0123456789", colon + 1) == std::string::npos)
    port = std::stoi(host_port.substr(colon + 1));
  if (colon == std::string::npos || colon == 0 || port < 0 || port > 65535) {
    *error = key + " must be host:port, got '" + host_port + "'";
    return "";
  }
  std::string host = host_port.substr(0, colon);
  int bound = Start(host, port, error);
  if (bound < 0) return "";
  return host + ":" + std::to_string(bound);
}

}  // namespace picket
