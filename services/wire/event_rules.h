// What makes an Event acceptable to the bus, and the registry of event types and their
// body schemas. Shared by the bus (validation), picketctl (JSON) and every service.
#pragma once

#include <capnp/schema.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "picket/schemas/bus.capnp.h"
#include "picket/schemas/envelope.capnp.h"

namespace picket {

// Limits on envelope fields (documented in docs/protocol.md).
inline constexpr size_t kMaxSiteBytes = 64;
inline constexpr size_t kMaxTypeBytes = 64;
inline constexpr size_t kMaxProducerBytes = 64;
inline constexpr size_t kMaxActorBytes = 64;
// The most bus.max_message_bytes can be configured to: no bus records a request frame
// larger than this, so a client refuses such an event itself (a frame over 4x the bus's
// limit is dropped by ZeroMQ with the connection, and no nack comes).
inline constexpr size_t kMaxBusFrameBytes = 16 << 20;
// Observed times must lie in [2000-01-01, 2200-01-01) (unix µs): catches seconds-vs-µs bugs.
inline constexpr int64_t kMinObservedAt = 946684800LL * 1000000;
inline constexpr int64_t kMaxObservedAt = 7258118400LL * 1000000;

// A refusal: the code that goes on the wire and a message for a human.
struct Rejection {
  wire::ErrorCode code;
  std::string message;
};

// True if `type` matches  segment ("." segment)+  where segment = [a-z][a-z0-9_]*,
// 3..64 bytes in all. Topics starting with "_" are reserved for the bus (heartbeats).
bool IsValidTypeName(std::string_view type);

// The body schema registered for `type`, or nullopt for a type without a registered body
// (such events must carry a null body).
std::optional<capnp::StructSchema> BodySchemaFor(std::string_view type);

// Checks an event offered for publication to the bus of `site`. Returns nullopt if it may
// be recorded, else the first failure, checking in this order (docs/protocol.md has the
// table): id (missingField / outOfRange), site (missingField, outOfRange, badText,
// wrongSite), type (missingField, outOfRange, badText, outOfRange for the grammar),
// producer, actor, observedAt (0: missingField; outside [kMinObservedAt, kMaxObservedAt):
// outOfRange), seq and recordedAt (outOfRange), then the type and its body:
//   - a registered type (event_types.h) needs a struct that reads as its schema
//     (unknownType), each of its required fields non-empty (missingField, naming the
//     first empty one) and clean text everywhere in it (badText, text_check.h); a derived
//     one (OwnerOf not empty) needs its owner as the producer (unauthorized);
//   - an unregistered type in a registered namespace (`terminal.incident_reportd`) is
//     unknownType, body or not;
//   - any other type needs a null body (unknownType).
// Reads every field, so call it inside ReadSafely: an out-of-bounds pointer, or a pointer
// of the wrong kind in the envelope, throws kj::Exception (malformed).
std::optional<Rejection> CheckPublishable(wire::Event::Reader event, std::string_view site);

// "malformed", "tooLarge", ...: the lower-camel name used on the wire and in metrics.
std::string_view ErrorCodeName(wire::ErrorCode code);

}  // namespace picket
