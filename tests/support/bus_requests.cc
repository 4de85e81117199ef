#include "support/bus_requests.h"

#include "wire/codec.h"
#include "wire/event_id.h"
#include "wire/event_rules.h"

namespace picket::testing {

capnp::Text::Reader RawText(const std::string& bytes) { return {bytes.data(), bytes.size()}; }

std::string BusRequestFrame(const std::function<void(wire::BusRequest::Builder)>& fill) {
  capnp::MallocMessageBuilder message;
  fill(message.initRoot<wire::BusRequest>());
  return Encode(message);
}

std::string PublishEdited(const std::function<void(wire::Event::Builder)>& edit) {
  return BusRequestFrame([&](wire::BusRequest::Builder r) {
    auto e = r.initPublish();
    const std::string id(EventId::Random().Bytes());
    e.setId(capnp::Data::Reader(reinterpret_cast<const capnp::byte*>(id.data()), id.size()));
    e.setSite(kTestSite);
    e.setType("demo.tick");
    e.setProducer("probe");
    e.setObservedAt(kObservedAt);
    if (edit) edit(e);
  });
}

std::string DescribeReply(const std::string& frame) {
  std::string error;
  auto msg = DecodedMessage::Decode(frame, &error);
  if (!msg) return "not a BusReply";
  std::string out = "not a BusReply";
  ReadSafely<wire::BusReply>(
      *msg,
      [&](wire::BusReply::Reader reply) {
        switch (reply.which()) {
          case wire::BusReply::ACK:
            out = reply.getAck().getDuplicate() ? "ack duplicate" : "ack";
            break;
          case wire::BusReply::NACK:
            out = "nack " + std::string(ErrorCodeName(reply.getNack().getCode()));
            break;
          case wire::BusReply::REPLAY_BATCH:
            out = "replayBatch";
            break;
          case wire::BusReply::REPLAY_END:
            out = "replayEnd";
            break;
          case wire::BusReply::STATUS:
            out = "status";
            break;
        }
      },
      &error);
  return out;
}

std::optional<std::string> ReplyEventId(const std::string& frame) {
  std::string error;
  auto msg = DecodedMessage::Decode(frame, &error);
  if (!msg) return std::nullopt;
  std::optional<std::string> id;
  auto bytes = [](capnp::Data::Reader d) {
    return std::string(reinterpret_cast<const char*>(d.begin()), d.size());
  };
  ReadSafely<wire::BusReply>(
      *msg,
      [&](wire::BusReply::Reader reply) {
        if (reply.isAck()) id = bytes(reply.getAck().getEventId());
        if (reply.isNack()) id = bytes(reply.getNack().getEventId());
      },
      &error);
  return id;
}

}  // namespace picket::testing
