#include "picket_publisher.h"

#include <capnp/message.h>

#include <chrono>
#include <cstring>
#include <unordered_map>

#include "picket/schemas/bus.capnp.h"
#include "picket/schemas/roster.capnp.h"
#include "runtime/zap_authenticator.h"
#include "wire/codec.h"
#include "wire/event_id.h"
#include "wire/event_rules.h"

namespace picket::bench {
namespace {

int64_t UnixMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// In-flight events are found by the first 8 bytes of their random id: with at most a few
// thousand outstanding, a collision is out of reach.
uint64_t IdKey(const char* id_bytes) {
  uint64_t key;
  std::memcpy(&key, id_bytes, sizeof key);
  return key;
}

// A reusable publish request: the id, the time and nothing else change per event, so the
// message is built once and those fields are overwritten in place.
class PublishFrameTemplate {
 public:
  PublishFrameTemplate(const PicketTarget& target, const std::string& producer, size_t body_bytes) {
    auto event = builder_.initRoot<wire::BusRequest>().initPublish();
    id_ = event.initId(EventId::kSize);
    event.setSite(target.site);
    event.setType(target.type);
    event.setProducer(producer);
    event.setObservedAt(UnixMicros());
    event.getBody().initAs<wire::ShiftEnded>().setPerson(std::string(body_bytes, 'x'));
    event_ = event;
  }

  // Sets a fresh id and observedAt = now; returns the id.
  EventId Refresh() {
    const EventId id = EventId::Random();
    std::memcpy(id_.begin(), id.Bytes().data(), EventId::kSize);
    event_.setObservedAt(UnixMicros());
    return id;
  }

  std::string Encode() { return picket::Encode(builder_); }

 private:
  capnp::MallocMessageBuilder builder_;
  wire::Event::Builder event_ = nullptr;
  capnp::Data::Builder id_;
};

std::string ProducerName(const PicketTarget& target, int index) {
  return target.producer.empty() ? "bench-" + std::to_string(index) : target.producer;
}

// The smallest body that brings the frame to at least target.frame_bytes.
size_t BodyBytesFor(const PicketTarget& target, const std::string& producer) {
  for (size_t body = 0;; body += 8) {
    PublishFrameTemplate frame(target, producer, body);
    if (frame.Encode().size() >= target.frame_bytes) return body;
  }
}

// Handles one answer frame; returns false if it was not an answer to an event in flight.
bool HandleReply(const zmq::message_t& frame, std::unordered_map<uint64_t, Nanos>& in_flight,
                 PublisherTally& tally) {
  const Nanos now = SteadyNanos();
  std::string error;
  auto msg = DecodedMessage::Decode({static_cast<const char*>(frame.data()), frame.size()}, &error);
  if (!msg) {
    tally.OnBroken("undecodable reply: " + error);
    return false;
  }
  bool matched = false;
  const bool read = ReadSafely<wire::BusReply>(
      *msg,
      [&](wire::BusReply::Reader reply) {
        capnp::Data::Reader id;
        std::string failure;
        if (reply.isAck()) {
          id = reply.getAck().getEventId();
          if (reply.getAck().getDuplicate()) failure = "ack marked duplicate for a fresh id";
        } else if (reply.isNack()) {
          id = reply.getNack().getEventId();
          failure = std::string("nack ") + std::string(ErrorCodeName(reply.getNack().getCode())) +
                    ": " + reply.getNack().getMessage().cStr();
        } else {
          tally.OnBroken("reply is neither ack nor nack");
          return;
        }
        if (id.size() != EventId::kSize) {
          tally.OnBroken("reply without an event id: " + failure);
          return;
        }
        auto it = in_flight.find(IdKey(reinterpret_cast<const char*>(id.begin())));
        if (it == in_flight.end()) return;
        if (failure.empty()) {
          tally.OnAcked(it->second, now);
        } else {
          tally.OnFailed(failure);
        }
        in_flight.erase(it);
        matched = true;
      },
      &error);
  if (!read) tally.OnBroken("unreadable reply: " + error);
  return matched;
}

}  // namespace

size_t PicketFrameBytes(const PicketTarget& target) {
  const std::string producer = ProducerName(target, 0);
  PublishFrameTemplate frame(target, producer, BodyBytesFor(target, producer));
  return frame.Encode().size();
}

void RunPicketPublisher(zmq::context_t& context, const PicketTarget& target, int index,
                        PublisherTally& tally) {
  zmq::socket_t socket(context, zmq::socket_type::dealer);
  socket.set(zmq::sockopt::linger, 0);
  try {
    ApplyCurveClient(socket, target.curve);
    socket.connect(target.endpoint);
  } catch (const zmq::error_t& e) {
    tally.OnBroken("cannot connect to '" + target.endpoint + "': " + e.what());
    return;
  }

  // Producer names of different widths would change the frame size; pad with the
  // publisher's own name so every publisher sends frames of the same size.
  const std::string producer = ProducerName(target, index);
  PublishFrameTemplate frame(target, producer, BodyBytesFor(target, producer));

  std::unordered_map<uint64_t, Nanos> in_flight;
  in_flight.reserve(static_cast<size_t>(tally.schedule().in_flight) * 2);
  Nanos last_progress = SteadyNanos();
  while (!tally.broken()) {
    Nanos now = SteadyNanos();
    while (tally.MaySend(now, static_cast<int>(in_flight.size()))) {
      const EventId id = frame.Refresh();
      const std::string bytes = frame.Encode();
      now = SteadyNanos();
      socket.send(zmq::buffer(bytes), zmq::send_flags::none);
      in_flight.emplace(IdKey(id.Bytes().data()), now);
      tally.OnSent();
    }
    if (in_flight.empty() && tally.DoneSending(now)) break;

    // Wake up at the end of the send phase even if nothing arrives, so that a stuck bus
    // is reported rather than waited for.
    zmq::pollitem_t item{socket.handle(), 0, ZMQ_POLLIN, 0};
    zmq::poll(&item, 1, std::chrono::milliseconds(100));
    bool progressed = false;
    zmq::message_t reply;
    while (socket.recv(reply, zmq::recv_flags::dontwait)) {
      progressed |= HandleReply(reply, in_flight, tally);
    }
    now = SteadyNanos();
    if (progressed) {
      last_progress = now;
    } else if (now - last_progress > tally.schedule().drain_timeout) {
      tally.OnBroken("no answer from the bus for " +
                     std::to_string(tally.schedule().drain_timeout / 1'000'000) + " ms with " +
                     std::to_string(in_flight.size()) + " events in flight");
    }
  }
}

}  // namespace picket::bench
