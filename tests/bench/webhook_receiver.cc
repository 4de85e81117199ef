#include "webhook_receiver.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <chrono>

namespace picket::bench {

namespace {

// Debian's cpp-httplib is a compiled library whose listen backlog is 5
// (CPPHTTPLIB_LISTEN_BACKLOG, fixed when the library was built). Bursts of new connections
// (Alertmanager sends many notifications at once) overflow it, the kernel drops the SYN and
// the sender retries it a second later: a 1 s "latency" that belongs to the receiver (seen
// as TcpExtListenOverflows in nstat). Linux lets listen() be called again on a listening
// socket to change its backlog, so find the server's socket by its port and do that.
void RaiseListenBacklog(int port, int backlog) {
  for (int fd = 3; fd < 4096; ++fd) {
    int listening = 0;
    socklen_t len = sizeof listening;
    if (::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) != 0 || !listening) continue;
    sockaddr_in addr{};
    len = sizeof addr;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0 ||
        addr.sin_family != AF_INET || ntohs(addr.sin_port) != port)
      continue;
    ::listen(fd, backlog);
    return;
  }
}

}  // namespace

int64_t WallMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

WebhookReceiver::WebhookReceiver(size_t threads) {
  server_.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  // One request per connection: a kept-alive idle connection would hold a server thread
  // for the keep-alive timeout, and a sender that keeps many open (Alertmanager's Go
  // client does) would then queue behind them. picket-notify closes after each request
  // anyway, so both targets pay one loopback connect per webhook.
  server_.set_keep_alive_max_count(1);
  server_.set_tcp_nodelay(true);
  server_.Post(R"(/.*)", [this](const httplib::Request& req, httplib::Response& res) {
    ReceivedWebhook r;
    r.received_at = WallMicros();
    r.path = req.path;
    r.idempotency_key = req.get_header_value("Idempotency-Key");
    r.body = req.body;
    {
      std::lock_guard<std::mutex> lock(mu_);
      received_.push_back(std::move(r));
    }
    res.status = 200;
    res.set_content("{}", "application/json");
  });
  port_ = server_.bind_to_any_port("127.0.0.1");
  if (port_ > 0) {
    RaiseListenBacklog(port_, 4096);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  } else {
    port_ = 0;
  }
}

WebhookReceiver::~WebhookReceiver() {
  server_.stop();
  if (thread_.joinable()) thread_.join();
}

std::string WebhookReceiver::Url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

size_t WebhookReceiver::Count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return received_.size();
}

std::vector<ReceivedWebhook> WebhookReceiver::Received() const {
  std::lock_guard<std::mutex> lock(mu_);
  return received_;
}

}  // namespace picket::bench
