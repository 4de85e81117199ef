// RunSsePeer (sse_peer.h).
#include "sse_peer.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <vector>
#include <zmq.hpp>

#include "picket/schemas/envelope.capnp.h"
#include "wire/codec.h"

namespace picket::bench {
namespace {

constexpr char kAlertType[] = "escalation.alert_raised";

struct Client {
  int fd = -1;
  bool streaming = false;  // the request was read and the headers sent
  std::string request;     // until "\r\n\r\n"
  std::string pending;     // what the socket has not taken yet
};

// Sends what it can now; false if the client is gone.
bool Flush(Client& c) {
  while (!c.pending.empty()) {
    ssize_t n = send(c.fd, c.pending.data(), c.pending.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      c.pending.erase(0, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
    if (n < 0 && errno == EINTR) continue;
    return false;
  }
  return true;
}

int Listen(int* port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      listen(fd, 1024) != 0 || getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
    return -1;
  *port = ntohs(addr.sin_port);
  return fd;
}

// The SSE message of one recorded alert, or "" if the frame is not a readable event.
std::string AlertMessage(const zmq::message_t& frame) {
  std::string error;
  auto msg = DecodedMessage::Decode(
      std::string_view(static_cast<const char*>(frame.data()), frame.size()), &error);
  if (!msg) return "";
  std::string out;
  ReadSafely<wire::Event>(
      *msg,
      [&](wire::Event::Reader e) {
        const std::string seq = std::to_string(e.getSeq());
        out = "id: " + seq + "\nevent: alert\ndata: {\"seq\": " + seq +
              ", \"at\": " + std::to_string(e.getRecordedAt()) + "}\n\n";
      },
      &error);
  return out;
}

}  // namespace

int RunSsePeer(const SsePeerOptions& options, const std::atomic<bool>& stop) {
  zmq::context_t ctx(1);
  zmq::socket_t sub(ctx, zmq::socket_type::sub);
  sub.set(zmq::sockopt::subscribe, kAlertType);
  sub.set(zmq::sockopt::rcvhwm, 0);
  sub.connect(options.events);
  int port = 0;
  int listener = Listen(&port);
  if (listener < 0) {
    std::fprintf(stderr, "sse peer: cannot listen: %s\n", std::strerror(errno));
    return 1;
  }
  {
    std::ofstream(options.port_file + ".tmp") << port << "\n";
    std::rename((options.port_file + ".tmp").c_str(), options.port_file.c_str());
  }
  const std::string hello =
      "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
      "Cache-Control: no-store\r\n\r\nretry: 3000\n\nevent: hello\n"
      "data: {}\n\n";
  std::vector<std::unique_ptr<Client>> clients;
  std::vector<char> buffer(4096);
  while (!stop.load()) {
    std::vector<zmq::pollitem_t> items;
    items.push_back({sub.handle(), 0, ZMQ_POLLIN, 0});
    items.push_back({nullptr, listener, ZMQ_POLLIN, 0});
    for (auto& c : clients)
      items.push_back({nullptr, c->fd,
                       static_cast<short>(ZMQ_POLLIN | (c->pending.empty() ? 0 : ZMQ_POLLOUT)), 0});
    try {
      zmq::poll(items.data(), items.size(), std::chrono::milliseconds(100));
    } catch (const zmq::error_t& e) {
      if (e.num() == EINTR) continue;  // SIGTERM: the loop condition decides
      throw;
    }

    if (items[0].revents & ZMQ_POLLIN) {
      zmq::message_t type, event;
      while (sub.recv(type, zmq::recv_flags::dontwait)) {
        if (!type.more() || !sub.recv(event)) continue;
        const std::string message = AlertMessage(event);
        if (message.empty()) continue;
        for (auto& c : clients) {
          if (!c->streaming) continue;
          c->pending += message;
          if (!Flush(*c)) {
            close(c->fd);
            c->fd = -1;
            c->streaming = false;
          }
        }
      }
    }
    for (size_t i = 0; i < clients.size(); ++i) {
      Client& c = *clients[i];
      const short revents = items[i + 2].revents;
      if (c.fd < 0 || revents == 0) continue;
      if (revents & ZMQ_POLLOUT && !Flush(c)) {
        close(c.fd);
        c.fd = -1;
        continue;
      }
      if (!(revents & ZMQ_POLLIN)) continue;
      ssize_t n = recv(c.fd, buffer.data(), buffer.size(), MSG_DONTWAIT);
      if (n <= 0) {
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
        close(c.fd);
        c.fd = -1;
        continue;
      }
      if (c.streaming) continue;  // nothing more is expected from a client
      c.request.append(buffer.data(), static_cast<size_t>(n));
      if (c.request.find("\r\n\r\n") == std::string::npos) continue;
      c.streaming = true;
      c.pending = hello;
      if (!Flush(c)) {
        close(c.fd);
        c.fd = -1;
      }
    }
    std::erase_if(clients, [](const auto& c) { return c->fd < 0; });

    if (items[1].revents & ZMQ_POLLIN) {
      for (int fd; (fd = accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0;) {
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        auto c = std::make_unique<Client>();
        c->fd = fd;
        clients.push_back(std::move(c));
      }
    }
  }
  for (auto& c : clients)
    if (c->fd >= 0) close(c->fd);
  close(listener);
  return 0;
}

}  // namespace picket::bench
