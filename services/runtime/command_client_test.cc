#include "runtime/command_client.h"

#include <catch2/catch.hpp>

#include <thread>
#include <vector>

namespace picket {

TEST_CASE(
    "command client: a transient reply is retried with the same bytes, no answer ends "
    "with a clear line",
    "[command_client]") {
  zmq::context_t ctx;
  zmq::socket_t router(ctx, zmq::socket_type::router);
  router.set(zmq::sockopt::linger, 0);
  router.bind("tcp://127.0.0.1:*");
  const std::string endpoint = router.get(zmq::sockopt::last_endpoint);
  std::vector<std::string> seen;
  std::thread server([&] {
    // Answers the first request "unavailable", the second "done".
    for (const char* answer : {"unavailable", "done"}) {
      zmq::message_t id, body;
      // Catch's assertions are not for other threads: a failed recv just ends the server.
      if (!router.recv(id) || !router.recv(body)) return;
      seen.push_back(body.to_string());
      router.send(id, zmq::send_flags::sndmore);
      router.send(zmq::buffer(std::string(answer)), zmq::send_flags::none);
    }
  });
  auto call = CallCommand(ctx, "picket-test", endpoint, "request-1", 3 * kMicrosPerSecond, 3,
                          [](std::string_view reply) { return reply == "unavailable"; });
  server.join();
  CHECK(call.outcome == CommandCall::Outcome::kAnswered);
  CHECK(call.reply == "done");
  CHECK(call.attempts == 2);
  CHECK(seen == std::vector<std::string>{"request-1", "request-1"});

  router.close();
  auto none = CallCommand(ctx, "picket-test", endpoint, "request-2", 300 * kMicrosPerMilli, 2);
  CHECK(none.outcome == CommandCall::Outcome::kNoAnswer);
  CHECK(none.attempts == 2);
  CHECK(none.error.find("no answer from picket-test at " + endpoint) != std::string::npos);

  auto bad = CallCommand(ctx, "picket-test", "not-an-endpoint", "r", kMicrosPerSecond);
  CHECK(bad.outcome == CommandCall::Outcome::kBadEndpoint);
}

}  // namespace picket
