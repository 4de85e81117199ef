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

namespace {

// A ReplayBatch whose `events` list declares `count` structs of zero words each: four
// words in all, whatever the count (fuzzing found replies and batches built so).
std::string ZeroSizedListFrame(uint32_t count) {
  const uint64_t words[] = {
      uint64_t{3} << 32,                  // segment table: one segment of 3 words
      uint64_t{1} << 48,                  // root: a struct right after, 0 data words, 1 pointer
      1 | (uint64_t{7} << 32),            // events: an inline-composite list of 0 words, next
      static_cast<uint64_t>(count) << 2,  // its tag: `count` structs of 0 data words, 0 pointers
  };
  return std::string(reinterpret_cast<const char*>(words), sizeof(words));
}

}  // namespace

TEST_CASE("A frame of four words cannot make a reader walk a million list elements",
          "[codec][fuzz]") {
  std::string error;
  const std::string small_frame = ZeroSizedListFrame(16);  // must outlive the message
  auto small = DecodedMessage::Decode(small_frame, &error);
  REQUIRE(small);
  size_t size = 0;
  CHECK(ReadSafely<wire::ReplayBatch>(
      *small, [&](wire::ReplayBatch::Reader r) { size = r.getEvents().size(); }, &error));
  CHECK(size == 16);  // zero-sized elements are valid Cap'n Proto, a few of them readable

  const std::string huge_frame = ZeroSizedListFrame(1'000'000);
  auto huge = DecodedMessage::Decode(huge_frame, &error);
  REQUIRE(huge);  // the frame is well formed: the list is refused when read
  CHECK_FALSE(ReadSafely<wire::ReplayBatch>(
      *huge, [&](wire::ReplayBatch::Reader r) { size = r.getEvents().size(); }, &error));
  CHECK_THAT(error, Catch::Contains("traversal limit"));
}

TEST_CASE("A real message can still be read in full dozens of times", "[codec][fuzz]") {
  capnp::MallocMessageBuilder b;
  auto events = b.initRoot<wire::BusReply>().initReplayBatch().initEvents(200);
  for (auto e : events) {
    e.setType("terminal.incident_reported");
    e.setProducer("gate-1-terminal");
  }
  std::string frame = Encode(b);
  std::string error;
  auto msg = DecodedMessage::Decode(frame, &error);
  REQUIRE(msg);
  size_t bytes = 0;
  for (int i = 0; i < 50; ++i) {
    REQUIRE(ReadSafely<wire::BusReply>(
        *msg,
        [&](wire::BusReply::Reader r) {
          for (auto e : r.getReplayBatch().getEvents())
            bytes += e.getType().size() + e.getProducer().size();
        },
        &error));
  }
  CHECK(bytes == 50u * 200 * (26 + 15));
}

}  // namespace picket
