#include "testing/service_harness.h"

#include <catch2/catch.hpp>

#include "wire/codec.h"

namespace picket::testing {

ServiceHarness::ServiceHarness(ServiceHostOptions options, Micros start)
    : bus_(context_), clock_(start), name_(options.name) {
  site_.id = "test-site";
  site_.bus.ingest = bus_.ingest_endpoint;
  site_.bus.events = bus_.events_endpoint;
  site_.bus.replay = bus_.replay_endpoint;
  options.data_dir = dir_.path();
  options.handle_signals = false;
  options.http = "";
  if (!options.commands.empty()) options.commands = "tcp://127.0.0.1:*";
  host_ = std::make_unique<ServiceHost>(site_, std::move(options), clock_);
  std::string error;
  if (!host_->Open(&error)) throw std::runtime_error("harness: " + error);
}

ServiceHarness::~ServiceHarness() {
  client_.reset();
  host_.reset();
}

void ServiceHarness::Pump() {
  bus_.Pump();
  // The subscriber learns of new events (the test's and the service's own, acked by the
  // scripted bus) from the heartbeat's head and replays them: no live frame can be lost.
  bus_.Heartbeat();
}

bool ServiceHarness::Start() {
  std::string error;
  if (!host_->Start(&error)) {
    FAIL_CHECK("harness: " << error);
    return false;
  }
  return Settle();
}

uint64_t ServiceHarness::Publish(const std::string& event) {
  uint64_t seq = bus_.RecordEvent(event);
  bus_.PublishLive(seq);
  return seq;
}

bool ServiceHarness::Settle(const std::function<bool()>& also, std::chrono::milliseconds timeout) {
  auto settled = [&] {
    std::vector<OutboxRow> pending;
    std::string error;
    if (!host_->store().outbox()->LoadPending(&pending, &error) || !pending.empty()) return false;
    return host_->caught_up() && host_->store().applied_seq() == bus_.head() && (!also || also());
  };
  bool ok = testing::RunUntil(host_->loop(), settled, timeout, [this] { Pump(); });
  if (!ok)
    FAIL_CHECK("harness: not settled: applied_seq " << host_->store().applied_seq() << ", bus head "
                                                    << bus_.head());
  return ok;
}

bool ServiceHarness::Advance(Micros by) {
  clock_.Advance(by);
  host_->loop().RunOnce(0);
  return Settle();
}

std::optional<std::string> ServiceHarness::Command(const std::string& frame) {
  SendCommand(frame);
  return AwaitReply(std::chrono::milliseconds(10000));
}

void ServiceHarness::SendCommand(const std::string& frame) {
  if (!client_) {
    client_ = std::make_unique<zmq::socket_t>(context_, zmq::socket_type::dealer);
    client_->set(zmq::sockopt::linger, 0);
    client_->connect(host_->commands_endpoint());
  }
  client_->send(zmq::buffer(frame), zmq::send_flags::none);
}

std::optional<std::string> ServiceHarness::AwaitReply(std::chrono::milliseconds timeout) {
  std::optional<std::string> reply;
  RunUntil(
      [&] {
        zmq::message_t m;
        if (client_ && client_->recv(m, zmq::recv_flags::dontwait)) reply = m.to_string();
        return reply.has_value();
      },
      timeout);
  return reply;
}

bool ServiceHarness::RunUntil(const std::function<bool()>& done,
                              std::chrono::milliseconds timeout) {
  return testing::RunUntil(host_->loop(), done, timeout, [this] { Pump(); });
}

double ServiceHarness::Metric(const std::string& series) const {
  std::string text = host_->metrics().Render();
  auto at = text.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + series.size() + 2));
}

std::vector<std::string> ServiceHarness::Derived() const {
  std::vector<std::string> out;
  for (uint64_t seq = 1; seq <= bus_.head(); ++seq) {
    std::string error;
    auto msg = DecodedMessage::Decode(bus_.EventFrame(seq), &error);
    if (msg && std::string_view(msg->Root<wire::Event>().getProducer().cStr()) == name_)
      out.push_back(bus_.EventFrame(seq));
  }
  return out;
}

}  // namespace picket::testing
