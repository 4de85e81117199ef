// escalation_request: one frame on picket-escalation's command endpoint, read as the kit
// and the adapter read it (runtime/typed_commands.h, escalation/wire_convert.h): decoded,
// its texts checked (FindBadText), then ToCommand. Invariants: a command has an actor of
// at most kMaxActorBytes, empty only for a query; a refusal has a code and a message, and
// its reply frame (EncodeError) decodes on the client (DecodeReply) to that code and
// message.
#include <capnp/dynamic.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "escalation/wire_convert.h"
#include "fuzz/fuzz_support.h"
#include "wire/codec.h"
#include "wire/event_rules.h"
#include "wire/text_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace picket;
  using namespace picket::escalation;
  std::string error;
  auto msg = DecodedMessage::Decode(fuzz::Bytes(data, size), &error);
  if (!msg) return 0;
  ReadSafely<wire::EscalationRequest>(
      *msg,
      [&](wire::EscalationRequest::Reader request) {
        if (FindBadText(capnp::toDynamic(request), "request")) return;  // malformed
        wire::EscalationError code = wire::EscalationError::NONE;
        std::string message;
        auto command = ToCommand(request, &code, &message);
        if (command) {
          fuzz::Require(command->actor.size() <= kMaxActorBytes, "actor within its limit");
          fuzz::Require(!command->actor.empty() || IsQuery(request),
                        "only a query may have no actor");
          return;
        }
        fuzz::Require(code != wire::EscalationError::NONE && !message.empty(),
                      "a refusal has a code and a message");
        std::string why;
        auto reply = DecodeReply(EncodeError(code, message), &why);
        fuzz::Require(reply.has_value(), "a refusal's reply decodes");
        fuzz::Require(static_cast<uint16_t>(reply->error) == static_cast<uint16_t>(code) &&
                          reply->message == message,
                      "a refusal's reply carries its code and message");
      },
      &error);
  return 0;
}
