// event_json: text as `picketctl publish --json` reads it (wire/event_json.h): one JSON
// object to an Event over defaults, as picketctl sets them. Invariant: an event the bus
// would record (CheckPublishable) renders as JSON (what `picketctl tail --json` prints),
// and that JSON reads back to an event rendering the same JSON.
#include <capnp/message.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_support.h"
#include "picket/schemas/envelope.capnp.h"
#include "wire/codec.h"
#include "wire/event_json.h"
#include "wire/event_rules.h"

namespace picket {
namespace {

constexpr char kSite[] = "fuzz-site";

void SetDefaults(wire::Event::Builder e) {
  e.setId(capnp::Data::Reader(reinterpret_cast<const capnp::byte*>("0123456789abcdef"), 16));
  e.setSite(kSite);
  e.setProducer("picketctl");
  e.setObservedAt(1'764'000'000'000'000);
}

}  // namespace
}  // namespace picket

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace picket;
  capnp::MallocMessageBuilder first;
  auto event = first.initRoot<wire::Event>();
  SetDefaults(event);
  std::string error;
  if (!EventFromJsonText(fuzz::Bytes(data, size), event, &error)) {
    fuzz::Require(!error.empty(), "a refused event has a message");
    return 0;
  }
  // As it travels: encoded, then decoded on the other side.
  std::string frame = Encode(first);
  auto msg = DecodedMessage::Decode(frame, &error);
  fuzz::Require(msg != nullptr, "our own encoding decodes");
  bool publishable = false;
  std::optional<nlohmann::ordered_json> json;
  bool read = ReadSafely<wire::Event>(
      *msg,
      [&](wire::Event::Reader e) {
        publishable = !CheckPublishable(e, kSite).has_value();
        (void)FormatEventLine(e);
        json = EventToJson(e, &error);
      },
      &error);
  fuzz::Require(read, "our own encoding reads");
  if (!publishable) return 0;
  fuzz::Require(json.has_value(), "a publishable event renders as JSON");
  capnp::MallocMessageBuilder second;
  auto again = second.initRoot<wire::Event>();
  fuzz::Require(EventFromJson(*json, again, &error), "an event's own JSON reads back");
  auto json_again = EventToJson(again.asReader(), &error);
  fuzz::Require(json_again.has_value() && *json_again == *json,
                "JSON -> event -> JSON is the same JSON");
  return 0;
}
