// A tiny HTTP server for /metrics and /healthz, on its own thread (cpp-httplib's pool).
//
// It only reads: the metrics registry (atomics) and a health callback that must be
// thread-safe. It never touches the service's sockets or store.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "runtime/metrics.h"

namespace httplib {
class Server;
}

namespace picket {

struct Health {
  bool ok = true;
  std::string detail;  // one line, shown in the body
};

class HttpEndpoint {
 public:
  // `metrics` must outlive this. `health` is called from the HTTP thread.
  HttpEndpoint(const MetricsRegistry& metrics, std::function<Health()> health);
  ~HttpEndpoint();  // stops the server and joins its thread
  HttpEndpoint(const HttpEndpoint&) = delete;
  HttpEndpoint& operator=(const HttpEndpoint&) = delete;

  // Binds `host`:`port` (port 0 = any free port) and starts serving. Returns the bound
  // port, or -1 (with *error set) if it could not bind.
  int Start(const std::string& host, int port, std::string* error);
  // The same from "host:port" (a config value). Returns the bound "host:port", or "" with
  // *error naming `key` if the value is malformed or cannot be bound.
  std::string StartAt(const std::string& host_port, const std::string& key, std::string* error);

  // GET /metrics  -> 200 text/plain; version=0.0.4, the registry's Render()
  // GET /healthz  -> 200 "ok <detail>" or 503 "unhealthy <detail>"
  // anything else -> 404; non-GET -> 405

 private:
  const MetricsRegistry& metrics_;
  std::function<Health()> health_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
};

}  // namespace picket
