#include "bus/bus_replies.h"

#include <capnp/message.h>

#include <memory>

#include "wire/codec.h"
#include "wire/text_check.h"

namespace picket {
namespace {

capnp::Data::Reader AsData(std::string_view bytes) {
  return capnp::Data::Reader(reinterpret_cast<const kj::byte*>(bytes.data()), bytes.size());
}

capnp::Text::Reader AsText(std::string_view text) {
  return capnp::Text::Reader(text.data(), text.size());
}

}  // namespace

std::string EncodeAck(const EventId& id, const RecordedAt& at, bool duplicate) {
  capnp::MallocMessageBuilder message(32);
  auto ack = message.initRoot<wire::BusReply>().initAck();
  ack.setEventId(AsData(id.Bytes()));
  ack.setSeq(at.seq);
  ack.setRecordedAt(at.recorded_at);
  ack.setDuplicate(duplicate);
  return Encode(message);
}

std::string EncodeNack(std::string_view event_id, wire::ErrorCode code,
                       std::string_view message_text) {
  capnp::MallocMessageBuilder message(64);
  auto nack = message.initRoot<wire::BusReply>().initNack();
  nack.setEventId(AsData(event_id));
  nack.setCode(code);
  nack.setMessage(AsText(TruncateUtf8(message_text, 1024)));
  return Encode(message);
}

std::string EncodeStatus(std::string_view site, const LogRange& log,
                         const std::vector<SubscriberReports::Report>& subscribers, Micros now) {
  capnp::MallocMessageBuilder message;
  auto status = message.initRoot<wire::BusReply>().initStatus();
  status.setSite(AsText(site));
  status.setHeadSeq(log.head_seq);
  status.setFirstSeq(ReportedFirstSeq(log));
  status.setNow(now);
  auto list = status.initSubscribers(static_cast<unsigned>(subscribers.size()));
  for (size_t i = 0; i < subscribers.size(); ++i) {
    auto s = list[static_cast<unsigned>(i)];
    s.setSubscriber(AsText(subscribers[i].subscriber));
    s.setAppliedSeq(subscribers[i].applied_seq);
    s.setReportedAt(subscribers[i].reported_at);
  }
  return Encode(message);
}

std::string EncodeReplayEnd(uint64_t last_seq, const LogRange& log) {
  capnp::MallocMessageBuilder message(32);
  auto end = message.initRoot<wire::BusReply>().initReplayEnd();
  end.setLastSeq(last_seq);
  end.setHeadSeq(log.head_seq);
  end.setFirstSeq(ReportedFirstSeq(log));
  return Encode(message);
}

std::string EncodeHeartbeat(std::string_view site, uint64_t head_seq, Micros now) {
  capnp::MallocMessageBuilder message(32);
  auto hb = message.initRoot<wire::Heartbeat>();
  hb.setSite(AsText(site));
  hb.setHeadSeq(head_seq);
  hb.setSentAt(now);
  return Encode(message);
}

bool EncodeReplayBatch(const std::vector<StoredEvent>& events, const LogRange& log,
                       std::string* frame, std::string* error) {
  size_t words = 16;
  for (const auto& e : events) words += e.bytes.size() / sizeof(capnp::word) + 4;
  capnp::MallocMessageBuilder message(static_cast<unsigned>(std::min<size_t>(words, 1u << 28)));
  auto batch = message.initRoot<wire::BusReply>().initReplayBatch();
  batch.setHeadSeq(log.head_seq);
  batch.setFirstSeq(ReportedFirstSeq(log));
  auto list = batch.initEvents(static_cast<unsigned>(events.size()));
  for (size_t i = 0; i < events.size(); ++i) {
    auto decoded = DecodedMessage::Decode(events[i].bytes, error);
    if (!decoded) {
      *error = "stored event " + std::to_string(events[i].seq) + ": " + *error;
      return false;
    }
    bool ok = ReadSafely<wire::Event>(
        *decoded, [&](wire::Event::Reader e) { list.setWithCaveats(static_cast<unsigned>(i), e); },
        error);
    if (!ok) {
      *error = "stored event " + std::to_string(events[i].seq) + ": " + *error;
      return false;
    }
  }
  *frame = Encode(message);
  return true;
}

}  // namespace picket
