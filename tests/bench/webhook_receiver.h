// WebhookReceiver: the HTTP server the alert benchmark's webhooks are delivered to. It
// listens on 127.0.0.1:<any free port>, answers every POST 200 at once, and stamps each
// request with the wall clock (CLOCK_REALTIME, µs since the Unix epoch: the clock the bus
// stamps recordedAt with) when its whole body has been read. Bodies are kept as received;
// the caller parses them after the run, so the handler's own cost stays small.
//
// Thread-safe: requests arrive on the server's worker threads; Received() and Count() may
// be called from any thread while it runs.
#pragma once

#include <httplib.h>

#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace picket::bench {

// Microseconds since the Unix epoch, CLOCK_REALTIME (std::chrono::system_clock).
int64_t WallMicros();

struct ReceivedWebhook {
  int64_t received_at = 0;  // WallMicros() when the request had been read
  std::string path;
  std::string idempotency_key;  // the Idempotency-Key header, if any
  std::string body;
};

class WebhookReceiver {
 public:
  // Binds 127.0.0.1:0 and starts serving. `threads` bounds the requests served at once
  // (each connection carries one request, then the server closes it).
  explicit WebhookReceiver(size_t threads = 64);
  ~WebhookReceiver();
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  // The bound port; 0 if binding failed.
  int port() const { return port_; }
  std::string Url(const std::string& path) const;

  size_t Count() const;
  std::vector<ReceivedWebhook> Received() const;

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mu_;
  std::vector<ReceivedWebhook> received_;  // guarded by mu_
};

}  // namespace picket::bench
