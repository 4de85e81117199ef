#include "wire/event_rules.h"

#include <capnp/any.h>
#include <capnp/dynamic.h>

#include <map>
#include <string>

#include "wire/event_types.h"

namespace picket {
namespace {

bool IsSegmentStart(char c) { return c >= 'a' && c <= 'z'; }
bool IsSegmentChar(char c) { return IsSegmentStart(c) || (c >= '0' && c <= '9') || c == '_'; }

std::optional<Rejection> CheckText(capnp::Text::Reader text, std::string_view name, size_t min,
                                   size_t max) {
  if (text.size() < min)
    return Rejection{
        min == 1 ? wire::ErrorCode::MISSING_FIELD : wire::ErrorCode::OUT_OF_RANGE,
        std::string(name) + " is " +
            (text.size() == 0 ? "empty" : "shorter than " + std::to_string(min) + " bytes")};
  if (text.size() > max)
    return Rejection{wire::ErrorCode::OUT_OF_RANGE,
                     std::string(name) + " is longer than " + std::to_string(max) + " bytes"};
  return std::nullopt;
}

}  // namespace

bool IsValidTypeName(std::string_view type) {
  if (type.size() < 3 || type.size() > kMaxTypeBytes) return false;
  bool segment_start = true;
  int dots = 0;
  for (char c : type) {
    if (segment_start) {
      if (!IsSegmentStart(c)) return false;
      segment_start = false;
    } else if (c == '.') {
      ++dots;
      segment_start = true;
    } else if (!IsSegmentChar(c)) {
      return false;
    }
  }
  return dots >= 1 && !segment_start;
}

std::optional<capnp::StructSchema> BodySchemaFor(std::string_view type) {
  // A type listed in the registry must carry a struct of its schema.
  static const std::map<std::string_view, capnp::StructSchema, std::less<>> kBodies = [] {
    std::map<std::string_view, capnp::StructSchema, std::less<>> m;
    for (const auto& t : AllEventTypes()) m.emplace(t.name, t.body);
    return m;
  }();
  auto it = kBodies.find(type);
  if (it == kBodies.end()) return std::nullopt;
  return it->second;
}

std::optional<Rejection> CheckPublishable(wire::Event::Reader event, std::string_view site) {
  using wire::ErrorCode;
  if (!event.hasId()) return Rejection{ErrorCode::MISSING_FIELD, "id is missing"};
  if (event.getId().size() != 16)
    return Rejection{ErrorCode::OUT_OF_RANGE,
                     "id must be 16 bytes, got " + std::to_string(event.getId().size())};
  if (auto r = CheckText(event.getSite(), "site", 1, kMaxSiteBytes)) return r;
  if (std::string_view(event.getSite().cStr(), event.getSite().size()) != site)
    return Rejection{ErrorCode::WRONG_SITE, "event is for site '" +
                                                std::string(event.getSite().cStr()) +
                                                "', this bus is '" + std::string(site) + "'"};
  if (auto r = CheckText(event.getType(), "type", 1, kMaxTypeBytes)) return r;
  std::string_view type(event.getType().cStr(), event.getType().size());
  if (!IsValidTypeName(type))
    return Rejection{ErrorCode::OUT_OF_RANGE,
                     "type '" + std::string(type) + "' is not a dotted lower-case name"};
  if (auto r = CheckText(event.getProducer(), "producer", 1, kMaxProducerBytes)) return r;
  if (auto r = CheckText(event.getActor(), "actor", 0, kMaxActorBytes)) return r;
  if (event.getObservedAt() == 0) return Rejection{ErrorCode::MISSING_FIELD, "observedAt is 0"};
  if (event.getObservedAt() < kMinObservedAt || event.getObservedAt() >= kMaxObservedAt)
    return Rejection{ErrorCode::OUT_OF_RANGE,
                     "observedAt " + std::to_string(event.getObservedAt()) +
                         " is not a unix time in microseconds between 2000 and 2200"};
  if (event.getSeq() != 0 || event.getRecordedAt() != 0)
    return Rejection{ErrorCode::OUT_OF_RANGE, "seq and recordedAt are set by the bus; send 0"};
  if (auto schema = BodySchemaFor(type)) {
    auto body = event.getBody();
    if (body.isNull() || !body.isStruct())
      return Rejection{ErrorCode::UNKNOWN_TYPE,
                       "type '" + std::string(type) + "' needs a struct body"};
    // Walk the whole body through its schema: every text must be valid, every pointer in
    // bounds. Throws (caught by the caller's ReadSafely) on a malformed pointer.
    (void)body.targetSize();  // bounds-checks every pointer below the body
    auto dyn = body.getAs<capnp::DynamicStruct>(*schema);
    for (auto field : schema->getFields()) {
      if (dyn.has(field)) (void)dyn.get(field);
    }
  }
  return std::nullopt;
}

std::string_view ErrorCodeName(wire::ErrorCode code) {
  switch (code) {
    case wire::ErrorCode::NONE:
      return "none";
    case wire::ErrorCode::MALFORMED:
      return "malformed";
    case wire::ErrorCode::TOO_LARGE:
      return "tooLarge";
    case wire::ErrorCode::WRONG_TYPE:
      return "wrongType";
    case wire::ErrorCode::MISSING_FIELD:
      return "missingField";
    case wire::ErrorCode::OUT_OF_RANGE:
      return "outOfRange";
    case wire::ErrorCode::UNAUTHORIZED:
      return "unauthorized";
    case wire::ErrorCode::BAD_FRAMES:
      return "badFrames";
    case wire::ErrorCode::UNKNOWN_SESSION:
      return "unknownSession";
    case wire::ErrorCode::UNAVAILABLE:
      return "unavailable";
    case wire::ErrorCode::WRONG_SITE:
      return "wrongSite";
    case wire::ErrorCode::UNKNOWN_TYPE:
      return "unknownType";
  }
  return "unknown";
}

}  // namespace picket
