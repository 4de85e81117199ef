#include "sim/link_relay.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <thread>
#include <zmq.hpp>

using namespace picket::sim;

namespace {

// A free TCP port on 127.0.0.1 (bound, read, closed).
int FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

// One request through REQ -> relay -> REP, answered; false if no answer within `ms`.
bool RoundTrip(zmq::context_t& ctx, const std::string& via, zmq::socket_t& rep, int ms) {
  zmq::socket_t req(ctx, zmq::socket_type::req);
  req.set(zmq::sockopt::linger, 0);
  req.connect(via);
  req.send(zmq::str_buffer("ping"), zmq::send_flags::none);
  zmq::pollitem_t items[] = {{rep.handle(), 0, ZMQ_POLLIN, 0}};
  if (zmq::poll(items, 1, std::chrono::milliseconds(ms)) <= 0) return false;
  zmq::message_t got;
  (void)rep.recv(got);
  rep.send(zmq::str_buffer("pong"), zmq::send_flags::none);
  zmq::pollitem_t back[] = {{req.handle(), 0, ZMQ_POLLIN, 0}};
  if (zmq::poll(back, 1, std::chrono::milliseconds(ms)) <= 0) return false;
  (void)req.recv(got);
  return got.to_string() == "pong";
}

}  // namespace

TEST_CASE("link relay: ZeroMQ goes through it, not while it is cut, and again after",
          "[sim][link]") {
  zmq::context_t ctx;
  zmq::socket_t rep(ctx, zmq::socket_type::rep);
  rep.set(zmq::sockopt::linger, 0);
  rep.bind("tcp://127.0.0.1:*");
  const std::string bus = rep.get(zmq::sockopt::last_endpoint);
  const std::string listen = "tcp://127.0.0.1:" + std::to_string(FreePort());
  LinkRelay relay(listen, bus);
  std::string error;
  REQUIRE(relay.Start(&error));
  CHECK(RoundTrip(ctx, listen, rep, 5000));

  relay.SetUp(false);
  // A REQ sent while the link is cut gets no answer (the REP never sees it).
  CHECK_FALSE(RoundTrip(ctx, listen, rep, 700));
  relay.SetUp(true);
  CHECK(RoundTrip(ctx, listen, rep, 5000));

  LinkRelay wrong("udp://127.0.0.1:1", bus);
  CHECK_FALSE(wrong.Start(&error));
  CHECK(error == "a link listens on tcp://host:port, not udp://127.0.0.1:1");
}
