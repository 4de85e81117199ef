// access_request: one frame on picket-access's command endpoint, read as the kit and the
// adapter read it (runtime/typed_commands.h, access/wire_convert.h): decoded, its texts
// checked (FindBadText), then ToCommand, then the core's Access::OnCommand on a small site
// (access_world.h; a copy of its state per input), then EncodeReply. Invariants: a refusal
// by the decoder has a code and a message, and its reply frame (EncodeError) reads back
// as that code and message; the decoder and the command agree on what is a query; the
// core's refusal has a message, emits nothing and changes nothing, nor does a query; a reply frame
// reads back as an AccessReply with the reply's error and message; the events of an applied command
// fill wire events.
#include <capnp/dynamic.h>
#include <capnp/message.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "access/wire_convert.h"
#include "fuzz/access_world.h"
#include "fuzz/fuzz_support.h"
#include "wire/codec.h"
#include "wire/text_check.h"

namespace {

// The error and message of an encoded AccessReply, or false if it does not read back.
bool ReadReply(const std::string& frame, uint16_t* error, std::string* message) {
  using namespace picket;
  std::string why;
  auto msg = DecodedMessage::Decode(frame, &why);
  if (!msg) return false;
  return ReadSafely<wire::AccessReply>(
      *msg,
      [&](wire::AccessReply::Reader r) {
        r.totalSize();
        *error = static_cast<uint16_t>(r.getError());
        *message = std::string(r.getMessage().cStr(), r.getMessage().size());
      },
      &why);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace picket;
  using namespace picket::access;
  const auto& world = fuzz::AccessWorld::Get();
  std::string error;
  auto msg = DecodedMessage::Decode(fuzz::Bytes(data, size), &error);
  if (!msg) return 0;
  ReadSafely<wire::AccessRequest>(
      *msg,
      [&](wire::AccessRequest::Reader request) {
        if (FindBadText(capnp::toDynamic(request), "request")) return;  // malformed
        wire::AccessError code = wire::AccessError::NONE;
        std::string message;
        auto command = ToCommand(request, &code, &message);
        uint16_t read_error = 0;
        std::string read_message;
        if (!command) {
          fuzz::Require(code != wire::AccessError::NONE && !message.empty(),
                        "a refusal has a code and a message");
          fuzz::Require(ReadReply(EncodeError(code, message), &read_error, &read_message),
                        "a refusal's reply reads back");
          fuzz::Require(read_error == static_cast<uint16_t>(code) && read_message == message,
                        "a refusal's reply carries its code and message");
          return;
        }
        const bool query = IsQuery(*command);
        fuzz::Require(query == IsQuery(request), "decoder and command agree on queries");
        MemoryTxn state = world.state;
        CommandResult r = world.core.OnCommand(*command, state, fuzz::AccessWorld::kNow);
        if (!r.reply.ok()) {
          fuzz::Require(!r.reply.message.empty(), "a refusal by the core has a message");
          fuzz::Require(r.effects.events.empty(), "a refusal emits nothing");
        }
        if (!r.reply.ok() || query)
          fuzz::Require(world.Unchanged(state), "a refusal or a query changes nothing");
        fuzz::Require(ReadReply(EncodeReply(r.reply), &read_error, &read_message),
                      "a reply reads back");
        fuzz::Require(
            read_error == static_cast<uint16_t>(r.reply.error) && read_message == r.reply.message,
            "a reply carries its error and message");
        for (const auto& event : r.effects.events) {
          capnp::MallocMessageBuilder out;
          FillEvent(out.initRoot<wire::Event>(), event, 0);
        }
      },
      &error);
  return 0;
}
