// A webhook receiver for multi-process tests: an HTTP server on 127.0.0.1 (a port of its
// own) that answers 200 to every POST /hook and records each request with the time it
// arrived. Linked only by tests that also link cpp-httplib.
#pragma once

#include <httplib.h>

#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace picket::testing {

class WebhookReceiver {
 public:
  struct Hook {
    std::string body, timestamp, signature, key;
    std::chrono::steady_clock::time_point received_at;
  };
  // Listens at once (REQUIREs a port).
  WebhookReceiver();
  ~WebhookReceiver();
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  int port() const { return port_; }
  // "http://127.0.0.1:<port>/hook"
  std::string url() const;
  // Every request so far, in arrival order. Thread-safe.
  std::vector<Hook> hooks();

 private:
  httplib::Server server_;
  int port_ = -1;
  std::thread thread_;
  std::mutex mu_;  // guards hooks_: written by the server's threads, read by the test
  std::vector<Hook> hooks_;
};

}  // namespace picket::testing
