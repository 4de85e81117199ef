// SseClients (sse_clients.h): connect, then one epoll loop over every socket.
#include "sse_clients.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>

#include "webhook_receiver.h"  // WallMicros

namespace picket::bench {

struct SseClients::Conn {
  int fd = -1;
  bool headers_done = false, chunked = false, ready = false, dead = false;
  std::string raw;        // bytes not yet decoded (headers, chunk framing)
  std::string text;       // decoded body not yet split into messages
  size_t chunk_left = 0;  // chunked: body bytes left in the current chunk
  bool in_chunk = false;
};

namespace {

bool ParseField(const std::string& message, const std::string& name, std::string* value) {
  size_t pos = 0;
  while (pos < message.size()) {
    size_t end = message.find('\n', pos);
    if (end == std::string::npos) end = message.size();
    std::string_view line(message.data() + pos, end - pos);
    if (line.substr(0, name.size() + 1) == name + ":") {
      line.remove_prefix(name.size() + 1);
      if (!line.empty() && line.front() == ' ') line.remove_prefix(1);
      *value = std::string(line);
      return true;
    }
    pos = end + 1;
  }
  return false;
}

}  // namespace

SseClients::~SseClients() { Close(); }

bool SseClients::Open(const SseTarget& target, int count, std::string* error) {
  epoll_ = epoll_create1(EPOLL_CLOEXEC);
  if (epoll_ < 0) {
    *error = std::string("epoll_create1: ") + std::strerror(errno);
    return false;
  }
  deliveries_.resize(count);
  counts_ = std::make_unique<std::atomic<size_t>[]>(count);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(target.port));
  if (inet_pton(AF_INET, target.host.c_str(), &addr.sin_addr) != 1) {
    *error = "not an IPv4 address: " + target.host;
    return false;
  }
  std::string request = "GET " + target.path + " HTTP/1.1\r\nHost: " + target.host + ":" +
                        std::to_string(target.port) + "\r\nAccept: text/event-stream\r\n";
  if (!target.cookie.empty()) request += "Cookie: " + target.cookie + "\r\n";
  request += "\r\n";
  for (int i = 0; i < count; ++i) {
    auto* conn = new Conn;
    conns_.push_back(conn);
    conn->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(conn->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (conn->fd < 0 || connect(conn->fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        send(conn->fd, request.data(), request.size(), MSG_NOSIGNAL) !=
            static_cast<ssize_t>(request.size())) {
      *error = "client " + std::to_string(i) + ": " + std::strerror(errno);
      return false;
    }
    fcntl(conn->fd, F_SETFL, fcntl(conn->fd, F_GETFL) | O_NONBLOCK);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = static_cast<uint64_t>(i);
    epoll_ctl(epoll_, EPOLL_CTL_ADD, conn->fd, &ev);
  }
  reader_ = std::thread([this] { ReadLoop(); });
  return true;
}

void SseClients::ReadLoop() {
  std::vector<epoll_event> events(conns_.size());
  std::vector<char> buffer(1 << 16);
  while (!stop_.load()) {
    int n = epoll_wait(epoll_, events.data(), static_cast<int>(events.size()), 100);
    if (n < 0 && errno != EINTR) break;
    const int64_t now = WallMicros();
    for (int k = 0; k < n; ++k) {
      const size_t index = events[k].data.u64;
      Conn& conn = *conns_[index];
      if (conn.dead) continue;
      while (true) {
        ssize_t got = read(conn.fd, buffer.data(), buffer.size());
        if (got > 0) {
          Consume(index, buffer.data(), static_cast<size_t>(got), now);
          if (conn.dead) break;
          continue;
        }
        if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        if (got < 0 && errno == EINTR) continue;
        Fail(index, got == 0 ? "the server closed the stream" : std::strerror(errno));
        break;
      }
    }
  }
}

void SseClients::Consume(size_t index, const char* data, size_t size, int64_t now) {
  Conn& conn = *conns_[index];
  conn.raw.append(data, size);
  if (!conn.headers_done) {
    size_t end = conn.raw.find("\r\n\r\n");
    if (end == std::string::npos) return;
    std::string headers = conn.raw.substr(0, end);
    conn.raw.erase(0, end + 4);
    if (headers.compare(0, 12, "HTTP/1.1 200") != 0)
      return Fail(index, "status: " + headers.substr(0, headers.find('\r')));
    std::string lower = headers;
    std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
    conn.chunked = lower.find("transfer-encoding: chunked") != std::string::npos;
    conn.headers_done = true;
  }
  if (!conn.chunked) {
    conn.text += conn.raw;
    conn.raw.clear();
  } else {
    while (true) {
      if (conn.in_chunk) {
        size_t take = std::min(conn.chunk_left, conn.raw.size());
        conn.text.append(conn.raw, 0, take);
        conn.raw.erase(0, take);
        conn.chunk_left -= take;
        if (conn.chunk_left > 0) break;
        if (conn.raw.size() < 2) break;  // the CRLF after the chunk is not here yet
        conn.raw.erase(0, 2);
        conn.in_chunk = false;
        continue;
      }
      size_t eol = conn.raw.find("\r\n");
      if (eol == std::string::npos) break;
      char* after = nullptr;
      const std::string size_line = conn.raw.substr(0, eol);
      conn.chunk_left = std::strtoul(size_line.c_str(), &after, 16);
      if (size_line.empty() || after == size_line.c_str())
        return Fail(index, "a malformed chunk size: " + size_line.substr(0, 20));
      conn.raw.erase(0, eol + 2);
      if (conn.chunk_left == 0) return Fail(index, "the server ended the stream");
      conn.in_chunk = true;
    }
  }
  for (size_t end; (end = conn.text.find("\n\n")) != std::string::npos;) {
    std::string message = conn.text.substr(0, end);
    conn.text.erase(0, end + 2);
    OnMessage(index, message, now);
  }
}

void SseClients::OnMessage(size_t index, const std::string& message, int64_t now) {
  Conn& conn = *conns_[index];
  std::string event, data, id;
  if (!ParseField(message, "event", &event)) return;  // retry:, a comment
  if (!conn.ready) {
    conn.ready = true;
    ready_.fetch_add(1);
  }
  if (event != "incident" && event != "alert") {
    if (event == "reload" || event == "logout") Fail(index, "the server sent " + event);
    return;
  }
  ParseField(message, "data", &data);
  auto json = nlohmann::json::parse(data, nullptr, false);
  if (!json.is_object()) return Fail(index, "data is not JSON: " + data.substr(0, 80));
  Delivery d;
  d.arrived_at = now;
  if (event == "incident") {
    if (!json.value("alert", false)) return;
    if (!ParseField(message, "id", &id)) return Fail(index, "an incident message without an id");
    d.seq = std::strtoull(id.c_str(), nullptr, 10);
    d.recorded_at = json["line"].value("at", int64_t{0});
  } else {
    d.seq = json.value("seq", uint64_t{0});
    d.recorded_at = json.value("at", int64_t{0});
  }
  deliveries_[index].push_back(d);
  counts_[index].fetch_add(1);
}

void SseClients::Fail(size_t index, const std::string& why) {
  Conn& conn = *conns_[index];
  if (conn.dead) return;
  conn.dead = true;
  epoll_ctl(epoll_, EPOLL_CTL_DEL, conn.fd, nullptr);
  failed_.fetch_add(1);
  std::lock_guard lock(failure_mu_);
  if (first_failure_.empty()) first_failure_ = "client " + std::to_string(index) + ": " + why;
}

std::string SseClients::first_failure() const {
  std::lock_guard lock(failure_mu_);
  return first_failure_;
}

size_t SseClients::min_alerts() const {
  size_t least = SIZE_MAX;
  for (size_t i = 0; i < conns_.size(); ++i) least = std::min(least, counts_[i].load());
  return conns_.empty() ? 0 : least;
}

void SseClients::Close() {
  stop_.store(true);
  if (reader_.joinable()) reader_.join();
  for (Conn* conn : conns_) {
    if (conn->fd >= 0) close(conn->fd);
    delete conn;
  }
  conns_.clear();
  if (epoll_ >= 0) close(epoll_);
  epoll_ = -1;
}

}  // namespace picket::bench
