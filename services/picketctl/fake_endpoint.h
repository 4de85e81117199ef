// FakeEndpoint: a stand-in for a service's command endpoint in picketctl's process tests.
// A ROUTER on tcp://127.0.0.1:* served by a thread: it records each request frame and
// answers it with what `script(index)` returns (nullopt: no answer, as a service that is
// down or slow), for `expected` requests or 10 s. Tests only.
#pragma once

#include <zmq.hpp>
#include <zmq_addon.hpp>

#include <functional>
#include <iterator>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace picket::testing {

class FakeEndpoint {
 public:
  using Script = std::function<std::optional<std::string>(size_t index)>;

  FakeEndpoint(size_t expected, Script script) : router_(context_, zmq::socket_type::router) {
    router_.set(zmq::sockopt::linger, 0);
    router_.set(zmq::sockopt::rcvtimeo, 10000);
    router_.bind("tcp://127.0.0.1:*");
    endpoint_ = router_.get(zmq::sockopt::last_endpoint);
    thread_ = std::thread([this, expected, script = std::move(script)] {
      while (requests_.size() < expected) {
        std::vector<zmq::message_t> frames;
        if (!zmq::recv_multipart(router_, std::back_inserter(frames))) return;
        requests_.push_back(frames.back().to_string());
        auto reply = script(requests_.size() - 1);
        if (!reply) continue;
        router_.send(frames.front(), zmq::send_flags::sndmore);
        router_.send(zmq::buffer(*reply), zmq::send_flags::none);
      }
    });
  }
  FakeEndpoint(const FakeEndpoint&) = delete;
  FakeEndpoint& operator=(const FakeEndpoint&) = delete;
  ~FakeEndpoint() { Requests(); }

  // Waits for the thread; then the requests may be read.
  const std::vector<std::string>& Requests() {
    if (thread_.joinable()) thread_.join();
    return requests_;
  }
  const std::string& endpoint() const { return endpoint_; }

  // The script of a service that drops the first request and answers every retry with
  // `reply` (e.g. an `unavailable` error).
  static Script SilentThen(std::string reply) {
    return [reply = std::move(reply)](size_t index) -> std::optional<std::string> {
      if (index == 0) return std::nullopt;
      return reply;
    };
  }

 private:
  zmq::context_t context_;
  zmq::socket_t router_;  // the thread's once it started
  std::string endpoint_;
  std::vector<std::string> requests_;
  std::thread thread_;
};

}  // namespace picket::testing
