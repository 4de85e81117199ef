#include "testing/request_fuzz.h"

#include <string>
#include <string_view>

#include "picket/schemas/bus.capnp.h"
#include "wire/codec.h"
#include "wire/event_json.h"
#include "wire/event_rules.h"

namespace picket {
namespace {

void ReadEvent(wire::Event::Reader event) {
  (void)CheckPublishable(event, "fuzz-site");
  std::string error;
  (void)EventToJsonLine(event, &error);
  (void)FormatEventLine(event);
}

}  // namespace

int FuzzOneFrame(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::string error;
  int which = -1;
  if (auto msg = DecodedMessage::Decode(bytes, &error)) {
    ReadSafely<wire::BusRequest>(
        *msg,
        [&](wire::BusRequest::Reader r) {
          which = static_cast<int>(r.which());
          switch (r.which()) {
            case wire::BusRequest::PUBLISH:
              ReadEvent(r.getPublish());
              break;
            case wire::BusRequest::REPLAY:
              (void)r.getReplay().getFromSeq();
              (void)r.getReplay().getCredit();
              break;
            case wire::BusRequest::PROGRESS:
              (void)r.getProgress().getSubscriber().size();
              break;
            default:
              break;
          }
        },
        &error);
  }
  // The same bytes as a reply (what clients decode).
  if (auto msg = DecodedMessage::Decode(bytes, &error)) {
    ReadSafely<wire::BusReply>(
        *msg,
        [&](wire::BusReply::Reader r) {
          if (r.isReplayBatch())
            for (auto e : r.getReplayBatch().getEvents()) ReadEvent(e);
          if (r.isNack()) (void)r.getNack().getMessage().size();
        },
        &error);
  }
  return which;
}

std::string MutateFrame(std::string s, std::mt19937_64& rng) {
  int edits = 1 + static_cast<int>(rng() % 4);
  for (int i = 0; i < edits && !s.empty(); ++i) {
    size_t pos = rng() % s.size();
    switch (rng() % 5) {
      case 0:
        s[pos] = static_cast<char>(rng());
        break;  // random byte
      case 1:
        s[pos] ^= static_cast<char>(1 << (rng() % 8));
        break;  // bit flip
      case 2:
        s.resize(pos);
        break;  // truncate
      case 3:
        s.insert(pos, std::string(8 * (1 + rng() % 3), '\xff'));
        break;  // words
      case 4:
        s[pos] = static_cast<char>(s[pos] + 1);
        break;  // off by one
    }
  }
  return s;
}

}  // namespace picket
