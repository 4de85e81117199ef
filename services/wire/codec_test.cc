#include "wire/codec.h"

#include <capnp/message.h>

#include <catch2/catch.hpp>

#include "picket/schemas/bus.capnp.h"

namespace picket {
namespace {

std::string ProgressMessage() {
  capnp::MallocMessageBuilder b;
  auto req = b.initRoot<wire::BusRequest>();
  auto p = req.initProgress();
  p.setSubscriber("picket-access");
  p.setAppliedSeq(77);
  return Encode(b);
}

}  // namespace

TEST_CASE("Decode reads an aligned and an unaligned frame alike", "[codec]") {
  std::string bytes = ProgressMessage();
  for (size_t offset : {0, 1, 3, 7}) {
    std::string buffer(offset, '\0');
    buffer += bytes;
    // std::string storage is at least 8-aligned on this ABI for heap buffers.
    std::string_view view(buffer.data() + offset, bytes.size());
    std::string error;
    auto msg = DecodedMessage::Decode(view, &error);
    REQUIRE(msg != nullptr);
    uint64_t seq = 0;
    REQUIRE(ReadSafely<wire::BusRequest>(
        *msg, [&](wire::BusRequest::Reader r) { seq = r.getProgress().getAppliedSeq(); }, &error));
    CHECK(seq == 77);
  }
}

TEST_CASE("Decode rejects truncated, padded and garbage frames", "[codec]") {
  std::string bytes = ProgressMessage();
  std::string error;
  CHECK(DecodedMessage::Decode("", &error) == nullptr);
  CHECK(DecodedMessage::Decode(bytes.substr(0, bytes.size() - 8), &error) == nullptr);
  CHECK_FALSE(error.empty());
  CHECK(DecodedMessage::Decode(bytes + std::string(8, '\0'), &error) == nullptr);
  CHECK(DecodedMessage::Decode(bytes.substr(0, 5), &error) == nullptr);
  CHECK(DecodedMessage::Decode(std::string(64, '\xff'), &error) == nullptr);
}

}  // namespace picket
