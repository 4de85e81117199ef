#include "bus/bus_test_support.h"

#include <capnp/message.h>
#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <thread>

#include "picket/schemas/envelope.capnp.h"
#include "wire/codec.h"

namespace picket::bus_testing {

EventId TestId(uint32_t n) {
  std::array<uint8_t, 16> b{};
  b[0] = 0xAB;
  b[12] = static_cast<uint8_t>(n >> 24);
  b[13] = static_cast<uint8_t>(n >> 16);
  b[14] = static_cast<uint8_t>(n >> 8);
  b[15] = static_cast<uint8_t>(n);
  return EventId(b);
}

namespace {
capnp::Data::Reader AsData(std::string_view s) {
  return capnp::Data::Reader(reinterpret_cast<const kj::byte*>(s.data()), s.size());
}
}  // namespace

std::string PublishRequest(const EventId& id,
                           const std::function<void(wire::Event::Builder)>& edit) {
  return Request([&](wire::BusRequest::Builder r) {
    auto e = r.initPublish();
    e.setId(AsData(id.Bytes()));
    e.setSite(kSite);
    e.setType("test.thing");
    e.setProducer("p1");
    e.setObservedAt(kT0);
    if (edit) edit(e);
  });
}

std::string Request(const std::function<void(wire::BusRequest::Builder)>& fill) {
  capnp::MallocMessageBuilder message;
  fill(message.initRoot<wire::BusRequest>());
  return Encode(message);
}

std::string ReplayRequestFrame(uint64_t from, uint64_t to, uint32_t credit, uint32_t max_batch) {
  return Request([&](wire::BusRequest::Builder r) {
    auto q = r.initReplay();
    q.setFromSeq(from);
    q.setToSeq(to);
    q.setCredit(credit);
    q.setMaxBatch(max_batch);
  });
}

std::string CreditFrame(uint32_t events) {
  return Request([&](wire::BusRequest::Builder r) { r.initCredit().setEvents(events); });
}

NewEvent StoredTestEvent(uint64_t seq, Micros recorded_at, const EventId& id, size_t body_bytes) {
  capnp::MallocMessageBuilder message;
  auto e = message.initRoot<wire::Event>();
  e.setId(AsData(id.Bytes()));
  e.setSite(kSite);
  e.setType("test.thing");
  e.setProducer("p1");
  e.setActor(std::string(body_bytes, 'a'));
  e.setObservedAt(kT0);
  e.setSeq(seq);
  e.setRecordedAt(recorded_at);
  return NewEvent{seq, recorded_at, id, Encode(message)};
}

std::optional<Reply> TryParseReply(const std::string& frame, std::string* error) {
  auto msg = DecodedMessage::Decode(frame, error);
  if (!msg) return std::nullopt;
  Reply out;
  bool ok = ReadSafely<wire::BusReply>(
      *msg,
      [&](wire::BusReply::Reader r) {
        out.which = r.which();
        auto bytes = [](capnp::Data::Reader d) {
          return std::string(reinterpret_cast<const char*>(d.begin()), d.size());
        };
        switch (r.which()) {
          case wire::BusReply::ACK:
            out.event_id = bytes(r.getAck().getEventId());
            out.seq = r.getAck().getSeq();
            out.recorded_at = r.getAck().getRecordedAt();
            out.duplicate = r.getAck().getDuplicate();
            break;
          case wire::BusReply::NACK:
            out.event_id = bytes(r.getNack().getEventId());
            out.code = r.getNack().getCode();
            out.message = r.getNack().getMessage();
            break;
          case wire::BusReply::REPLAY_BATCH:
            for (auto e : r.getReplayBatch().getEvents()) {
              out.seqs.push_back(e.getSeq());
              out.ids.push_back(bytes(e.getId()));
            }
            out.head_seq = r.getReplayBatch().getHeadSeq();
            out.first_seq = r.getReplayBatch().getFirstSeq();
            break;
          case wire::BusReply::REPLAY_END:
            out.last_seq = r.getReplayEnd().getLastSeq();
            out.head_seq = r.getReplayEnd().getHeadSeq();
            out.first_seq = r.getReplayEnd().getFirstSeq();
            break;
          case wire::BusReply::STATUS:
            out.head_seq = r.getStatus().getHeadSeq();
            out.first_seq = r.getStatus().getFirstSeq();
            for (auto s : r.getStatus().getSubscribers())
              out.subscribers.emplace_back(s.getSubscriber(), s.getAppliedSeq());
            break;
        }
      },
      error);
  if (!ok) return std::nullopt;
  return out;
}

Reply ParseReply(const std::string& frame) {
  std::string error;
  auto reply = TryParseReply(frame, &error);
  INFO(error);
  REQUIRE(reply);
  return *reply;
}

Client::Client(zmq::context_t& ctx, const std::string& endpoint, zmq::socket_type type)
    : socket_(ctx, type) {
  socket_.set(zmq::sockopt::linger, 0);
  socket_.connect(endpoint);
}

void Client::Send(const std::string& frame) { socket_.send(zmq::buffer(frame)); }

void Client::SendFrames(const std::vector<std::string>& frames) {
  for (size_t i = 0; i < frames.size(); ++i)
    socket_.send(zmq::buffer(frames[i]),
                 i + 1 < frames.size() ? zmq::send_flags::sndmore : zmq::send_flags::none);
}

std::optional<std::vector<std::string>> Client::TryReceive() {
  zmq::message_t frame;
  if (!socket_.recv(frame, zmq::recv_flags::dontwait)) return std::nullopt;
  std::vector<std::string> frames{frame.to_string()};
  while (socket_.get(zmq::sockopt::rcvmore)) {
    (void)socket_.recv(frame);
    frames.push_back(frame.to_string());
  }
  return frames;
}

bool WaitUntil(const std::function<bool()>& step, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (step()) return true;
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  return step();
}

std::optional<Reply> PumpForReply(Client& client, const std::function<void()>& pump,
                                  std::chrono::milliseconds timeout) {
  std::optional<std::vector<std::string>> frames;
  bool got = WaitUntil(
      [&] {
        pump();
        frames = client.TryReceive();
        return frames.has_value();
      },
      timeout);
  if (!got) return std::nullopt;
  return ParseReply(frames->back());
}

}  // namespace picket::bus_testing
