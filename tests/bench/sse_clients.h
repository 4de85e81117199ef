// SseClients: many Server-Sent Events clients on one epoll thread, the browsers of
// console_fanout (scripts/bench-console, docs/benchmarks.md).
//
// Each client is one TCP connection that sends `GET <path>` (with an optional Cookie) and
// reads the response: the headers, then the body, de-chunked when the server sends
// `Transfer-Encoding: chunked` (cpp-httplib does), split into SSE messages. A message is an
// alert when it is
//   - `event: incident` whose data has "alert": true (picket-console): its recordedAt is
//     data.line.at, its seq the message's id;
//   - `event: alert` (the peer): data.at and data.seq.
// For every alert, each client notes when it read it (CLOCK_REALTIME µs, the clock the bus
// stamps recordedAt with, taken when the read returned), so a delivery's latency is
// arrival - recordedAt.
//
// One thread reads every socket: reading 200 sockets after one wake-up takes the client a
// little time too, the same for every server it measures.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace picket::bench {

struct SseTarget {
  std::string host = "127.0.0.1";
  int port = 0;
  std::string path = "/api/stream";
  std::string cookie;  // "name=value" or empty
};

struct Delivery {
  uint64_t seq = 0;
  int64_t recorded_at = 0, arrived_at = 0;
};

class SseClients {
 public:
  SseClients() = default;
  ~SseClients();
  SseClients(const SseClients&) = delete;
  SseClients& operator=(const SseClients&) = delete;

  // Opens `count` connections and starts the reader thread. False (and *error) if a
  // connection cannot be made.
  bool Open(const SseTarget& target, int count, std::string* error);
  // How many clients have read a 200 status and their first message (the server's hello).
  int ready() const { return ready_.load(); }
  // Clients whose connection failed or ended, with the first reason.
  int failed() const { return failed_.load(); }
  std::string first_failure() const;
  // The fewest alerts any client has read so far.
  size_t min_alerts() const;
  // Stops the reader and closes every connection; then deliveries() is stable.
  void Close();
  // Per client, the alerts it read in order.
  const std::vector<std::vector<Delivery>>& deliveries() const { return deliveries_; }

 private:
  struct Conn;
  void ReadLoop();
  void Consume(size_t index, const char* data, size_t size, int64_t now);
  void OnMessage(size_t index, const std::string& message, int64_t now);
  void Fail(size_t index, const std::string& why);

  int epoll_ = -1;
  std::vector<Conn*> conns_;
  std::vector<std::vector<Delivery>> deliveries_;
  std::atomic<int> ready_{0}, failed_{0};
  std::atomic<bool> stop_{false};
  std::unique_ptr<std::atomic<size_t>[]> counts_;  // alerts read, per client
  mutable std::mutex failure_mu_;
  std::string first_failure_;
  std::thread reader_;
};

}  // namespace picket::bench
