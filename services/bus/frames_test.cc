#include "bus/frames.h"

#include <catch2/catch.hpp>

#include "bus/bus_test_support.h"

using namespace picket;
using namespace picket::bus_testing;

TEST_CASE("frames: a reply to an unknown peer is reported, not dropped silently", "[bus][frames]") {
  zmq::context_t ctx;
  zmq::socket_t router(ctx, zmq::socket_type::router);
  router.set(zmq::sockopt::router_mandatory, 1);
  router.bind("inproc://frames");
  CHECK(SendReply(router, "no-such-peer", {}, "reply") == SendOutcome::kUnroutable);
}

TEST_CASE("frames: a reply to a full peer would block and sends nothing", "[bus][frames]") {
  zmq::context_t ctx;
  zmq::socket_t router(ctx, zmq::socket_type::router);
  router.set(zmq::sockopt::router_mandatory, 1);
  router.set(zmq::sockopt::sndhwm, 2);
  router.bind("inproc://frames");
  zmq::socket_t dealer(ctx, zmq::socket_type::dealer);
  dealer.set(zmq::sockopt::rcvhwm, 2);
  dealer.set(zmq::sockopt::routing_id, "peer");
  dealer.set(zmq::sockopt::linger, 0);
  dealer.connect("inproc://frames");
  dealer.send(zmq::str_buffer("hello"));
  auto req = ReceiveRequest(router);
  REQUIRE(WaitUntil([&] { return req || (req = ReceiveRequest(router)); }));
  CHECK(req->routing_id == "peer");
  int sent = 0;
  SendOutcome outcome = SendOutcome::kSent;
  while (sent < 10000 && (outcome = SendReply(router, "peer", {"e"}, "r")) == SendOutcome::kSent)
    ++sent;
  CHECK(outcome == SendOutcome::kWouldBlock);
  CHECK(sent >= 2);
  // Every message that was accepted arrives whole: [e][r].
  int received = 0;
  zmq::message_t a, b;
  while (dealer.recv(a, zmq::recv_flags::dontwait)) {
    REQUIRE(dealer.get(zmq::sockopt::rcvmore));
    REQUIRE(dealer.recv(b));
    CHECK(a.to_string() == "e");
    CHECK(b.to_string() == "r");
    ++received;
  }
  CHECK(received == sent);
}

TEST_CASE("frames: envelope limits", "[bus][frames]") {
  zmq::context_t ctx;
  zmq::socket_t router(ctx, zmq::socket_type::router);
  router.bind("inproc://frames");
  Client c(ctx, "inproc://frames");
  c.SendFrames({"", "body"});
  auto req = ReceiveRequest(router);
  REQUIRE(req);
  CHECK_FALSE(req->bad_frames);
  CHECK(req->envelope == std::vector<std::string>{""});
  CHECK(req->body.to_string() == "body");
  c.SendFrames({std::string(256, 'x'), "body"});
  req = ReceiveRequest(router);
  REQUIRE(req);
  CHECK(req->bad_frames);
  CHECK(req->body.to_string() == "body");
  std::vector<std::string> nine(9, "h");
  nine.push_back("body");
  c.SendFrames(nine);
  req = ReceiveRequest(router);
  REQUIRE(req);
  CHECK(req->bad_frames);
  CHECK(req->body.to_string() == "body");
  CHECK_FALSE(ReceiveRequest(router));
}
