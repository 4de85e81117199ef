// The id of the event a request frame offers, read as far as the frame allows, so that
// every nack to a publish names the event it refuses, even when the frame is refused
// before it is decoded (over max_message_bytes, bytes after the message, bad envelope
// frames) or while it is read (a broken field after the id). A producer keeping many
// publishes in flight matches nacks by this id (docs/protocol.md, Ingest).
#pragma once

#include <string>
#include <string_view>

namespace picket {

// The 16 bytes of BusRequest.publish's Event.id when `frame` starts with a complete Cap'n
// Proto message (segment table and segments; whatever follows them is ignored) whose root
// is a BusRequest holding a publish whose id is exactly 16 bytes; "" otherwise. Reads only
// the pointers on the way to the id, whatever the frame's size; copies the frame once if
// it is not word-aligned. Never throws.
std::string OfferedEventId(std::string_view frame);

}  // namespace picket
