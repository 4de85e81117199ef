// Encoding and decoding of Cap'n Proto messages carried in ZeroMQ frames.
//
// Frames received over TCP are often not 8-byte aligned, which Cap'n Proto 0.9.2 rejects
// ("Detected unaligned data"); DecodedMessage copies into a word-aligned buffer when needed.
// Decoding untrusted input never throws: a frame that is not a valid message is reported
// as an error value. The nesting limit is Cap'n Proto's default; the traversal limit (the
// words a reader may visit, counted on every visit) is Cap'n Proto's default of 8M words
// or kReadsPerWord per word of the frame plus kTraversalSlackWords, whichever is lower.
// Why: a list of zero-sized structs costs no bytes, so with the default limit a frame of
// a few words can declare millions of elements, and every reader that walks the list
// (the bus's text check, a service's conversion, picketctl's printing) loops that often
// (found by fuzzing, docs/security.md). A reader may still visit every word of a message
// many times over; one that needs more must copy what it reads.
#pragma once

#include <capnp/message.h>
#include <capnp/serialize.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace picket {

// A decoded message; `bytes` must outlive it unless a copy was made (it is made whenever
// `bytes` is unaligned). Move-only, because the reader points into its own buffer.
class DecodedMessage {
 public:
  static constexpr uint64_t kReadsPerWord = 64;
  static constexpr uint64_t kTraversalSlackWords = 8192;

  // Returns nullptr and sets *error when `bytes` is not a complete, valid message with a
  // struct root (truncated, wrong segment table, oversized segment count, ...).
  static std::unique_ptr<DecodedMessage> Decode(std::string_view bytes, std::string* error);

  template <typename T>
  typename T::Reader Root() {
    return reader_->getRoot<T>();
  }

  DecodedMessage(const DecodedMessage&) = delete;
  DecodedMessage& operator=(const DecodedMessage&) = delete;

 private:
  DecodedMessage() = default;
  kj::Array<capnp::word> copy_;
  std::unique_ptr<capnp::FlatArrayMessageReader> reader_;
};

// Runs `fn(root)` on a decoded message of type T and catches every Cap'n Proto exception
// raised while reading it (a bad pointer deep in the message is only seen when read).
// Returns false and sets *error if reading failed.
template <typename T, typename Fn>
bool ReadSafely(DecodedMessage& msg, Fn&& fn, std::string* error) {
  try {
    fn(msg.Root<T>());
    return true;
  } catch (const kj::Exception& e) {
    *error = e.getDescription().cStr();
    return false;
  }
}

// The flat (unpacked) encoding of `builder`, ready to send as one frame.
std::string Encode(capnp::MessageBuilder& builder);

}  // namespace picket
