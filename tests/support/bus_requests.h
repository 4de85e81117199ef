// Requests to picket-bus built field by field, for the conformance and text tests: valid
// events with one field changed, raw bytes in Text fields, and a short name for each reply.
#pragma once

#include <capnp/message.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "picket/schemas/bus.capnp.h"

namespace picket::testing {

inline constexpr char kTestSite[] = "test-site";  // the site of BusUnderTest
inline constexpr int64_t kObservedAt = 1'764'000'000'000'000;
// The bytes of the issue that found the defect: not UTF-8.
inline constexpr char kNotUtf8[] = "\xff\xfe-bad";

// A Text holding exactly `bytes`, which need not be UTF-8 and may hold NUL bytes. `bytes`
// must outlive the reader (and be NUL-terminated, as std::string is).
capnp::Text::Reader RawText(const std::string& bytes);

// One BusRequest frame, built by `fill`.
std::string BusRequestFrame(const std::function<void(wire::BusRequest::Builder)>& fill);

// A publish of a valid event (a random id, kTestSite, type "demo.tick", producer "probe",
// observedAt kObservedAt, no actor, null body), changed by `edit`.
std::string PublishEdited(const std::function<void(wire::Event::Builder)>& edit = {});

// The reply `frame` holds, in the words of docs/protocol.md's table: "ack",
// "ack duplicate", "nack <code>", "status", "replayBatch", "replayEnd"; or "not a BusReply".
std::string DescribeReply(const std::string& frame);

// The eventId of the ack or nack `frame` holds; nullopt if it holds neither.
std::optional<std::string> ReplyEventId(const std::string& frame);

}  // namespace picket::testing
