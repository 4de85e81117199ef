#include "wire/codec.h"

#include <kj/exception.h>

#include <algorithm>
#include <cstring>

namespace picket {

std::unique_ptr<DecodedMessage> DecodedMessage::Decode(std::string_view bytes, std::string* error) {
  if (bytes.size() < sizeof(capnp::word) || bytes.size() % sizeof(capnp::word) != 0) {
    *error = "frame length " + std::to_string(bytes.size()) + " is not a whole number of words";
    return nullptr;
  }
  auto msg = std::unique_ptr<DecodedMessage>(new DecodedMessage());
  kj::ArrayPtr<const capnp::word> words;
  if (reinterpret_cast<uintptr_t>(bytes.data()) % alignof(capnp::word) != 0) {
    msg->copy_ = kj::heapArray<capnp::word>(bytes.size() / sizeof(capnp::word));
    std::memcpy(msg->copy_.begin(), bytes.data(), bytes.size());
    words = msg->copy_.asPtr();
  } else {
    words = kj::ArrayPtr<const capnp::word>(reinterpret_cast<const capnp::word*>(bytes.data()),
                                            bytes.size() / sizeof(capnp::word));
  }
  try {
    capnp::ReaderOptions options;
    options.traversalLimitInWords = std::min<uint64_t>(
        options.traversalLimitInWords, kReadsPerWord * words.size() + kTraversalSlackWords);
    msg->reader_ = std::make_unique<capnp::FlatArrayMessageReader>(words, options);
    // The segment table can claim fewer words than were sent: trailing garbage is an error.
    if (msg->reader_->getEnd() != words.end()) {
      *error = "frame has bytes after the end of the message";
      return nullptr;
    }
    // Touch the root so a root pointer that is not a struct is caught here.
    msg->reader_->getRoot<capnp::AnyStruct>();
  } catch (const kj::Exception& e) {
    *error = e.getDescription().cStr();
    return nullptr;
  }
  return msg;
}

std::string Encode(capnp::MessageBuilder& builder) {
  kj::Array<capnp::word> words = capnp::messageToFlatArray(builder);
  auto bytes = words.asBytes();
  return std::string(reinterpret_cast<const char*>(bytes.begin()), bytes.size());
}

}  // namespace picket
