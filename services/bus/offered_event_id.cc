#include "bus/offered_event_id.h"

#include <capnp/serialize.h>

#include <cstring>

#include "picket/schemas/bus.capnp.h"
#include "wire/event_id.h"

namespace picket {

std::string OfferedEventId(std::string_view frame) {
  // Whole words only: a ragged tail is "bytes after the message", ignored like the rest.
  const size_t words = frame.size() / sizeof(capnp::word);
  if (words == 0) return {};
  kj::Array<capnp::word> copy;
  auto data = reinterpret_cast<const capnp::word*>(frame.data());
  if (reinterpret_cast<uintptr_t>(frame.data()) % alignof(capnp::word) != 0) {
    copy = kj::heapArray<capnp::word>(words);
    std::memcpy(copy.begin(), frame.data(), words * sizeof(capnp::word));
    data = copy.begin();
  }
  try {
    capnp::FlatArrayMessageReader reader(kj::ArrayPtr<const capnp::word>(data, words));
    auto request = reader.getRoot<wire::BusRequest>();
    if (!request.isPublish() || !request.hasPublish()) return {};
    auto event = request.getPublish();
    if (!event.hasId() || event.getId().size() != EventId::kSize) return {};
    return std::string(reinterpret_cast<const char*>(event.getId().begin()), EventId::kSize);
  } catch (const kj::Exception&) {
    return {};  // not that far: the frame is not a message, or a pointer on the way is bad
  }
}

}  // namespace picket
