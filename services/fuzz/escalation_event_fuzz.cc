// escalation_event: one recorded event frame (wire::Event, as the bus publishes it and
// replays it) decoded into picket-escalation's core value (escalation/wire_convert.h,
// ToRecordedEvent), which every trigger, roster change and rule match reads. Invariants:
// the envelope's texts arrive unchanged, and "actor" and "producer" are fields too.
#include <cstddef>
#include <cstdint>
#include <string>

#include "escalation/wire_convert.h"
#include "fuzz/fuzz_support.h"
#include "wire/codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace picket;
  std::string error;
  auto msg = DecodedMessage::Decode(fuzz::Bytes(data, size), &error);
  if (!msg) return 0;
  ReadSafely<wire::Event>(
      *msg,
      [&](wire::Event::Reader event) {
        escalation::RecordedEvent r = escalation::ToRecordedEvent(event);
        auto type = event.getType();
        fuzz::Require(r.type == std::string(type.cStr(), type.size()), "type unchanged");
        fuzz::Require(r.seq == event.getSeq(), "seq unchanged");
        fuzz::Require(r.fields.at("actor") == r.actor, "actor is a field");
        fuzz::Require(r.fields.at("producer") == r.producer, "producer is a field");
      },
      &error);
  return 0;
}
