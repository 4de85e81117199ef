#include "sim/link_relay.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

namespace picket::sim {
namespace {

// "tcp://host:port" -> host, port; false if it is not one.
bool SplitTcp(const std::string& endpoint, std::string* host, std::string* port) {
  if (endpoint.rfind("tcp://", 0) != 0) return false;
  const std::string rest = endpoint.substr(6);
  const size_t colon = rest.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == rest.size()) return false;
  *host = rest.substr(0, colon);
  *port = rest.substr(colon + 1);
  return true;
}

// A connected socket to `endpoint` (tcp:// or ipc://), or -1.
int Connect(const std::string& endpoint) {
  if (endpoint.rfind("ipc://", 0) == 0) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    const std::string path = endpoint.substr(6);
    if (path.size() >= sizeof addr.sun_path) return -1;
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) return fd;
    if (fd >= 0) ::close(fd);
    return -1;
  }
  std::string host, port;
  if (!SplitTcp(endpoint, &host, &port)) return -1;
  addrinfo hints{}, *found = nullptr;
  hints.ai_socktype = SOCK_STREAM;
  if (::getaddrinfo(host.c_str(), port.c_str(), &hints, &found) != 0) return -1;
  int fd = -1;
  for (addrinfo* a = found; a != nullptr && fd < 0; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd >= 0 && ::connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
      ::close(fd);
      fd = -1;
    }
  }
  ::freeaddrinfo(found);
  return fd;
}

bool WriteAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

LinkRelay::LinkRelay(std::string listen, std::string upstream)
    : listen_(std::move(listen)), upstream_(std::move(upstream)) {}

LinkRelay::~LinkRelay() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  CloseAll(true);
}

bool LinkRelay::Start(std::string* error) {
  if (!Listen(error)) return false;
  thread_ = std::thread([this] { Run(); });
  return true;
}

void LinkRelay::SetUp(bool up) {
  want_up_ = up;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (thread_.joinable() && applied_up_.load() != up &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
}

bool LinkRelay::Listen(std::string* error) {
  std::string host, port;
  if (!SplitTcp(listen_, &host, &port)) {
    *error = "a link listens on tcp://host:port, not " + listen_;
    return false;
  }
  addrinfo hints{}, *found = nullptr;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  if (::getaddrinfo(host.c_str(), port.c_str(), &hints, &found) != 0 || found == nullptr) {
    *error = "cannot resolve " + listen_;
    return false;
  }
  const int fd = ::socket(found->ai_family, found->ai_socktype | SOCK_CLOEXEC, found->ai_protocol);
  const int one = 1;
  const bool ok = fd >= 0 && ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == 0 &&
                  ::bind(fd, found->ai_addr, found->ai_addrlen) == 0 && ::listen(fd, 16) == 0;
  ::freeaddrinfo(found);
  if (!ok) {
    *error = "cannot listen on " + listen_ + ": " + std::strerror(errno);
    if (fd >= 0) ::close(fd);
    return false;
  }
  listen_fd_ = fd;
  return true;
}

void LinkRelay::CloseAll(bool listener_too) {
  for (const Pair& p : pairs_) {
    ::close(p.down);
    ::close(p.up);
  }
  pairs_.clear();
  if (listener_too && listen_fd_ >= 0) {
    ::close(listen_fd_);
    listen_fd_ = -1;
  }
}

void LinkRelay::Accept() {
  const int down = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
  if (down < 0) return;
  const int up = Connect(upstream_);
  if (up < 0) {  // the bus is not there: the terminal sees the connection close
    ::close(down);
    return;
  }
  pairs_.push_back({down, up});
}

bool LinkRelay::Pump(int from, int to) {
  char buf[65536];
  const ssize_t n = ::recv(from, buf, sizeof buf, 0);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
  if (n <= 0) return false;
  return WriteAll(to, buf, static_cast<size_t>(n));
}

void LinkRelay::Run() {
  while (!stop_) {
    const bool want = want_up_.load();
    if (!want && listen_fd_ >= 0) {
      CloseAll(true);  // the cable is pulled
    } else if (want && listen_fd_ < 0) {
      std::string error;
      if (!Listen(&error)) spdlog::warn("link {}: {}", listen_, error);
    }
    applied_up_ = want;
    std::vector<pollfd> fds;
    if (listen_fd_ >= 0) fds.push_back({listen_fd_, POLLIN, 0});
    for (const Pair& p : pairs_) {
      fds.push_back({p.down, POLLIN, 0});
      fds.push_back({p.up, POLLIN, 0});
    }
    const int ready = ::poll(fds.data(), fds.size(), 100);  // wakes to see stop_ and SetUp
    if (ready <= 0) continue;
    size_t i = 0;
    const bool incoming = listen_fd_ >= 0 && fds[i++].revents != 0;
    std::vector<Pair> kept;
    for (const Pair& p : pairs_) {
      const short down_ev = fds[i++].revents, up_ev = fds[i++].revents;
      const bool ok = (down_ev == 0 || Pump(p.down, p.up)) && (up_ev == 0 || Pump(p.up, p.down));
      if (ok) {
        kept.push_back(p);
      } else {
        ::close(p.down);
        ::close(p.up);
      }
    }
    pairs_ = std::move(kept);
    if (incoming) Accept();
  }
}

}  // namespace picket::sim
