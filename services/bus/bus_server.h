// picket-bus: owns the sockets, the log, the loop and the HTTP endpoint, and wires the
// ingest and replay endpoints, heartbeats and retention into one single-threaded loop.
//
// Life cycle: construct -> Start() (validates the config, opens the log, binds every
// endpoint, starts /metrics, then writes <data_dir>/ready) -> Run() or RunOnce() ...
// -> Shutdown() (also done by the destructor): stops reading, flushes the log, closes the
// sockets, removes the ready file.
//
// Thread-safety: everything runs on the thread that calls Run/RunOnce, except
// RequestStop(), which any thread may call, and the HTTP endpoint's own thread, which only
// reads metrics.
#pragma once

#include <zmq.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "bus/bus_metrics.h"
#include "bus/ingest.h"
#include "bus/log_store.h"
#include "bus/replay_endpoint.h"
#include "bus/replay_sessions.h"
#include "runtime/clock.h"
#include "runtime/event_loop.h"
#include "runtime/http_endpoint.h"
#include "runtime/metrics.h"
#include "runtime/site_config.h"
#include "runtime/site_keys.h"
#include "runtime/zap_authenticator.h"

namespace picket {

struct BusServerOptions {
  std::string site_id;
  BusConfig bus;
  std::string data_dir;                                 // the RocksDB log and the ready file
  Micros replay_idle_timeout = 60 * kMicrosPerSecond;   // zero credit this long: dropped
  Micros maintenance_interval = 10 * kMicrosPerSecond;  // retention and session expiry
  size_t prune_rows_per_pass = 10000;
  bool start_http = true;
  // The bus's CURVE key and the site's keys (identity "bus"); plain by default. On a site
  // with [security] every endpoint is a CURVE server admitting only the listed keys, and
  // ingest authorizes each publish by role (bus/publish_access.h).
  SiteKeys keys;
};

// The endpoints as bound (tcp ports resolved), as written to the ready file.
struct BoundEndpoints {
  std::string ingest, events, replay;
  std::string http;  // host:port, empty when HTTP is off
};

class BusServer {
 public:
  // `clock` must outlive the server.
  BusServer(BusServerOptions options, const Clock& clock);
  ~BusServer();
  BusServer(const BusServer&) = delete;
  BusServer& operator=(const BusServer&) = delete;

  // Returns false and sets *error (one actionable line) if the bus cannot start.
  bool Start(std::string* error);

  // Runs until RequestStop() or a watched fd stops it; then calls Shutdown().
  void Run();
  // One loop iteration (for tests that drive the loop themselves).
  void RunOnce(int timeout_ms);
  // Thread-safe, async-signal-safe: asks the loop to stop.
  void RequestStop();
  // Calls `on_readable` (on the loop thread) when `fd` is readable, then stops the loop:
  // used for the signalfd of SIGTERM/SIGINT. Call before Run().
  void StopWhenReadable(int fd, std::function<void()> on_readable);
  // Flushes and closes everything; idempotent.
  void Shutdown();

  // Retention and session expiry now (normally on a timer). Loop thread only.
  void RunMaintenance();

  const BoundEndpoints& endpoints() const { return bound_; }
  LogStore& store() { return *store_; }
  const MetricsRegistry& metrics() const { return registry_; }
  std::string ReadyFilePath() const;

 private:
  bool Bind(zmq::socket_t& socket, const std::string& endpoint, std::string* bound,
            std::string* error);
  bool StartHttp(std::string* error);
  bool WriteReadyFile(std::string* error);
  void OnIngest();
  void OnReplay();
  void ScheduleReplay(Micros delay);
  void ServeReplay();
  void Heartbeat();
  void CheckStorage();
  void UpdateGauges();

  BusServerOptions options_;
  const Clock& clock_;
  MetricsRegistry registry_;
  BusMetrics metrics_;
  zmq::context_t context_;
  std::unique_ptr<ZapAuthenticator> zap_;  // before the sockets bind (Start)
  zmq::socket_t ingest_socket_, events_socket_, replay_socket_;
  std::unique_ptr<LogStore> store_;
  ReplaySessions sessions_;
  SubscriberReports reports_;
  std::unique_ptr<IngestEndpoint> ingest_;
  std::unique_ptr<ReplayEndpoint> replay_;
  std::unique_ptr<HttpEndpoint> http_;
  EventLoop loop_;
  int wake_fd_ = -1;  // eventfd written by RequestStop
  bool replay_scheduled_ = false;
  bool started_ = false;
  bool shut_down_ = false;
  BoundEndpoints bound_;
};

}  // namespace picket
