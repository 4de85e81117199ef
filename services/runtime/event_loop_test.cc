#include "runtime/event_loop.h"
#include "testing/manual_clock.h"

#include <catch2/catch.hpp>

namespace picket {

TEST_CASE("Timers fire in due order on a manual clock", "[event_loop]") {
  ManualClock clock(1'000'000);
  EventLoop loop(clock, 1);
  std::vector<int> fired;
  loop.At(1'000'300, [&] { fired.push_back(3); });
  loop.At(1'000'100, [&] { fired.push_back(1); });
  auto cancelled = loop.At(1'000'200, [&] { fired.push_back(2); });
  loop.CancelTimer(cancelled);
  loop.RunOnce(0);
  CHECK(fired.empty());
  clock.Advance(150);
  loop.RunOnce(0);
  CHECK(fired == std::vector<int>{1});
  clock.Advance(1000);
  loop.RunOnce(0);
  CHECK(fired == std::vector<int>{1, 3});
}

TEST_CASE("Periodic timers repeat until cancelled", "[event_loop]") {
  ManualClock clock(0);
  EventLoop loop(clock, 1);
  int n = 0;
  auto id = loop.Every(10, [&] { ++n; });
  for (int i = 0; i < 5; ++i) {
    clock.Advance(10);
    loop.RunOnce(0);
  }
  CHECK(n == 5);
  loop.CancelTimer(id);
  clock.Advance(100);
  loop.RunOnce(0);
  CHECK(n == 5);
}

TEST_CASE("A socket handler runs when a message arrives", "[event_loop]") {
  SystemClock clock;
  EventLoop loop(clock);
  zmq::context_t ctx;
  zmq::socket_t pull(ctx, zmq::socket_type::pull), push(ctx, zmq::socket_type::push);
  pull.bind("inproc://loop-test");
  push.connect("inproc://loop-test");
  std::string got;
  loop.AddSocket(pull, [&] {
    zmq::message_t m;
    if (pull.recv(m, zmq::recv_flags::dontwait)) got = m.to_string();
    loop.Stop();
  });
  push.send(zmq::str_buffer("hello"), zmq::send_flags::none);
  auto deadline = clock.Now() + 5 * kMicrosPerSecond;
  while (!loop.Stopped() && clock.Now() < deadline) loop.RunOnce(100);
  CHECK(got == "hello");
}

}  // namespace picket
