// LinkRelay: a post's simulated network link to the bus, for picket-sim --drive. It
// listens on one TCP address (what the post's terminal is configured to use as a bus
// endpoint: [terminal.posts.<post>] bus_ingest / bus_events / bus_replay) and forwards
// every connection, byte for byte, to the bus's real endpoint (tcp:// or ipc://). ZeroMQ
// neither knows nor cares: the terminal's sockets simply connect through it.
//
// SetUp(false) cuts the link as a pulled cable would: every forwarded connection is closed
// and the address stops accepting (connections are refused) until SetUp(true). The
// terminal then sees the bus go away (no heartbeat), keeps what the guard types in its
// outbox, and delivers it when the link is back (ZeroMQ reconnects by itself).
//
// One thread per relay, polling its sockets; writes are blocking (localhost, small
// traffic). Thread-safe: SetUp from any thread.
#pragma once

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace picket::sim {

class LinkRelay {
 public:
  // `listen`: "tcp://host:port"; `upstream`: "tcp://host:port" or "ipc://path".
  LinkRelay(std::string listen, std::string upstream);
  ~LinkRelay();  // stops the thread, closes everything
  LinkRelay(const LinkRelay&) = delete;
  LinkRelay& operator=(const LinkRelay&) = delete;

  // Binds the listening address and starts forwarding. False + *error if it cannot.
  bool Start(std::string* error);
  // Returns once the relay's thread has applied it (at most ~100 ms).
  void SetUp(bool up);
  bool up() const { return want_up_.load(); }
  const std::string& listen() const { return listen_; }

 private:
  struct Pair {
    int down = -1, up = -1;  // the terminal's side, the bus's side
  };
  bool Listen(std::string* error);
  void Run();
  void Accept();
  void CloseAll(bool listener_too);
  // Moves what is readable on `from` to `to`; false if either side is done.
  static bool Pump(int from, int to);

  std::string listen_, upstream_;
  int listen_fd_ = -1;
  std::vector<Pair> pairs_;
  std::atomic<bool> want_up_{true}, applied_up_{true}, stop_{false};
  std::thread thread_;
};

}  // namespace picket::sim
